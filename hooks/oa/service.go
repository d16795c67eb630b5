// Package oa is Plaza's Official Accounts (docs/OFFICIAL_ACCOUNTS.md):
// accounts a member applies for and a superuser approves, operators,
// followers, Markdown articles rendered and sanitised when saved, reads,
// reactions and comments the operator chose to show, broadcasts within
// the community's quotas (scheduled ones sent by a cron job), keyword
// auto-replies, the 48-hour reply window, a custom menu, stats, and a
// signed webhook.
//
// Every operation checks its own rules. Anything the caller may not see
// (an unapproved account to anyone but its owner, an article not yet
// published, another account's console) answers 404 oa.not_found.
package oa

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/links"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/hooks/visitors"
)

// Service runs Official Accounts for one app.
type Service struct {
	app      core.App
	reg      *module.Registry
	clock    func() time.Time
	visits   visitors.Keys               // signed-out readers' daily keys
	hook     *Webhook                    // the client that POSTs followers' messages
	chat     *chat.Service               // followers' chats with accounts (UseChat; nil: none)
	delivery deliverer                   // broadcasts reaching followers (delivery.go)
	reads    *visitors.Batch[queuedRead] // the article page's reads, written once a second (readqueue.go)
}

// New builds app's Official Accounts service and registers its Discover
// entry, its article card and its QR kind (cards.go).
func New(app core.App, reg *module.Registry) *Service {
	s := &Service{app: app, reg: reg, clock: time.Now, hook: NewWebhook()}
	s.reads = s.newReadBatch()
	s.register()
	reg.AddScanKind(links.KindOfficialAccount, "oa")
	return s
}

// SetClock replaces the service's clock (tests move time with it).
func (s *Service) SetClock(now func() time.Time) { s.clock = now }

// now is the service's current time in UTC.
func (s *Service) now() time.Time { return s.clock().UTC() }

// App is the app the service runs on.
func (s *Service) App() core.App { return s.app }

// Webhook is the client the service POSTs followers' messages with
// (tests shorten its timeout and backoff).
func (s *Service) Webhook() *Webhook { return s.hook }

// Tables are the tables only this package's SQL may name
// (docs/ARCHITECTURE.md, "Each table has one owner").
func Tables() []string {
	return []string{"oa_accounts", "oa_operators", "oa_follows", "oa_articles", "oa_article_reads", "oa_reactions",
		"oa_comments", "oa_broadcasts", "oa_autoreplies", "oa_daily", "oa_media", "oa_webhook_log"}
}

// notFound is the one answer for what does not exist or is not the
// caller's to see or change.
func notFound() *problem.Problem { return problem.New(http.StatusNotFound, "oa.not_found") }

// Register adds Official Accounts' cron jobs to app: every minute, send
// the broadcasts that are due and deliver what is not delivered; once a
// day, forget past days' read rows. A shutdown waits for a delivery
// running.
func Register(app core.App, s *Service) {
	app.Cron().MustAdd("oa_broadcasts", "* * * * *", func() {
		if _, err := s.SendDue(); err != nil {
			app.Logger().Error("oa: send due broadcasts", "error", err.Error())
		}
		s.wakeDelivery() // resumes a delivery a restart cut short
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		s.WaitDelivered()
		if err := s.reads.Close(); err != nil {
			e.App.Logger().Error("oa: write queued reads", "error", err.Error())
		}
		return e.Next()
	})
	app.Cron().MustAdd("oa_prune_reads", "23 3 * * *", func() {
		if err := s.PruneReads(); err != nil {
			app.Logger().Error("oa: prune reads", "error", err.Error())
		}
	})
}
