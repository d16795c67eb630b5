package contacts

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/links"
	"plaza/hooks/module"
)

// Service is the contacts domain of one app: its operations that write, or
// that read the clock or the module registry, are its methods. Reads that
// other domains call inside their own transactions (AreFriends, Cut,
// Reachable, Friends, AddLink…) stay functions of the core.App they are
// given.
type Service struct {
	app core.App
	reg *module.Registry
	now func() time.Time
}

// New builds app's contacts service on reg (hooks.Register makes one per
// app). It adds nothing to reg: Register does.
func New(app core.App, reg *module.Registry) *Service {
	return &Service{app: app, reg: reg, now: time.Now}
}

// Register adds what contacts plugs into the app: the New Friends badge on
// the Contacts tab, add-friend links on the Scan page, and the Scan entry of
// Discover. Its pages and JSON routes are contactsweb's.
func Register(app core.App, s *Service) {
	s.reg.AddBadge("contacts", func(app core.App, memberID string) (int, error) {
		return pendingCount(app, memberID, s.Now())
	}, module.PlaceContacts)
	s.reg.AddScanKind(links.KindAddFriend, "contacts")
	s.reg.AddDiscover(module.Entry{ID: "scan", Owner: "contacts", Label: "scan.title", Href: "/scan", Icon: "scan", Order: 30})
}

// SetClock replaces the service's clock (tests move it past a request's
// expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }
