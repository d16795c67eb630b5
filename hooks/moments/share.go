package moments

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/module"
	"plaza/hooks/problem"
)

// SharedCard is another module's card inside a post (a Channels post), as
// its module built it when the post was made, and what became of its
// object since ("gone" once taken down or deleted).
type SharedCard struct {
	module.Card
	State string `json:"state"`
}

// shareCard builds the card a post shares, in the post's transaction:
// only a registered type that may go into Moments, from the owning
// module's own data (never the client's). An unknown type is a 400; an
// object the author cannot share (missing, taken down) is a 404.
func (s *Service) shareCard(txApp core.App, authorID string, sh *Share) (string, error) {
	if sh == nil {
		return "", nil
	}
	t, ok := s.reg.Card(sh.Type)
	if !ok || !t.Moments || t.Build == nil || sh.Ref == "" {
		return "", problem.Invalid("share_type", "errors.bad_request", nil)
	}
	c, err := t.Build(txApp, authorID, "", sh.Ref)
	if err != nil {
		return "", err
	}
	for _, u := range []string{c.Image, c.Link} {
		if u != "" && (!strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.Contains(u, "\\")) {
			return "", fmt.Errorf("card %s: url %q is not a local path", sh.Type, u)
		}
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("card json: %w", err)
	}
	return string(b), nil
}

// PreviewShare is the card a post by memberID would share, for the
// compose page to show (the same checks as publishing).
func (s *Service) PreviewShare(memberID string, sh *Share) (*module.Card, error) {
	raw, err := s.shareCard(s.app, memberID, sh)
	if err != nil || raw == "" {
		return nil, err
	}
	var c module.Card
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("shared card: %w", err)
	}
	return &c, nil
}

// sharedCard reads a post's stored card and asks its module for its
// state now (nil when the post shares nothing).
func (s *Service) sharedCard(viewerID, raw string) (*SharedCard, error) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var c SharedCard
	if err := json.Unmarshal([]byte(raw), &c.Card); err != nil {
		return nil, fmt.Errorf("shared card: %w", err)
	}
	if t, ok := s.reg.Card(c.Type); ok && t.State != nil {
		c.State = t.State(s.app, viewerID, c.Ref)
	}
	if c.State == module.CardStateGone { // its title only: not what was taken down
		c.Sub, c.Image = "", ""
	}
	return &c, nil
}
