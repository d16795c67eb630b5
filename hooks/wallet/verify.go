package wallet

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Report is what Verify found: how much it checked and every violation.
type Report struct {
	Accounts   int      `json:"accounts"`
	Entries    int      `json:"entries"`
	Postings   int      `json:"postings"`
	Transfers  int      `json:"transfers"`
	Packets    int      `json:"packets"`
	Merchants  int      `json:"merchants"`
	Violations []string `json:"violations"`
}

// OK reports whether no invariant was violated.
func (r Report) OK() bool { return len(r.Violations) == 0 }

// String is the report for people: one line of counts, then each
// violation on its own line.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "checked %d accounts (%d merchant), %d journal entries, %d postings, %d transfers, %d red packets\n",
		r.Accounts, r.Merchants, r.Entries, r.Postings, r.Transfers, r.Packets)
	if r.OK() {
		b.WriteString("OK: every invariant holds\n")
		return b.String()
	}
	fmt.Fprintf(&b, "%d VIOLATIONS:\n", len(r.Violations))
	for _, v := range r.Violations {
		b.WriteString("  - " + v + "\n")
	}
	return b.String()
}

// checks are the invariants of docs/SECURITY.md §16, each a query returning one
// text column per violation. They read one consistent snapshot (Verify runs
// them in one transaction).
var checks = []struct {
	name string
	sql  string
}{
	{"the postings of all entries sum to zero",
		`SELECT 'sum of all postings is ' || SUM(amount) FROM wallet_postings HAVING SUM(amount) != 0`},
	{"every entry balances and has two postings or more",
		`SELECT 'entry ' || e.id || ' (' || e.kind || '): ' || COUNT(p.id) || ' postings summing to ' || COALESCE(SUM(p.amount), 0)
		 FROM wallet_entries e LEFT JOIN wallet_postings p ON p.entry = e.id GROUP BY e.id HAVING COUNT(p.id) < 2 OR SUM(p.amount) != 0`},
	{"no posting moves zero",
		`SELECT 'posting ' || id || ' moves zero' FROM wallet_postings WHERE amount = 0`},
	{"every balance equals the sum of its postings",
		`SELECT 'account ' || a.id || ' (' || a.kind || '): balance ' || a.balance || ', postings ' || COALESCE(SUM(p.amount), 0)
		 FROM wallet_accounts a LEFT JOIN wallet_postings p ON p.account = a.id GROUP BY a.id HAVING a.balance != COALESCE(SUM(p.amount), 0)`},
	{"no balance below zero but the treasury's",
		`SELECT 'account ' || id || ' (' || kind || ') is at ' || balance FROM wallet_accounts WHERE balance < 0 AND kind != 'treasury'`},
	{"every posting's running balance is consistent",
		`SELECT 'posting ' || id || ' says balance ' || balance || ' but its account summed to ' || running
		 FROM (SELECT id, balance, SUM(amount) OVER (PARTITION BY account ORDER BY rowid ROWS UNBOUNDED PRECEDING) AS running FROM wallet_postings)
		 WHERE balance != running`},
	{"each transfer is debited once and settled at most once",
		`SELECT 'transfer ' || t.id || ' (' || t.state || '): ' ||
		   (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = t.id AND e.kind = 'transfer') || ' debits, ' ||
		   (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = t.id AND e.kind IN ('transfer_accept', 'transfer_return', 'transfer_refund')) || ' settlements'
		 FROM wallet_transfers t
		 WHERE (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = t.id AND e.kind = 'transfer') != 1
		    OR (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = t.id AND e.kind IN ('transfer_accept', 'transfer_return', 'transfer_refund')) != (t.state != 'pending')
		    OR (t.state = 'accepted') != EXISTS (SELECT 1 FROM wallet_entries e WHERE e.ref = t.id AND e.kind = 'transfer_accept')
		    OR (t.state = 'returned') != EXISTS (SELECT 1 FROM wallet_entries e WHERE e.ref = t.id AND e.kind = 'transfer_return')
		    OR (t.state = 'refunded') != EXISTS (SELECT 1 FROM wallet_entries e WHERE e.ref = t.id AND e.kind = 'transfer_refund')`},
	{"a transfer's escrow holds its amount while pending and nothing after",
		`SELECT 'transfer ' || t.id || ' (' || t.state || ') escrow holds ' || a.balance || ' of ' || t.amount
		 FROM wallet_transfers t JOIN wallet_accounts a ON a.id = t.escrow
		 WHERE a.balance != CASE WHEN t.state = 'pending' THEN t.amount ELSE 0 END`},
	{"a red packet's claims add up",
		`SELECT 'red packet ' || r.id || ': ' || COUNT(c.id) || ' claims of ' || COALESCE(SUM(c.amount), 0) || ', packet says ' || r.claimed_count || ' of ' || r.claimed_total
		 FROM red_packets r LEFT JOIN red_packet_claims c ON c.packet = r.id GROUP BY r.id
		 HAVING COUNT(c.id) != r.claimed_count OR COALESCE(SUM(c.amount), 0) != r.claimed_total OR r.claimed_count > r.count
		    OR COALESCE(MIN(c.amount), 1) < 1`},
	{"claims + refund = total, and a packet ends in one terminal state",
		`SELECT 'red packet ' || r.id || ' (' || r.state || '): claimed ' || r.claimed_total || ' + refunded ' || r.refunded || ' of ' || r.total
		 FROM red_packets r
		 WHERE (r.state = 'open' AND r.refunded != 0)
		    OR (r.state = 'finished' AND (r.claimed_count != r.count OR r.claimed_total != r.total OR r.refunded != 0))
		    OR (r.state = 'expired' AND r.claimed_total + r.refunded != r.total)`},
	{"a red packet's escrow holds what is unclaimed while open and nothing after",
		`SELECT 'red packet ' || r.id || ' (' || r.state || ') escrow holds ' || a.balance
		 FROM red_packets r JOIN wallet_accounts a ON a.id = r.escrow
		 WHERE a.balance != CASE WHEN r.state = 'open' THEN r.total - r.claimed_total ELSE 0 END`},
	{"each red packet is debited once, each claim paid once, each refund made at most once",
		`SELECT 'red packet ' || r.id || ': ' ||
		   (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = r.id AND e.kind = 'packet') || ' debits, ' ||
		   (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = r.id AND e.kind = 'packet_claim') || ' claim payments, ' ||
		   (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = r.id AND e.kind = 'packet_refund') || ' refunds'
		 FROM red_packets r
		 WHERE (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = r.id AND e.kind = 'packet') != 1
		    OR (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = r.id AND e.kind = 'packet_claim') != r.claimed_count
		    OR (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = r.id AND e.kind = 'packet_refund') != (r.refunded > 0)`},
	{"each voucher is redeemed at most once",
		`SELECT 'voucher ' || v.id || ': ' || (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = v.id AND e.kind = 'voucher') || ' redemptions'
		 FROM wallet_vouchers v WHERE (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = v.id AND e.kind = 'voucher') != (v.redeemed_by != '')`},
	{"each mint is posted once",
		`SELECT 'mint ' || m.id || ': ' || (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = m.id AND e.kind = 'mint') || ' entries'
		 FROM wallet_mints m WHERE (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = m.id AND e.kind = 'mint') != 1`},
	{"each withdrawal is debited once and settled at most once",
		`SELECT 'withdrawal ' || w.id || ' (' || w.state || ')'
		 FROM wallet_withdrawals w
		 WHERE (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = w.id AND e.kind = 'withdraw') != 1
		    OR (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = w.id AND e.kind IN ('withdraw_paid', 'withdraw_rejected')) != (w.state != 'pending')`},
	{"each AA share is paid at most once",
		`SELECT 'AA share ' || s.id || ': ' || (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = s.id AND e.kind = 'aa') || ' payments'
		 FROM aa_shares s WHERE (SELECT COUNT(*) FROM wallet_entries e WHERE e.ref = s.id AND e.kind = 'aa') != (s.entry != '')`},
	{"each owner has at most one merchant account",
		`SELECT 'owner ' || owner || ' has ' || COUNT(*) || ' merchant accounts' FROM wallet_accounts WHERE kind = 'merchant' GROUP BY owner HAVING COUNT(*) > 1`},
	{"each mini program entry moves a merchant account, and only they do",
		`SELECT 'entry ' || e.id || ' (' || e.kind || ')' FROM wallet_entries e
		 WHERE (e.kind IN ('mp_pay', 'mp_refund', 'mp_payout')) != EXISTS (SELECT 1 FROM wallet_postings p JOIN wallet_accounts a ON a.id = p.account
		   WHERE p.entry = e.id AND a.kind = 'merchant') AND e.kind != 'reversal'`},
	{"refunds of a mini program payment never exceed it",
		`SELECT 'payment ' || r.reverses || ' refunded ' || SUM(p.amount) || ' of ' || COALESCE((SELECT pp.amount FROM wallet_postings pp
		   JOIN wallet_entries pe ON pe.id = pp.entry WHERE pe.id = r.reverses AND pe.kind = 'mp_pay' AND pp.amount > 0), 0)
		 FROM wallet_entries r JOIN wallet_postings p ON p.entry = r.id AND p.amount > 0 WHERE r.kind = 'mp_refund' GROUP BY r.reverses
		 HAVING SUM(p.amount) > COALESCE((SELECT pp.amount FROM wallet_postings pp JOIN wallet_entries pe ON pe.id = pp.entry
		   WHERE pe.id = r.reverses AND pe.kind = 'mp_pay' AND pp.amount > 0), 0)`},
	{"each idempotency key is recorded once with its result",
		`SELECT 'idempotency key ' || member || '/' || key || ' has no result' FROM wallet_requests WHERE result IS NULL OR result = 'null'`},
}

