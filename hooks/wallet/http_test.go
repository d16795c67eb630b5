package wallet_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// apiCall posts (or gets, when body is nil and method is GET) JSON to the
// wallet API as the member and decodes the answer.
func apiCall(t testing.TB, method, url, token, key string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, url, err)
		return 0, nil
	}
	defer res.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// TestConcurrentSpendingOverHTTP: 64 goroutines spend from one account
// through the real HTTP API (PIN, idempotency key, conditional debit,
// chat card): the balance never goes below zero and what was accepted
// adds up to at most the starting balance.
func TestConcurrentSpendingOverHTTP(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	token := testapp.Token(t, wd.ann)
	const n, each = 64, 70
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _ = apiCall(t, http.MethodPost, srv.URL+"/api/plaza/wallet/transfers", token, fmt.Sprintf("spend-%03d-key", i),
				map[string]any{"conversation": wd.annBo, "amount": each, "pin": "246810"})
			if b, err := wallet.Balance(wd.app, wd.ann.Id); err != nil || b < 0 {
				t.Errorf("balance %d (%v) while spending", b, err)
			}
		}()
	}
	wg.Wait()
	ok := 0
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("request %d: status %d", i, s)
		}
	}
	if ok*each > 1_000 || ok != 1_000/each {
		t.Fatalf("%d transfers of %d accepted from a balance of 1000", ok, each)
	}
	if b := wd.balance(t, wd.ann); b != int64(1_000-ok*each) {
		t.Fatalf("balance %d after %d transfers", b, ok)
	}
	wd.verify(t)
}

// TestConcurrentSameKeyOverHTTP: the same idempotency key from 8
// goroutines at once is applied once and all get the same answer.
func TestConcurrentSameKeyOverHTTP(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	token := testapp.Token(t, wd.ann)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, out := apiCall(t, http.MethodPost, srv.URL+"/api/plaza/wallet/transfers", token, "one-key-for-all",
				map[string]any{"conversation": wd.annBo, "amount": 250, "pin": "246810"})
			if status != http.StatusOK {
				t.Errorf("status %d: %v", status, out)
			}
			ids[i], _ = out["id"].(string)
		}()
	}
	wg.Wait()
	for i := range ids {
		if ids[i] == "" || ids[i] != ids[0] {
			t.Fatalf("answers differ: %v", ids)
		}
	}
	if b := wd.balance(t, wd.ann); b != 750 {
		t.Fatalf("balance %d: the key was applied more than once", b)
	}
	// The same key with another request is refused.
	status, _ := apiCall(t, http.MethodPost, srv.URL+"/api/plaza/wallet/transfers", token, "one-key-for-all",
		map[string]any{"conversation": wd.annBo, "amount": 300, "pin": "246810"})
	if status != http.StatusConflict {
		t.Fatalf("same key, other request: %d", status)
	}
	wd.verify(t)
}

// TestExpiryRaces: with a controllable clock, accept, return and expiry at
// T−1 ms, T and T+1 ms, and two sweeps at once, end each transfer and red
// packet in exactly one terminal state, and every escrow at zero.
func TestExpiryRaces(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 1_000_000)
	start := wd.now
	type tcase struct {
		offset time.Duration
		action string
	}
	var cases []tcase
	for _, off := range []time.Duration{-time.Millisecond, 0, time.Millisecond} {
		for _, a := range []string{"accept", "return", "claim"} {
			cases = append(cases, tcase{off, a})
		}
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s at T%+v", c.action, c.offset), func(t *testing.T) {
			wd.clockMu.Lock()
			wd.now = start
			wd.clockMu.Unlock()
			tr, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 100}, wd.pinFor(wd.ann.Id))
			if err != nil {
				t.Fatal(err)
			}
			p, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketLucky, Amount: 300, Count: 3}, wd.pinFor(wd.ann.Id))
			if err != nil {
				t.Fatal(err)
			}
			wd.advance(wallet.TransferTTL + c.offset)
			var wg sync.WaitGroup
			act := func() {
				defer wg.Done()
				switch c.action {
				case "accept":
					_, _ = wd.w.AcceptTransfer(wd.bo.Id, tr.ID)
				case "return":
					_, _ = wd.w.ReturnTransfer(wd.bo.Id, tr.ID)
				case "claim":
					_, _ = wd.w.ClaimPacket(wd.bo.Id, p.ID)
				}
			}
			sweep := func() {
				defer wg.Done()
				if _, err := wd.w.Sweep(); err != nil {
					t.Error(err)
				}
			}
			wg.Add(4)
			go act()
			go sweep()
			go sweep()
			go act()
			wg.Wait()
			// Whatever happened, a final sweep after the deadline settles the rest.
			wd.advance(2 * time.Millisecond)
			if _, err := wd.w.Sweep(); err != nil {
				t.Fatal(err)
			}
			got, _ := wd.w.TransferFor(wd.ann.Id, tr.ID)
			want := wallet.TransferRefunded
			if c.offset < 0 && c.action != "claim" {
				want = map[string]string{"accept": wallet.TransferAccepted, "return": wallet.TransferReturned}[c.action]
			}
			if got.State != want {
				t.Fatalf("transfer ended %s, want %s", got.State, want)
			}
			v, _ := wd.w.PacketFor(wd.ann.Id, p.ID)
			if v.State != wallet.PacketExpired {
				t.Fatalf("packet ended %s", v.State)
			}
			claimed := 0
			if c.action == "claim" && c.offset < 0 {
				claimed = 1
			}
			if len(v.Claims) != claimed || v.ClaimedTotal+v.Refunded != v.Total {
				t.Fatalf("claims %d (want %d), claimed %d + refunded %d of %d", len(v.Claims), claimed, v.ClaimedTotal, v.Refunded, v.Total)
			}
			wd.verify(t) // escrows at zero, one terminal entry each
		})
	}
}

// TestWalletAuthorization: no member can read another's balance, bills,
// ledger rows, transfers or packets, claim in a group they are not in, or
// pay without the PIN; the records API and SSE expose only one's own rows.
func TestWalletAuthorization(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	sse := testapp.Subscribe(t, srv.URL, testapp.Token(t, wd.outsider), "wallet_accounts", "wallet_postings", "wallet_entries",
		"wallet_transfers", "red_packets", "red_packet_claims", "wallet_mints", "wallet_requests", "wallet_pins")
	wd.mint(t, wd.ann, 10_000)
	wd.mint(t, wd.outsider, 500)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	tr, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 100}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	p, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketLucky, Amount: 300, Count: 3}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	rows, _, _, err := wallet.Bills(wd.app, wd.ann.Id, time.Date(wd.now.Year(), wd.now.Month(), 1, 0, 0, 0, 0, time.UTC), "")
	if err != nil || len(rows) == 0 {
		t.Fatalf("ann's bills: %v %v", rows, err)
	}
	h := testapp.Handler(t, wd.app)
	cookie := testapp.SessionCookie(t, wd.outsider)
	for _, path := range []string{"/wallet/transfers/" + tr.ID, "/wallet/packets/" + p.ID, "/wallet/bills/" + rows[0].Entry,
		"/wallet/transfer?c=" + wd.annBo, "/wallet/packet?c=" + wd.group, "/wallet/aa?c=" + wd.group} {
		if res := testapp.Do(h, http.MethodGet, path, "", map[string]string{"Cookie": cookie}); res.Code != http.StatusNotFound {
			t.Errorf("outsider GET %s: %d", path, res.Code)
		}
	}
	res := testapp.Do(h, http.MethodPost, "/wallet/packets/"+p.ID+"/open", "", map[string]string{"Cookie": cookie})
	if res.Code != http.StatusNotFound {
		t.Errorf("outsider opening a packet of a group they are not in: %d", res.Code)
	}
	outsiderToken := testapp.Token(t, wd.outsider)
	if s, _ := apiCall(t, http.MethodPost, srv.URL+"/api/plaza/wallet/packets/"+p.ID+"/claim", outsiderToken, "", nil); s != http.StatusNotFound {
		t.Errorf("outsider claim over the API: %d", s)
	}
	if s, _ := apiCall(t, http.MethodGet, srv.URL+"/api/plaza/wallet/transfers/"+tr.ID, outsiderToken, "", nil); s != http.StatusNotFound {
		t.Errorf("outsider reading a transfer: %d", s)
	}
	// Paying without the PIN, or with a wrong one, moves nothing.
	annToken := testapp.Token(t, wd.ann)
	for _, pin := range []string{"", "000000"} {
		s, out := apiCall(t, http.MethodPost, srv.URL+"/api/plaza/wallet/transfers", annToken, wd.key(),
			map[string]any{"conversation": wd.annBo, "amount": 100, "pin": pin})
		if s != http.StatusForbidden {
			t.Errorf("transfer with PIN %q: %d %v", pin, s, out)
		}
	}
	if b := wd.balance(t, wd.ann); b != 10_000-100-300 {
		t.Fatalf("ann's balance %d", b)
	}

	// The records API: own wallet account and postings only; nothing else.
	list := func(coll, token string) (int, []any) {
		s, out := apiCall(t, http.MethodGet, srv.URL+"/api/collections/"+coll+"/records?perPage=200", token, "", nil)
		items, _ := out["items"].([]any)
		return s, items
	}
	for _, coll := range []string{"wallet_accounts", "wallet_postings"} {
		s, items := list(coll, outsiderToken)
		if s != http.StatusOK || len(items) == 0 {
			t.Fatalf("%s own rows: %d %v", coll, s, items)
		}
		for _, it := range items {
			row := it.(map[string]any)
			if owner, ok := row["owner"]; ok && owner != wd.outsider.Id {
				t.Errorf("%s: outsider sees %v", coll, row)
			}
			if coll == "wallet_postings" && row["amount"] != 500.0 {
				t.Errorf("wallet_postings: outsider sees %v", row)
			}
		}
		if s, items := list(coll, ""); s == http.StatusOK && len(items) > 0 {
			t.Errorf("%s: a guest sees %v", coll, items)
		}
	}
	for _, coll := range []string{"wallet_entries", "wallet_transfers", "red_packets", "red_packet_claims", "wallet_requests",
		"wallet_pins", "wallet_vouchers", "wallet_mints", "wallet_withdrawals", "aa_requests", "aa_shares"} {
		if s, items := list(coll, annToken); s == http.StatusOK && len(items) > 0 {
			t.Errorf("%s: a member lists %d rows", coll, len(items))
		}
	}
	if s, _ := apiCall(t, http.MethodGet, srv.URL+"/api/collections/wallet_accounts/records?filter=(kind='treasury')", annToken, "", nil); s != http.StatusOK {
		t.Errorf("filtering: %d", s)
	}
	// Not even a superuser can change a balance or write the journal through the API.
	su, err := wd.app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "test@example.com")
	if err != nil {
		su = superuser(t, wd.app)
	}
	suToken, _ := su.NewAuthToken()
	var accID string
	_ = wd.app.DB().NewQuery("SELECT id FROM wallet_accounts WHERE owner = {:m}").Bind(map[string]any{"m": wd.ann.Id}).Row(&accID)
	if s, _ := apiCall(t, http.MethodPatch, srv.URL+"/api/collections/wallet_accounts/records/"+accID, suToken, "", map[string]any{"balance": 1e9}); s != http.StatusForbidden {
		t.Errorf("superuser editing a balance: %d", s)
	}
	if s, _ := apiCall(t, http.MethodPost, srv.URL+"/api/collections/wallet_entries/records", suToken, "", map[string]any{"kind": "mint"}); s != http.StatusForbidden {
		t.Errorf("superuser writing the journal: %d", s)
	}
	// A superuser mints through /_/ (a wallet_mints record) and runs the verifier.
	if s, out := apiCall(t, http.MethodPost, srv.URL+"/api/collections/wallet_mints/records", suToken, "", map[string]any{"member": wd.bo.Id, "amount": 1234, "note": "prize"}); s != http.StatusOK {
		t.Errorf("superuser mint through the records API: %d %v", s, out)
	}
	if b := wd.balance(t, wd.bo); b != 1234 {
		t.Errorf("bo after the admin mint: %d", b)
	}
	if s, out := apiCall(t, http.MethodGet, srv.URL+"/api/plaza/admin/wallet/verify", suToken, "", nil); s != http.StatusOK || len(out["violations"].([]any)) != 0 {
		t.Errorf("verify route: %d %v", s, out)
	}
	if s, _ := apiCall(t, http.MethodGet, srv.URL+"/api/plaza/admin/wallet/verify", annToken, "", nil); s != http.StatusForbidden && s != http.StatusUnauthorized {
		t.Errorf("a member ran the verifier: %d", s)
	}
	time.Sleep(300 * time.Millisecond)
	for _, ev := range sse.Events() {
		if !strings.Contains(ev, wd.outsider.Id) {
			t.Errorf("SSE delivered someone else's wallet row: %s", ev)
		}
	}
}

// TestBillsPageAndCSV: the month's movements with totals, the kind filter,
// one bill, and the CSV export (with spreadsheet formulas defused).
func TestBillsPageAndCSV(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	if _, err := wd.w.SendTransfer(wd.ann.Id, wd.key(), wallet.TransferInput{Conversation: wd.annBo, Amount: 1_234, Note: "=HYPERLINK(\"x\")"}, wd.pinFor(wd.ann.Id)); err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, wd.app)
	cookie := map[string]string{"Cookie": testapp.SessionCookie(t, wd.ann)}
	month := wd.now.Format("2006-01")
	res := testapp.Do(h, http.MethodGet, "/wallet/bills?m="+month, "", cookie)
	body := res.Body.String()
	if res.Code != http.StatusOK || strings.Count(body, `data-testid="bill-row"`) != 2 || !strings.Contains(body, "100.00") || !strings.Contains(body, "12.34") {
		t.Fatalf("bills page: %d\n%s", res.Code, body)
	}
	res = testapp.Do(h, http.MethodGet, "/wallet/bills?m="+month+"&k=out", "", cookie)
	if strings.Count(res.Body.String(), `data-testid="bill-row"`) != 1 {
		t.Fatalf("money-out filter shows %d rows", strings.Count(res.Body.String(), `data-testid="bill-row"`))
	}
	res = testapp.Do(h, http.MethodGet, "/wallet/bills.csv?m="+month, "", cookie)
	csv := res.Body.String()
	if res.Code != http.StatusOK || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv, "time_utc,kind,with,amount_cny") || !strings.Contains(csv, ",-12.34,") ||
		!strings.Contains(csv, "'=HYPERLINK") || !strings.Contains(csv, ",100.00,") {
		t.Fatalf("csv: %d %s\n%s", res.Code, res.Header().Get("Content-Type"), csv)
	}
	rows, _, _, _ := wallet.Bills(wd.app, wd.ann.Id, time.Date(wd.now.Year(), wd.now.Month(), 1, 0, 0, 0, 0, time.UTC), "")
	res = testapp.Do(h, http.MethodGet, "/wallet/bills/"+rows[0].Entry, "", cookie)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "bo_wang") {
		t.Fatalf("one bill: %d", res.Code)
	}
}
