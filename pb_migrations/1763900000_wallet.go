package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(walletUp, walletDown)
}

// TreasuryAccountID is the fixed id of the community treasury, the only
// account whose balance may go below zero: it issues every credit.
const TreasuryAccountID = "treasury0000000"

// walletUp adds the double-entry ledger (accounts, journal entries and
// their postings in integer cents), idempotency records, pay PINs,
// transfers, red packets, vouchers, mints, withdrawals and AA collections,
// plus the wallet's settings and a "service" conversation kind for the Pay
// Notifications chat.
//
// Rules: members may list and view only their own wallet account and its
// postings; everything else is superuser-only (nil rules) and is written by
// Plaza's code alone. Triggers make the journal append-only for everyone,
// superusers included: corrections are reversing entries.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func walletUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	convs, err := app.FindCollectionByNameOrId("conversations")
	if err != nil {
		return err
	}
	cents := func(name string, positive bool) *core.NumberField {
		f := &core.NumberField{Name: name, OnlyInt: true}
		if positive {
			f.Min = types.Pointer(0.0)
		}
		return f
	}

	accounts := core.NewBaseCollection("wallet_accounts")
	accounts.Fields.Add(
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"member", "escrow", "merchant", "treasury"}},
		&core.RelationField{Name: "owner", CollectionId: users.Id, MaxSelect: 1},
		&core.TextField{Name: "ref", Max: 40}, // escrow: "transfer:<id>", "packet:<id>", …; merchant: its name
		cents("balance", false),
		cents("epoch", true),                  // collect-code generation: resetting it voids shown codes
		&core.TextField{Name: "day", Max: 10}, // the UTC day day_out counts ("2026-11-21")
		cents("day_out", true),                // transfers sent on that day, against the daily limit
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	accounts.ListRule = types.Pointer(`@request.auth.id != "" && owner = @request.auth.id && kind = "member"`)
	accounts.ViewRule = accounts.ListRule
	accounts.AddIndex("idx_wallet_accounts_member", true, "owner", "kind = 'member'")
	accounts.AddIndex("idx_wallet_accounts_ref", true, "kind, ref", "ref != ''")
	if err := app.Save(accounts); err != nil {
		return err
	}

	entries := core.NewBaseCollection("wallet_entries")
	entries.Fields.Add(
		&core.TextField{Name: "kind", Required: true, Max: 30},
		&core.TextField{Name: "ref", Max: 40},   // the transfer, packet, voucher… it belongs to
		&core.TextField{Name: "payer", Max: 15}, // member ids (plain text: the journal never changes)
		&core.TextField{Name: "payee", Max: 15},
		&core.TextField{Name: "memo", Max: 200},
		&core.TextField{Name: "reverses", Max: 15}, // a reversing entry names the entry it undoes
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	entries.AddIndex("idx_wallet_entries_ref", false, "ref", "")
	if err := app.Save(entries); err != nil {
		return err
	}

	postings := core.NewBaseCollection("wallet_postings")
	postings.Fields.Add(
		&core.RelationField{Name: "entry", CollectionId: entries.Id, Required: true, MaxSelect: 1},
		&core.RelationField{Name: "account", CollectionId: accounts.Id, Required: true, MaxSelect: 1},
		cents("amount", false),  // signed: credits positive, debits negative
		cents("balance", false), // the account's balance after this posting
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	postings.ListRule = types.Pointer(`@request.auth.id != "" && account.owner = @request.auth.id && account.kind = "member"`)
	postings.ViewRule = postings.ListRule
	postings.AddIndex("idx_wallet_postings_account_created", false, "account, created", "")
	postings.AddIndex("idx_wallet_postings_entry", false, "entry", "")
	if err := app.Save(postings); err != nil {
		return err
	}

	requests := core.NewBaseCollection("wallet_requests")
	requests.Fields.Add(
		&core.TextField{Name: "member", Required: true, Max: 15},
		&core.TextField{Name: "key", Required: true, Max: 100},
		&core.TextField{Name: "op", Required: true, Max: 30},
		&core.TextField{Name: "fingerprint", Required: true, Max: 64},
		&core.JSONField{Name: "result", MaxSize: 16 << 10},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	requests.AddIndex("idx_wallet_requests_member_key", true, "member, key", "")
	if err := app.Save(requests); err != nil {
		return err
	}

	pins := core.NewBaseCollection("wallet_pins")
	pins.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "hash", Required: true, Max: 100, Hidden: true},
		&core.NumberField{Name: "failures", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.DateField{Name: "locked_until"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	pins.AddIndex("idx_wallet_pins_member", true, "member", "")
	if err := app.Save(pins); err != nil {
		return err
	}

	transfers := core.NewBaseCollection("wallet_transfers")
	transfers.Fields.Add(
		&core.TextField{Name: "sender", Required: true, Max: 15},
		&core.TextField{Name: "recipient", Required: true, Max: 15},
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, MaxSelect: 1},
		&core.TextField{Name: "message", Max: 15},
		cents("amount", true),
		&core.TextField{Name: "note", Max: 60},
		&core.SelectField{Name: "state", Required: true, MaxSelect: 1, Values: []string{"pending", "accepted", "returned", "refunded"}},
		&core.TextField{Name: "escrow", Required: true, Max: 15},
		&core.DateField{Name: "expires", Required: true},
		&core.DateField{Name: "settled"},
		&core.TextField{Name: "reply", Max: 15}, // the recipient's "accepted"/"returned" card
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	transfers.AddIndex("idx_wallet_transfers_pending", false, "expires", "state = 'pending'")
	transfers.AddIndex("idx_wallet_transfers_sender_created", false, "sender, created", "")
	if err := app.Save(transfers); err != nil {
		return err
	}

	packets := core.NewBaseCollection("red_packets")
	packets.Fields.Add(
		&core.TextField{Name: "sender", Required: true, Max: 15},
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, MaxSelect: 1},
		&core.TextField{Name: "message", Max: 15},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"lucky", "normal", "exclusive"}},
		cents("total", true),
		&core.NumberField{Name: "count", OnlyInt: true, Min: types.Pointer(1.0)},
		&core.NumberField{Name: "claimed_count", OnlyInt: true, Min: types.Pointer(0.0)},
		cents("claimed_total", true),
		cents("refunded", true),
		&core.TextField{Name: "greeting", Max: 60},
		&core.TextField{Name: "target", Max: 15}, // exclusive packets: the one member who may open it
		&core.TextField{Name: "seed", Max: 64, Hidden: true},
		&core.TextField{Name: "commitment", Max: 64},
		&core.SelectField{Name: "state", Required: true, MaxSelect: 1, Values: []string{"open", "finished", "expired"}},
		&core.TextField{Name: "escrow", Required: true, Max: 15},
		&core.DateField{Name: "expires", Required: true},
		&core.DateField{Name: "finished"},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	packets.AddIndex("idx_red_packets_open", false, "expires", "state = 'open'")
	packets.AddIndex("idx_red_packets_sender_created", false, "sender, created", "")
	if err := app.Save(packets); err != nil {
		return err
	}

	claims := core.NewBaseCollection("red_packet_claims")
	claims.Fields.Add(
		&core.RelationField{Name: "packet", CollectionId: packets.Id, Required: true, MaxSelect: 1},
		&core.TextField{Name: "member", Required: true, Max: 15},
		&core.NumberField{Name: "position", OnlyInt: true, Min: types.Pointer(0.0)},
		cents("amount", true),
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	claims.AddIndex("idx_red_packet_claims_member", true, "packet, member", "")
	claims.AddIndex("idx_red_packet_claims_position", true, "packet, position", "")
	if err := app.Save(claims); err != nil {
		return err
	}

	vouchers := core.NewBaseCollection("wallet_vouchers")
	vouchers.Fields.Add(
		&core.TextField{Name: "code", Required: true, Min: 6, Max: 40, Pattern: `^[A-Za-z0-9-]+$`},
		&core.NumberField{Name: "amount", Required: true, OnlyInt: true, Min: types.Pointer(1.0)},
		&core.TextField{Name: "note", Max: 200},
		&core.TextField{Name: "redeemed_by", Max: 15},
		&core.DateField{Name: "redeemed_at"},
		&core.TextField{Name: "entry", Max: 15},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	vouchers.AddIndex("idx_wallet_vouchers_code", true, "code COLLATE NOCASE", "")
	if err := app.Save(vouchers); err != nil {
		return err
	}

	mints := core.NewBaseCollection("wallet_mints")
	mints.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1},
		&core.NumberField{Name: "amount", Required: true, OnlyInt: true, Min: types.Pointer(1.0)},
		&core.TextField{Name: "note", Max: 200},
		&core.TextField{Name: "entry", Max: 15},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	if err := app.Save(mints); err != nil {
		return err
	}

	withdrawals := core.NewBaseCollection("wallet_withdrawals")
	withdrawals.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1},
		&core.NumberField{Name: "amount", Required: true, OnlyInt: true, Min: types.Pointer(1.0)},
		&core.TextField{Name: "details", Max: 200}, // where the member wants it paid
		&core.SelectField{Name: "state", Required: true, MaxSelect: 1, Values: []string{"pending", "paid", "rejected"}},
		&core.TextField{Name: "escrow", Max: 15},
		&core.TextField{Name: "admin_note", Max: 200},
		&core.DateField{Name: "settled"},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	withdrawals.AddIndex("idx_wallet_withdrawals_member", false, "member, created", "")
	if err := app.Save(withdrawals); err != nil {
		return err
	}

	aa := core.NewBaseCollection("aa_requests")
	aa.Fields.Add(
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, Required: true, MaxSelect: 1},
		&core.TextField{Name: "organiser", Required: true, Max: 15},
		&core.TextField{Name: "title", Required: true, Max: 60},
		&core.TextField{Name: "message", Max: 15},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	if err := app.Save(aa); err != nil {
		return err
	}
	shares := core.NewBaseCollection("aa_shares")
	shares.Fields.Add(
		&core.RelationField{Name: "request", CollectionId: aa.Id, Required: true, MaxSelect: 1},
		&core.TextField{Name: "member", Required: true, Max: 15},
		cents("amount", true),
		&core.TextField{Name: "entry", Max: 15},
		&core.DateField{Name: "paid"},
	)
	shares.AddIndex("idx_aa_shares_request_member", true, "request, member", "")
	if err := app.Save(shares); err != nil {
		return err
	}

	// The journal is append-only for everyone; accounts are never deleted.
	for _, stmt := range []string{
		`CREATE TRIGGER wallet_entries_no_update BEFORE UPDATE ON wallet_entries BEGIN SELECT RAISE(ABORT, 'the wallet journal is append-only'); END`,
		`CREATE TRIGGER wallet_entries_no_delete BEFORE DELETE ON wallet_entries BEGIN SELECT RAISE(ABORT, 'the wallet journal is append-only'); END`,
		`CREATE TRIGGER wallet_postings_no_update BEFORE UPDATE ON wallet_postings BEGIN SELECT RAISE(ABORT, 'the wallet journal is append-only'); END`,
		`CREATE TRIGGER wallet_postings_no_delete BEFORE DELETE ON wallet_postings BEGIN SELECT RAISE(ABORT, 'the wallet journal is append-only'); END`,
		`CREATE TRIGGER wallet_accounts_no_delete BEFORE DELETE ON wallet_accounts BEGIN SELECT RAISE(ABORT, 'wallet accounts are never deleted'); END`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	treasury := core.NewRecord(accounts)
	treasury.Id = TreasuryAccountID
	treasury.Set("kind", "treasury")
	treasury.Set("ref", "treasury")
	if err := app.Save(treasury); err != nil {
		return err
	}

	// Pay Notifications is a one-member "service" chat.
	kind, _ := convs.Fields.GetByName("kind").(*core.SelectField)
	kind.Values = append(kind.Values, "service")
	if err := app.Save(convs); err != nil {
		return err
	}

	settings, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	settings.Fields.Add(
		&core.TextField{Name: "currency_code", Max: 3, Pattern: `^[A-Z]{3}$`},
		&core.TextField{Name: "currency_symbol", Max: 4},
		&core.NumberField{Name: "transfer_max", OnlyInt: true, Min: types.Pointer(1.0)},
		&core.NumberField{Name: "transfer_daily_max", OnlyInt: true, Min: types.Pointer(1.0)},
		&core.NumberField{Name: "packet_max", OnlyInt: true, Min: types.Pointer(1.0)},
	)
	if err := app.Save(settings); err != nil {
		return err
	}
	row, err := app.FindRecordById(settings, SettingsRecordID)
	if err != nil {
		return err
	}
	row.Set("currency_code", "CNY")
	row.Set("currency_symbol", "¥")
	row.Set("transfer_max", 5_000_000)        // ¥50,000.00
	row.Set("transfer_daily_max", 20_000_000) // ¥200,000.00
	row.Set("packet_max", 20_000)             // ¥200.00
	if err := app.Save(row); err != nil {
		return err
	}

	s := app.Settings()
	s.RateLimits.Rules = append(s.RateLimits.Rules,
		core.RateLimitRule{Label: "POST /wallet/", MaxRequests: 60, Duration: 60}, // every wallet form, paying included
	)
	return app.Save(s)
}

func walletDown(app core.App) error {
	for _, stmt := range []string{
		`DROP TRIGGER IF EXISTS wallet_entries_no_update`,
		`DROP TRIGGER IF EXISTS wallet_entries_no_delete`,
		`DROP TRIGGER IF EXISTS wallet_postings_no_update`,
		`DROP TRIGGER IF EXISTS wallet_postings_no_delete`,
		`DROP TRIGGER IF EXISTS wallet_accounts_no_delete`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	for _, name := range []string{"aa_shares", "aa_requests", "wallet_withdrawals", "wallet_mints", "wallet_vouchers",
		"red_packet_claims", "red_packets", "wallet_transfers", "wallet_pins", "wallet_requests", "wallet_postings",
		"wallet_entries", "wallet_accounts"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	settings, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	for _, f := range []string{"currency_code", "currency_symbol", "transfer_max", "transfer_daily_max", "packet_max"} {
		settings.Fields.RemoveByName(f)
	}
	return app.Save(settings)
}