// Verify recomputes every balance from the journal and checks every
// invariant of docs/SECURITY.md §16 on one snapshot of the database: a read
// transaction (WAL), so writers go on while it runs.
func Verify(app core.App) (Report, error) {
	r := Report{Violations: []string{}}
	conc, ok := app.ConcurrentDB().(*dbx.DB)
	if !ok {
		return r, fmt.Errorf("verify: unexpected database type %T", app.ConcurrentDB())
	}
	tx, err := conc.Begin()
	if err != nil {
		return r, fmt.Errorf("verify: begin: %w", err)
	}
	// The transaction only reads (one snapshot for every check): ending it
	// cannot lose anything, so its error is of no use.
	defer func() { _ = tx.Rollback() }()
	for _, c := range []struct {
		table string
		n     *int
	}{{"wallet_accounts", &r.Accounts}, {"wallet_entries", &r.Entries}, {"wallet_postings", &r.Postings},
		{"wallet_transfers", &r.Transfers}, {"red_packets", &r.Packets}, {"wallet_accounts WHERE kind = 'merchant'", &r.Merchants}} {
		if err := tx.NewQuery("SELECT COUNT(*) FROM " + c.table).Row(c.n); err != nil {
			return r, fmt.Errorf("count %s: %w", c.table, err)
		}
	}
	for _, c := range checks {
		var found []string
		if err := tx.NewQuery(c.sql).Column(&found); err != nil {
			return r, fmt.Errorf("check %q: %w", c.name, err)
		}
		for _, f := range found {
			r.Violations = append(r.Violations, c.name+": "+f)
		}
	}
	return r, nil
}
