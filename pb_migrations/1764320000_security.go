package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(securityUp, securityDown)
}

// securityUp adds the server state that revocation needs (issue 10, #21
// and #23). Each is a plain column or table, not a collection: no record
// save can write an old value back, and the records API never serves them.
//
//   - conversations.join_epoch: the generation of a group's join code. A
//     join link carries the epoch it was made in; resetting the code bumps
//     it, which voids every older link.
//   - group_removals: when a member was last removed from a group, so a
//     join link issued before that cannot bring them back.
//   - revoked_sessions: the sessions signed out on the server (the "sid"
//     claim of a web session token, or a hash of a token without one),
//     kept until the token would have expired anyway.
//   - a rate-limit rule for the pay-PIN form, which accepts the login
//     password.
func securityUp(app core.App) error {
	for _, stmt := range []string{
		`ALTER TABLE conversations ADD COLUMN join_epoch INTEGER NOT NULL DEFAULT 0`,
		`CREATE TABLE group_removals (conversation TEXT NOT NULL, member TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (conversation, member)) WITHOUT ROWID`,
		`CREATE TABLE revoked_sessions (sid TEXT PRIMARY KEY NOT NULL, expires TEXT NOT NULL) WITHOUT ROWID`,
		`CREATE INDEX idx_revoked_sessions_expires ON revoked_sessions (expires)`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	// Changing the pay PIN may be proven by the login password: as many
	// tries per IP as signing in (hooks/accounts adds a per-member limit).
	s := app.Settings()
	s.RateLimits.Rules = append(s.RateLimits.Rules, core.RateLimitRule{Label: "POST /wallet/pin", MaxRequests: 10, Duration: 60})
	return app.Save(s)
}

func securityDown(app core.App) error {
	for _, stmt := range []string{
		`DROP TABLE IF EXISTS revoked_sessions`,
		`DROP TABLE IF EXISTS group_removals`,
		`ALTER TABLE conversations DROP COLUMN join_epoch`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	return nil
}
