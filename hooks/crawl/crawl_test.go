package crawl_test

import (
	"testing"

	"plaza/hooks/internal/crawler"
)

// TestCrawl signs in to the demo community as a group owner (alice_w owns
// "Weekend riders") and a stranger (a new member with no friends and no
// chats); each submits every settings form and visits every page linked
// from the tabs (hooks/internal/crawler). The plain member's crawl is in
// hooks/crawl/member, so each package's run stays short.
func TestCrawl(t *testing.T) {
	c := crawler.NewCommunity(t)
	for _, who := range []struct {
		role, plazaID string
		stranger      bool
	}{{"owner", "alice_w", false}, {"stranger", "stranger_kim", true}} {
		t.Run(who.role, func(t *testing.T) {
			t.Parallel()
			c.Crawl(t, who.plazaID, who.stranger)
		})
	}
}
