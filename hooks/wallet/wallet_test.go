package wallet_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

func init() { wallet.PINCost = bcrypt.MinCost }

// world is a test app with three friends (ann–bo, ann–cy), their 1:1 chats
// and a group of the three, and a controllable clock.
type world struct {
	app            core.App
	w              *wallet.Wallet
	ann, bo, cy    *core.Record
	annBo, annCy   string
	group          string
	now            time.Time
	clockMu        sync.Mutex
	keys           int
	outsider       *core.Record
	outsiderDirect string

	tb     testing.TB
	pinsMu sync.Mutex
	pins   map[string]string // member id → the pay PIN pinFor set
}

// testPIN is the pay PIN pinFor gives a member who pays without one set.
const testPIN = "975319"

// pinFor is the PIN option of a payment by memberID: every outgoing payment
// checks the payer's PIN itself (TestEveryPaymentNeedsThePIN), so a member
// who has none gets testPIN first. A member whose PIN the test set itself
// must pay with wallet.WithPIN and that PIN.
func (wd *world) pinFor(memberID string) wallet.Option {
	wd.pinsMu.Lock()
	defer wd.pinsMu.Unlock()
	if pin, ok := wd.pins[memberID]; ok {
		return wallet.WithPIN(pin)
	}
	if err := wd.w.SetPIN(memberID, testPIN); err != nil {
		wd.tb.Errorf("pinFor %s: %v (a PIN the test set: pay with wallet.WithPIN)", memberID, err)
	}
	if wd.pins == nil {
		wd.pins = map[string]string{}
	}
	wd.pins[memberID] = testPIN
	return wallet.WithPIN(testPIN)
}

// setPIN sets the member's first pay PIN, which pinFor then pays with.
func (wd *world) setPIN(memberID, pin string) error {
	if err := wd.w.SetPIN(memberID, pin); err != nil {
		return err
	}
	wd.pinsMu.Lock()
	defer wd.pinsMu.Unlock()
	if wd.pins == nil {
		wd.pins = map[string]string{}
	}
	wd.pins[memberID] = pin
	return nil
}

// clock is the world's controllable time.
func (wd *world) clock() time.Time {
	wd.clockMu.Lock()
	defer wd.clockMu.Unlock()
	return wd.now
}

func befriend(t testing.TB, app core.App, a, b *core.Record) {
	t.Helper()
	testapp.Befriend(t, app, a, b)
}

func newWorld(t testing.TB) *world {
	t.Helper()
	app := testapp.New(t)
	wd := &world{app: app, w: testapp.Services(t, app).Wallet, tb: t, now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC),
		ann: testapp.CreateMember(t, app, "ann_lee"), bo: testapp.CreateMember(t, app, "bo_wang"),
		cy: testapp.CreateMember(t, app, "cy_chen"), outsider: testapp.CreateMember(t, app, "oz_out")}
	wd.w.SetClock(wd.clock)
	befriend(t, app, wd.ann, wd.bo)
	befriend(t, app, wd.ann, wd.cy)
	var err error
	if wd.annBo, err = chat.OpenDirect(app, wd.ann.Id, wd.bo.Id); err != nil {
		t.Fatal(err)
	}
	if wd.annCy, err = chat.OpenDirect(app, wd.ann.Id, wd.cy.Id); err != nil {
		t.Fatal(err)
	}
	if wd.group, err = testapp.Services(t, app).Chat.CreateGroup(wd.ann.Id, "Trip", []string{wd.bo.Id, wd.cy.Id}); err != nil {
		t.Fatal(err)
	}
	return wd
}

func (wd *world) advance(d time.Duration) {
	wd.clockMu.Lock()
	wd.now = wd.now.Add(d)
	wd.clockMu.Unlock()
}

func (wd *world) key() string {
	wd.keys++
	return fmt.Sprintf("test-key-%06d", wd.keys)
}

func (wd *world) mint(t testing.TB, m *core.Record, amount int64) {
	t.Helper()
	if _, err := wallet.Mint(wd.app, m.GetString("plaza_id"), amount, "test"); err != nil {
		t.Fatal(err)
	}
}

func (wd *world) balance(t testing.TB, m *core.Record) int64 {
	t.Helper()
	b, err := wallet.Balance(wd.app, m.Id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (wd *world) verify(t testing.TB) {
	t.Helper()
	r, err := wallet.Verify(wd.app)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Fatalf("verify:\n%s", r)
	}
}

func problemKey(err error) string {
	if p, ok := problem.As(err); ok {
		return p.Key
	}
	if err != nil {
		return "internal: " + err.Error()
	}
	return ""
}

func TestTransferAcceptReturnAndRefund(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	tr, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 2_500, Note: "lunch"}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	if got := wd.balance(t, wd.ann); got != 7_500 {
		t.Fatalf("ann after sending: %d", got)
	}
	wd.verify(t)
	if _, err := wd.w.AcceptTransfer(wd.ann.Id, tr.ID); problemKey(err) != "wallet.not_recipient" {
		t.Fatalf("sender accepting: %v", err)
	}
	if _, err := wd.w.AcceptTransfer(wd.cy.Id, tr.ID); problemKey(err) != "wallet.not_found" {
		t.Fatalf("stranger accepting: %v", err)
	}
	got, err := wd.w.AcceptTransfer(wd.bo.Id, tr.ID)
	if err != nil || got.State != wallet.TransferAccepted {
		t.Fatalf("accept: %+v %v", got, err)
	}
	if _, err := wd.w.AcceptTransfer(wd.bo.Id, tr.ID); err != nil {
		t.Fatalf("accepting twice is a retry: %v", err)
	}
	if _, err := wd.w.ReturnTransfer(wd.bo.Id, tr.ID); problemKey(err) != "wallet.transfer_accepted" {
		t.Fatalf("returning an accepted transfer: %v", err)
	}
	if a, b := wd.balance(t, wd.ann), wd.balance(t, wd.bo); a != 7_500 || b != 2_500 {
		t.Fatalf("balances %d %d", a, b)
	}

	// Returned, and one that expires.
	tr2, _ := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 1_000}, wd.pinFor(wd.ann.Id))
	if _, err := wd.w.ReturnTransfer(wd.bo.Id, tr2.ID); err != nil {
		t.Fatal(err)
	}
	tr3, _ := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 1_000}, wd.pinFor(wd.ann.Id))
	wd.advance(wallet.TransferTTL)
	if _, err := wd.w.AcceptTransfer(wd.bo.Id, tr3.ID); problemKey(err) != "wallet.transfer_refunded" {
		t.Fatalf("accepting at expiry: %v", err)
	}
	if n, err := wd.w.Sweep(); err != nil || n != 0 {
		t.Fatalf("sweep after the lazy refund: %d %v", n, err)
	}
	if a := wd.balance(t, wd.ann); a != 7_500 {
		t.Fatalf("ann after return and refund: %d", a)
	}
	wd.verify(t)

	// The chat shows the cards: sent, accepted, sent, returned, sent.
	msgs, err := chat.Messages(wd.app, wd.bo.Id, wd.annBo, 0, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, m := range msgs {
		if m.Card != nil {
			types = append(types, m.Card.Type)
		}
	}
	if fmt.Sprint(types) != "[transfer accepted transfer returned transfer]" {
		t.Fatalf("cards: %v", types)
	}
}

func TestTransferRefusals(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 1_000)
	cases := []struct {
		name string
		who  *core.Record
		in   wallet.TransferInput
		want string
	}{
		{"more than the balance", wd.ann, wallet.TransferInput{Conversation: wd.annBo, Amount: 1_001}, "wallet.insufficient"},
		{"zero", wd.ann, wallet.TransferInput{Conversation: wd.annBo, Amount: 0}, ""},
		{"a group", wd.ann, wallet.TransferInput{Conversation: wd.group, Amount: 1}, "wallet.not_found"},
		{"someone else's chat", wd.outsider, wallet.TransferInput{Conversation: wd.annBo, Amount: 1}, "wallet.not_found"},
	}
	for _, c := range cases {
		_, err := wd.w.SendTransfer(c.who.Id, wd.key(), c.in, wd.pinFor(c.who.Id))
		p, ok := problem.As(err)
		if !ok || p.Key != c.want {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if a := wd.balance(t, wd.ann); a != 1_000 {
		t.Fatalf("refusals changed the balance: %d", a)
	}
	// Members cannot make money cards themselves, for new or existing items.
	tr, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 10}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	for _, card := range []chat.CardRequest{{Type: wallet.CardTransfer, Ref: tr.ID}, {Type: wallet.CardAccepted, Ref: tr.ID},
		{Type: wallet.CardPacket, Ref: "madeupmadeup123"}, {Type: wallet.CardAA, Ref: "madeupmadeup123"}} {
		_, err := testapp.Services(t, wd.app).Chat.Send(wd.ann.Id, wd.annBo, chat.SendInput{ClientID: "forged-" + card.Type, Kind: chat.MsgCard, Card: &card})
		if p, ok := problem.As(err); !ok || p.Status != http.StatusNotFound {
			t.Errorf("a forged %s card: %v", card.Type, err)
		}
	}
	wd.verify(t)
}

func TestIdempotencyKeys(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	key := wd.key()
	in := wallet.TransferInput{Conversation: wd.annBo, Amount: 700}
	first, err := wd.w.SendTransfer(wd.ann.Id, key, in, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	again, err := wd.w.SendTransfer(wd.ann.Id, key, in, wd.pinFor(wd.ann.Id))
	if err != nil || again.ID != first.ID {
		t.Fatalf("retry: %+v %v", again, err)
	}
	in.Amount = 800
	if _, err := wd.w.SendTransfer(wd.ann.Id, key, in, wd.pinFor(wd.ann.Id)); problemKey(err) != "wallet.key_reused" {
		t.Fatalf("same key, another request: %v", err)
	}
	if b := wd.balance(t, wd.ann); b != 9_300 {
		t.Fatalf("balance %d", b)
	}

	// The same key from 8 goroutines at once: applied once, one answer.
	key = wd.key()
	in.Amount = 100
	var wg sync.WaitGroup
	ids := make([]string, 8)
	errs := make([]error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr, err := wd.w.SendTransfer(wd.ann.Id, key, in, wd.pinFor(wd.ann.Id))
			ids[i], errs[i] = tr.ID, err
		}()
	}
	wg.Wait()
	for i := range 8 {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("goroutine %d: %s %v (first %s)", i, ids[i], errs[i], ids[0])
		}
	}
	if b := wd.balance(t, wd.ann); b != 9_200 {
		t.Fatalf("balance after 8 concurrent duplicates: %d", b)
	}
	wd.verify(t)
}

