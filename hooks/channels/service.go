// Package channels is Plaza's public video and picture feed (docs/
// CHANNELS.md): one channel per member, posts with photos or a video and
// #hashtags, public pages and Atom feeds anyone can read signed out, the
// Following, Friends and Popular feeds, likes ("recommend", shown to
// friends), comments with one level of replies, follows, favourites,
// daily view counts and a creator's stats.
//
// A post taken down by a superuser (channels_posts.taken_down) is gone from
// every door at once: every read here filters it, so pages, feeds, cards,
// Atom feeds, search and media all answer 404.
package channels

import (
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/module"
	"plaza/hooks/visitors"
)

// Service runs Channels for one app.
type Service struct {
	app     core.App
	reg     *module.Registry
	clock   func() time.Time
	circles *contacts.Circles // friends, for the Friends feed and "♥ by" lines
	visits  visitors.Keys     // signed-out viewers' daily keys
	// lastView is the time (ns) in the newest view row's id (viewID).
	lastView atomic.Int64
	views    *visitors.Batch[queuedView] // the public page's views, written once a second (viewqueue.go)
	live     Live
	// followFew is where the Following feed stops reading each followed
	// channel's posts and walks all posts by time instead.
	followFew int
}

// New builds app's Channels service (live tells members' tabs what
// changed) and registers its Discover entry and its chat card.
func New(app core.App, reg *module.Registry, live Live) *Service {
	s := &Service{app: app, reg: reg, clock: time.Now, circles: contacts.NewCircles(), followFew: followFewChannels, live: live}
	s.views = s.newViewBatch()
	reg.AddDiscover(module.Entry{ID: DiscoverID, Owner: "channels", Label: "channels.title", Href: "/channels", Icon: "channels", Order: 20,
		Paths: []string{"/channels", "/c"}})
	reg.AddCard(module.CardType{Type: CardPost, Owner: "channels", Label: "channels.card_label", Preview: "channels.preview_card",
		Build: s.buildCard, State: s.cardState, Forwardable: true, Moments: true})
	return s
}

// DiscoverID names Channels' Discover entry.
const DiscoverID = "channels"

// CardPost is the chat card of a Channels post (ref: the post id).
const CardPost = "channel_post"

// SetClock replaces the service's clock (tests move time with it).
func (s *Service) SetClock(now func() time.Time) { s.clock = now }

// now is the service's current time in UTC.
func (s *Service) now() time.Time { return s.clock().UTC() }

// App is the app the service runs on.
func (s *Service) App() core.App { return s.app }

// Tables are the tables only this package's SQL may name
// (docs/ARCHITECTURE.md, "Each table has one owner").
func Tables() []string {
	return []string{"channels", "channels_posts", "channels_media", "channels_tags", "channels_likes", "channels_comments",
		"channels_follows", "channels_favourites", "channels_views", "channels_daily"}
}
