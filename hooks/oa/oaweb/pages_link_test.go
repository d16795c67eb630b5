package oaweb_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/links"
)

// signedFollowPath is the follow link the QR code draws.
func signedFollowPath(t *testing.T, app core.App, handle string) string {
	t.Helper()
	s, err := contacts.Signer(app)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Path(links.Link{Kind: links.KindOfficialAccount, Target: handle})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