func TestPINLockSurvivesAndCounts(t *testing.T) {
	wd := newWorld(t)
	if err := wd.w.CheckPIN(wd.ann.Id, "123456"); problemKey(err) != "wallet.no_pin" {
		t.Fatalf("no PIN yet: %v", err)
	}
	if err := wd.w.SetPIN(wd.ann.Id, "12345"); problemKey(err) != "" {
		if p, _ := problem.As(err); p == nil || p.Status != http.StatusBadRequest {
			t.Fatalf("short PIN: %v", err)
		}
	}
	if err := wd.w.SetPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	if err := wd.w.SetPIN(wd.ann.Id, "111111"); problemKey(err) != "wallet.pin_exists" {
		t.Fatalf("second SetPIN: %v", err)
	}
	for i := 1; i < wallet.PINTries; i++ {
		if err := wd.w.CheckPIN(wd.ann.Id, "000000"); problemKey(err) != "wallet.pin_wrong" {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if err := wd.w.CheckPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatalf("the right PIN before the lock resets the count: %v", err)
	}
	for i := 0; i < wallet.PINTries-1; i++ {
		_ = wd.w.CheckPIN(wd.ann.Id, "000000")
	}
	if err := wd.w.CheckPIN(wd.ann.Id, "000000"); problemKey(err) != "wallet.pin_locked" {
		t.Fatalf("fifth wrong try: %v", err)
	}
	// A fresh wallet on the same database (as after a restart) is locked too.
	fresh := wallet.New(wd.app, module.New(), testapp.Services(t, wd.app).Chat)
	fresh.SetClock(wd.clock)
	if err := fresh.CheckPIN(wd.ann.Id, "246810"); problemKey(err) != "wallet.pin_locked" {
		t.Fatalf("right PIN while locked: %v", err)
	}
	wd.advance(wallet.PINLock - time.Second)
	if err := wd.w.CheckPIN(wd.ann.Id, "246810"); problemKey(err) != "wallet.pin_locked" {
		t.Fatalf("just before the lock ends: %v", err)
	}
	wd.advance(time.Second)
	if err := wd.w.CheckPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if err := wd.w.ChangePIN(wd.ann.Id, "", "wrong-password", "135790"); problemKey(err) != "" {
		if p, _ := problem.As(err); p == nil || p.Fields[0].Key != "wallet.password_wrong" {
			t.Fatalf("change with a wrong password: %v", err)
		}
	}
	if err := wd.w.ChangePIN(wd.ann.Id, "", testapp.DefaultPassword, "135790"); err != nil {
		t.Fatal(err)
	}
	if err := wd.w.ChangePIN(wd.ann.Id, "135790", "", "975310"); err != nil {
		t.Fatal(err)
	}
	if err := wd.w.CheckPIN(wd.ann.Id, "975310"); err != nil {
		t.Fatal(err)
	}
}

func TestRedPacketsInAGroup(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	p, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketLucky, Amount: 1_000, Count: 3, Greeting: "Happy trip"}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	if p.Seed != "" || len(p.Commitment) != 64 {
		t.Fatalf("open packet shows seed %q, commitment %q", p.Seed, p.Commitment)
	}
	if _, err := wd.w.ClaimPacket(wd.outsider.Id, p.ID); problemKey(err) != "wallet.not_found" {
		t.Fatalf("outsider: %v", err)
	}
	var sum, annGot int64
	for _, m := range []*core.Record{wd.bo, wd.cy, wd.ann} {
		c, err := wd.w.ClaimPacket(m.Id, p.ID)
		if err != nil || c.Amount < 1 {
			t.Fatalf("claim by %s: %+v %v", m.GetString("plaza_id"), c, err)
		}
		again, err := wd.w.ClaimPacket(m.Id, p.ID)
		if err != nil || again.Amount != c.Amount {
			t.Fatalf("claiming twice: %+v %v", again, err)
		}
		sum += c.Amount
		if m == wd.ann {
			annGot = c.Amount
		}
	}
	if sum != 1_000 {
		t.Fatalf("claims sum to %d", sum)
	}
	v, err := wd.w.PacketFor(wd.bo.Id, p.ID)
	if err != nil || v.State != wallet.PacketFinished || v.Seed == "" || v.Luckiest == "" || len(v.Claims) != 3 {
		t.Fatalf("finished packet: %+v %v", v, err)
	}
	wd.verify(t)

	// Normal and exclusive packets; an expired one refunds the rest once.
	n, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketNormal, Amount: 100, Count: 3}, wd.pinFor(wd.ann.Id))
	if err != nil || n.Total != 300 {
		t.Fatalf("normal: %+v %v", n, err)
	}
	if c, err := wd.w.ClaimPacket(wd.bo.Id, n.ID); err != nil || c.Amount != 100 {
		t.Fatalf("normal claim: %+v %v", c, err)
	}
	x, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketExclusive, Amount: 500, Target: wd.cy.Id}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wd.w.ClaimPacket(wd.bo.Id, x.ID); problemKey(err) != "wallet.packet_not_yours" {
		t.Fatalf("exclusive by another: %v", err)
	}
	wd.advance(wallet.PacketTTL)
	if c, err := wd.w.Sweep(); err != nil || c != 2 {
		t.Fatalf("sweep: %d %v", c, err)
	}
	if c, err := wd.w.Sweep(); err != nil || c != 0 {
		t.Fatalf("second sweep: %d %v", c, err)
	}
	if _, err := wd.w.ClaimPacket(wd.cy.Id, x.ID); problemKey(err) != "wallet.packet_expired" {
		t.Fatalf("claim after expiry: %v", err)
	}
	if a := wd.balance(t, wd.ann); a != 10_000-1_000+annGot-100 {
		t.Fatalf("ann after refunds: %d", a)
	}
	wd.verify(t)
}

