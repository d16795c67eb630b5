package member_test

import (
	"testing"

	"plaza/hooks/internal/crawler"
)

// TestCrawlMember signs in to the demo community as a plain member
// (carol_z), submits every settings form and visits every page linked from
// the tabs (hooks/internal/crawler; the owner's and a stranger's crawls are
// in hooks/crawl).
func TestCrawlMember(t *testing.T) {
	c := crawler.NewCommunity(t)
	c.Crawl(t, "carol_z", false)
}
