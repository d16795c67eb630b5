package oa

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Review records a superuser's decision on an account, as they make it in
// /_/ (status approved or rejected with a reason, and the verified tick):
// for tools that act as the superuser (the demo). Nothing a member can
// reach calls it.
func Review(app core.App, accountID, status, reason string, verified bool) error {
	if status != StatusApproved && status != StatusRejected && status != StatusPending {
		return fmt.Errorf("review account: unknown status %q", status)
	}
	rec, err := app.FindRecordById("oa_accounts", accountID)
	if err != nil {
		return fmt.Errorf("review account: %w", err)
	}
	rec.Set("status", status)
	rec.Set("reject_reason", reason)
	rec.Set("verified", verified)
	if err := app.Save(rec); err != nil {
		return fmt.Errorf("review account: %w", err)
	}
	return nil
}