func TestJournalIsAppendOnly(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 100)
	for _, stmt := range []string{
		"UPDATE wallet_postings SET amount = amount + 1",
		"DELETE FROM wallet_entries",
		"UPDATE wallet_entries SET memo = 'x'",
		"DELETE FROM wallet_postings",
		"DELETE FROM wallet_accounts",
	} {
		if _, err := wd.app.DB().NewQuery(stmt).Execute(); err == nil {
			t.Errorf("%s: allowed", stmt)
		}
	}
	wd.verify(t)
}

func TestCollectCodeAndPay(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.bo, 1_000)
	open, err := wd.w.CollectLink(wd.ann.Id, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := wd.w.ParseCollect(open)
	if err != nil || c.Payee.Id != wd.ann.Id || c.Amount != 0 {
		t.Fatalf("open code: %+v %v", c, err)
	}
	r, err := wd.w.Pay(wd.bo.Id, wd.key(), c, 350, "", wd.pinFor(wd.bo.Id))
	if err != nil || r.Amount != 350 {
		t.Fatalf("pay: %+v %v", r, err)
	}
	fixed, _ := wd.w.CollectLink(wd.ann.Id, 120)
	c, err = wd.w.ParseCollect(fixed)
	if err != nil || c.Amount != 120 {
		t.Fatalf("fixed code: %+v %v", c, err)
	}
	if r, err := wd.w.Pay(wd.bo.Id, wd.key(), c, 999, "", wd.pinFor(wd.bo.Id)); err != nil || r.Amount != 120 {
		t.Fatalf("a fixed code's amount wins over the form: %+v %v", r, err)
	}
	if _, err := wd.w.ParseCollect(fixed + "0"); err == nil {
		t.Fatal("a tampered code was accepted")
	}
	if err := wd.w.ResetCollect(wd.ann.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := wd.w.ParseCollect(open); problemKey(err) != "scan.revoked" {
		t.Fatalf("a reset code: %v", err)
	}
	if a, b := wd.balance(t, wd.ann), wd.balance(t, wd.bo); a != 470 || b != 530 {
		t.Fatalf("balances %d %d", a, b)
	}
	// Both have receipts in their Pay Notifications chat.
	for _, m := range []*core.Record{wd.ann, wd.bo} {
		list, err := chat.List(wd.app, m.Id)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range list {
			if s.Kind == chat.KindService && s.LastSeq == 2 {
				found = true
			}
		}
		if !found {
			t.Errorf("%s has no Pay Notifications with two receipts: %+v", m.GetString("plaza_id"), list)
		}
	}
	wd.verify(t)
}

func TestAACollection(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.bo, 1_000)
	a, err := wd.w.StartAA(wd.ann.Id, wd.key(), wallet.AAInput{Conversation: wd.group, Title: "Dinner", Each: 250, Members: []string{wd.bo.Id, wd.cy.Id, wd.ann.Id}})
	if err != nil || len(a.Shares) != 2 {
		t.Fatalf("start: %+v %v", a, err)
	}
	if _, err := wd.w.PayAA(wd.outsider.Id, wd.key(), a.ID, wd.pinFor(wd.outsider.Id)); problemKey(err) != "wallet.not_found" {
		t.Fatalf("outsider: %v", err)
	}
	if _, err := wd.w.PayAA(wd.cy.Id, wd.key(), a.ID, wd.pinFor(wd.cy.Id)); problemKey(err) != "wallet.insufficient" {
		t.Fatalf("cy has nothing: %v", err)
	}
	if _, err := wd.w.PayAA(wd.bo.Id, wd.key(), a.ID, wd.pinFor(wd.bo.Id)); err != nil {
		t.Fatal(err)
	}
	if _, err := wd.w.PayAA(wd.bo.Id, wd.key(), a.ID, wd.pinFor(wd.bo.Id)); problemKey(err) != "wallet.aa_paid" {
		t.Fatalf("paying twice: %v", err)
	}
	got, err := wd.w.AAFor(wd.ann.Id, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	paid := 0
	for _, s := range got.Shares {
		if s.Paid() {
			paid++
		}
	}
	if paid != 1 || wd.balance(t, wd.ann) != 250 {
		t.Fatalf("paid %d, ann %d", paid, wd.balance(t, wd.ann))
	}
	wd.verify(t)
}

func TestVerifyFindsViolations(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 1_000)
	if _, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 100}, wd.pinFor(wd.ann.Id)); err != nil {
		t.Fatal(err)
	}
	wd.verify(t)
	for _, stmt := range []string{
		"UPDATE wallet_accounts SET balance = balance - 5 WHERE kind = 'member'",
		"UPDATE wallet_transfers SET state = 'accepted'",
		"DROP TRIGGER wallet_postings_no_update",
		"UPDATE wallet_postings SET amount = amount + 1 WHERE rowid = (SELECT MIN(rowid) FROM wallet_postings)",
	} {
		if _, err := wd.app.DB().NewQuery(stmt).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	r, err := wallet.Verify(wd.app)
	if err != nil {
		t.Fatal(err)
	}
	report := r.String()
	for _, want := range []string{"sum of all postings is 1", "every balance equals the sum", "each transfer is debited once and settled at most once",
		"escrow holds its amount", "running balance"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report misses %q:\n%s", want, report)
		}
	}
}

