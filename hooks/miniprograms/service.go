package miniprograms

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/links"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

// Service runs Mini Programs for one app.
type Service struct {
	app     core.App
	reg     *module.Registry
	clock   func() time.Time
	wallet  *wallet.Wallet
	chat    *chat.Service
	bundles *bundleCache // opened bundles of live versions (files.go)
	hook    *hookClient  // signed webhooks to the apps' servers (webhook.go)
}

// New builds app's Mini Programs service and registers its Discover
// entry, its chat card and its QR kind (cards.go).
func New(app core.App, reg *module.Registry, w *wallet.Wallet, cs *chat.Service) *Service {
	s := &Service{app: app, reg: reg, clock: time.Now, wallet: w, chat: cs, bundles: newBundleCache(64 << 20), hook: newHookClient()}
	s.register()
	reg.AddScanKind(links.KindMiniProgram, "miniprograms")
	return s
}

// SetClock replaces the service's clock (tests move time with it).
func (s *Service) SetClock(now func() time.Time) { s.clock = now }

// now is the service's current time in UTC.
func (s *Service) now() time.Time { return s.clock().UTC() }

// App is the app the service runs on.
func (s *Service) App() core.App { return s.app }

// Wallet is the wallet payments go through.
func (s *Service) Wallet() *wallet.Wallet { return s.wallet }

// Tables are the tables only this package's SQL may name
// (docs/ARCHITECTURE.md, "Each table has one owner").
func Tables() []string {
	return []string{"mp_developers", "mp_apps", "mp_versions", "mp_users", "mp_codes", "mp_visits", "mp_storage", "mp_orders", "mp_nonces"}
}

// notFound is the one answer for what does not exist or is not the
// caller's to see or change.
func notFound() *problem.Problem { return problem.New(http.StatusNotFound, "mp.not_found") }

// Register adds Mini Programs' record hooks (a superuser's review in /_/)
// and an hourly clean-up of spent login codes and nonces.
func Register(app core.App, s *Service) {
	registerReview(app, s)
	app.Cron().MustAdd("mp_cleanup", "17 * * * *", func() {
		if err := s.Cleanup(); err != nil {
			app.Logger().Error("miniprograms: clean up", "error", err.Error())
		}
	})
}

// NotFound is the problem of an app (or a version, an order) the caller
// may not see.
func NotFound() error { return notFound() }

// IsNotFound reports whether err is that problem.
func IsNotFound(err error) bool {
	p, ok := err.(*problem.Problem)
	return ok && p.Status == http.StatusNotFound
}

// VersionOf is one version of app a.
func (s *Service) VersionOf(a App, versionID string) (Version, error) {
	return versionOf(s.app, a, versionID)
}
