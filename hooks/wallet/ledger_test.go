package wallet_test

import (
	"testing"

	"plaza/hooks/wallet"
	"plaza/pb_migrations"
)

// TestTreasuryIDIsTheMigrations: the wallet names the treasury account by
// the id its migration gives it.
func TestTreasuryIDIsTheMigrations(t *testing.T) {
	if wallet.TreasuryID != pb_migrations.TreasuryAccountID {
		t.Fatalf("wallet.TreasuryID %q, the migration's %q", wallet.TreasuryID, pb_migrations.TreasuryAccountID)
	}
}