func TestVouchersAndWithdrawals(t *testing.T) {
	wd := newWorld(t)
	coll, err := wd.app.FindCollectionByNameOrId(wallet.VouchersCollection)
	if err != nil {
		t.Fatal(err)
	}
	v := core.NewRecord(coll)
	v.Set("code", "spring-2026")
	v.Set("amount", 2_000)
	if err := wd.app.Save(v); err != nil {
		t.Fatal(err)
	}
	if got, err := wd.w.RedeemVoucher(wd.ann.Id, wd.key(), " SPRING-2026 "); err != nil || got != 2_000 {
		t.Fatalf("redeem: %d %v", got, err)
	}
	if _, err := wd.w.RedeemVoucher(wd.bo.Id, wd.key(), "spring-2026"); err == nil {
		t.Fatal("a voucher was redeemed twice")
	}
	if _, err := wd.w.RedeemVoucher(wd.bo.Id, wd.key(), "no-such-code"); err == nil {
		t.Fatal("an unknown voucher was redeemed")
	}
	v, _ = wd.app.FindRecordById(wallet.VouchersCollection, v.Id)
	v.Set("amount", 9_999)
	if err := wd.app.Save(v); err == nil {
		t.Fatal("a redeemed voucher was changed")
	}

	// Two withdrawals: one paid out, one rejected; each settles once.
	paid, err := wd.w.RequestWithdrawal(wd.ann.Id, wd.key(), 500, "bank account 1234", wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	rejected, err := wd.w.RequestWithdrawal(wd.ann.Id, wd.key(), 300, "bank account 1234", wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	if b := wd.balance(t, wd.ann); b != 1_200 {
		t.Fatalf("balance while withdrawals wait: %d", b)
	}
	settle := func(id, state string, change func(r *core.Record)) error {
		r, err := wd.app.FindRecordById(wallet.WithdrawalsCollection, id)
		if err != nil {
			t.Fatal(err)
		}
		r.Set("state", state)
		if change != nil {
			change(r)
		}
		return wd.app.Save(r)
	}
	if err := settle(paid, wallet.WithdrawalPaid, func(r *core.Record) { r.Set("amount", 1) }); err == nil {
		t.Fatal("settling changed the amount")
	}
	if err := settle(paid, wallet.WithdrawalPaid, nil); err != nil {
		t.Fatal(err)
	}
	if err := settle(rejected, wallet.WithdrawalRejected, nil); err != nil {
		t.Fatal(err)
	}
	if err := settle(rejected, wallet.WithdrawalPaid, nil); err == nil {
		t.Fatal("a withdrawal was settled twice")
	}
	if b := wd.balance(t, wd.ann); b != 1_500 {
		t.Fatalf("balance after one paid and one rejected withdrawal: %d", b)
	}
	wd.verify(t)
}
