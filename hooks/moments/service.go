// Package moments is the friends-only feed: posts with photos or a video,
// likes, comments and replies, notifications, and WeChat's privacy rules
// exactly (docs/MOMENTS.md):
//
//   - a post is seen by its author, and by the author's friends the post's
//     visibility lets in (all / private / shared with chosen people or tags
//     / hidden from them; tags are expanded when the post is made), within
//     the author's "friends may see" range;
//   - "chat only" (either side) and "don't let them see my Moments" shut a
//     friend out of everything; "hide their Moments" keeps a friend's posts
//     off one's feed (their album stays open); a block shuts both out;
//   - a stranger sees nothing, unless the author lets strangers see ten
//     posts;
//   - a viewer sees only the likes and comments of themselves and their
//     own friends — the author too.
//
// Every door (pages, JSON, the socket, file URLs) asks this package, which
// decides with one rule (rules.go); the records API shows members nothing.
package moments

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/module"
)

// Service runs Moments for one app.
type Service struct {
	app   core.App
	reg   *module.Registry
	clock func() time.Time
	live  Live
	// circles caches members' circles: every read asks one
	// (docs/PERFORMANCE.md, "Moments").
	circles *contacts.Circles
	feedFew int // feedFewAuthors; the oracle test lowers it to try both feed queries
}

// Live tells members' open tabs what changed (the chat socket, passed in
// by hooks.Register); nil sends nothing.
type Live interface {
	// Push sends one frame to every open socket of each member.
	Push(memberIDs []string, frame any)
}

// New builds app's Moments service and registers its Discover entry and
// badges.
func New(app core.App, reg *module.Registry, live Live) *Service {
	s := &Service{app: app, reg: reg, clock: time.Now, live: live, circles: contacts.NewCircles(), feedFew: feedFewAuthors}
	reg.AddDiscover(module.Entry{ID: DiscoverID, Owner: "moments", Label: "moments.title", Href: "/moments", Icon: "moments", Order: 10})
	reg.AddBadge("moments", s.UnreadCount, DiscoverID, module.PlaceDiscover)
	reg.AddDot(DiscoverID, "moments", func(_ core.App, memberID string) (string, error) { return s.NewPosts(memberID) })
	return s
}

// DiscoverID names Moments' Discover entry and its badge.
const DiscoverID = "moments"

// SetClock replaces the service's clock (tests move time with it).
func (s *Service) SetClock(now func() time.Time) { s.clock = now }

// now is the service's current time in UTC.
func (s *Service) now() time.Time { return s.clock().UTC() }

// Tables are the tables only this package's SQL may name
// (docs/ARCHITECTURE.md, "Each table has one owner").
func Tables() []string {
	return []string{"moments_posts", "moments_media", "moments_audience", "moments_likes", "moments_comments",
		"moments_notifications", "moments_settings"}
}

// push tells members' tabs, if anyone listens.
func (s *Service) push(memberIDs []string, frame any) {
	if s.live != nil && len(memberIDs) > 0 {
		s.live.Push(memberIDs, frame)
	}
}
