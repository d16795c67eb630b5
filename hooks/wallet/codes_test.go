package wallet_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// client calls the wallet's JSON API as an outside client would: real
// HTTP on loopback, JSON bodies, the Authorization and Idempotency-Key
// headers.
type client struct {
	t   *testing.T
	url string
}

// do sends one request; raw, when not empty, is sent as the body as it is
// (for malformed JSON).
func (c client) do(method, path, token, key string, body any, raw string) (int, map[string]any) {
	c.t.Helper()
	data := []byte(raw)
	if raw == "" && body != nil {
		data, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, c.url+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// wantError checks an error answer: the status, the machine code, a
// non-empty message, and (when field is set) the field's own code.
func wantError(t *testing.T, name string, status int, out map[string]any, wantStatus int, wantCode, field, fieldCode string) {
	t.Helper()
	if status != wantStatus || out["code"] != wantCode {
		t.Errorf("%s: got %d %v, want %d %s", name, status, out, wantStatus, wantCode)
		return
	}
	if msg, _ := out["message"].(string); msg == "" || strings.Contains(msg, "errors.") || strings.Contains(msg, "wallet.") {
		t.Errorf("%s: message %q is not a translated sentence", name, msg)
	}
	if field != "" {
		data, _ := out["data"].(map[string]any)
		f, _ := data[field].(map[string]any)
		if f["code"] != fieldCode {
			t.Errorf("%s: data.%s = %v, want code %s", name, field, data[field], fieldCode)
		}
	}
}

func superuser(t *testing.T, app core.App) *core.Record {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(c)
	r.SetEmail("codes-admin@example.test")
	r.SetPassword("a-strong-password-1")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWalletAPIErrorCodes triggers every error code docs/API.md names for
// the wallet's JSON routes, from the client's side: status and code.
func TestWalletAPIErrorCodes(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	c := client{t: t, url: srv.URL}
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	if err := wd.setPIN(wd.cy.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	ann, bo, cy, oz := testapp.Token(t, wd.ann), testapp.Token(t, wd.bo), testapp.Token(t, wd.cy), testapp.Token(t, wd.outsider)
	transfer := func(amount int, pin string) map[string]any {
		return map[string]any{"conversation": wd.annBo, "amount": amount, "pin": pin}
	}

	// A transfer and a packet to act on.
	s, tr := c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-transfer-1", transfer(100, "246810"), "")
	if s != http.StatusOK {
		t.Fatalf("transfer: %d %v", s, tr)
	}
	trID, _ := tr["id"].(string)
	s, pk := c.do("POST", "/api/plaza/wallet/packets", ann, "codes-packet-1",
		map[string]any{"conversation": wd.group, "kind": "lucky", "amount": 100, "count": 1, "greeting": "hi", "pin": "246810"}, "")
	if s != http.StatusOK {
		t.Fatalf("packet: %d %v", s, pk)
	}
	pkID, _ := pk["id"].(string)
	s, pk2 := c.do("POST", "/api/plaza/wallet/packets", ann, "codes-packet-2",
		map[string]any{"conversation": wd.group, "kind": "lucky", "amount": 100, "count": 2, "pin": "246810"}, "")
	if s != http.StatusOK {
		t.Fatalf("packet: %d %v", s, pk2)
	}
	pk2ID, _ := pk2["id"].(string)
	openLink, err := wd.w.CollectLink(wd.bo.Id, 0)
	if err != nil {
		t.Fatal(err)
	}
	idOf := func(s int, out map[string]any) string {
		t.Helper()
		if s != http.StatusOK {
			t.Fatalf("setup: %d %v", s, out)
		}
		id, _ := out["id"].(string)
		return id
	}
	directID := idOf(c.do("POST", "/api/plaza/wallet/packets", ann, "codes-packet-direct",
		map[string]any{"conversation": wd.annBo, "kind": "normal", "amount": 10, "count": 1, "pin": "246810"}, ""))
	exclusiveID := idOf(c.do("POST", "/api/plaza/wallet/packets", ann, "codes-packet-exclusive",
		map[string]any{"conversation": wd.group, "kind": "exclusive", "amount": 10, "target": wd.cy.Id, "pin": "246810"}, ""))
	tr2ID := idOf(c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-transfer-2", transfer(10, "246810"), ""))
	tr3ID := idOf(c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-transfer-3", transfer(10, "246810"), ""))

	steps := []struct {
		name              string
		method, path      string
		token, key        string
		body              any
		raw               string
		before            func()
		status            int
		code, field, fcod string
	}{
		{name: "no credentials", method: "GET", path: "/api/plaza/wallet", status: 401, code: "auth.required"},
		{name: "a bad token", method: "GET", path: "/api/plaza/wallet", token: "not-a-token", status: 401, code: "auth.required"},
		{name: "no Idempotency-Key", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, body: transfer(10, "246810"),
			status: 400, code: "wallet.key_required"},
		{name: "a malformed Idempotency-Key", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "short",
			body: transfer(10, "246810"), status: 400, code: "wallet.key_invalid"},
		{name: "malformed JSON", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-bad-json",
			raw: `{"amount": "twelve"`, status: 400, code: "request.invalid"},
		{name: "a zero amount", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-zero-amount",
			body: transfer(0, "246810"), status: 400, code: "request.invalid", field: "amount", fcod: "wallet.amount_bad"},
		{name: "no pay PIN set", method: "POST", path: "/api/plaza/wallet/transfers", token: bo, key: "codes-no-pin",
			body: map[string]any{"conversation": wd.annBo, "amount": 10, "pin": "123456"}, status: 403, code: "wallet.no_pin"},
		{name: "a wrong PIN", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-wrong-pin",
			body: transfer(10, "000000"), status: 403, code: "wallet.pin_wrong"},
		{name: "the key again with another body", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-transfer-1",
			body: transfer(999, "000000"), status: 409, code: "wallet.key_reused"},
		{name: "more than the balance", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-too-much",
			body: transfer(5_000, "246810"), status: 409, code: "wallet.insufficient"},
		{name: "a chat the sender is not in", method: "POST", path: "/api/plaza/wallet/transfers", token: cy, key: "codes-not-in",
			body: map[string]any{"conversation": wd.annBo, "amount": 10, "pin": "135790"}, status: 404, code: "wallet.not_found"},
		{name: "someone else's transfer", method: "GET", path: "/api/plaza/wallet/transfers/" + trID, token: oz, status: 404, code: "wallet.not_found"},
		{name: "the sender accepting", method: "POST", path: "/api/plaza/wallet/transfers/" + trID + "/accept", token: ann,
			status: 403, code: "wallet.not_recipient"},
		{name: "accepting a returned transfer", method: "POST", path: "/api/plaza/wallet/transfers/" + trID + "/accept", token: bo,
			before: func() {
				if s, out := c.do("POST", "/api/plaza/wallet/transfers/"+trID+"/return", bo, "", nil, ""); s != 200 {
					t.Fatalf("return: %d %v", s, out)
				}
			}, status: 409, code: "wallet.transfer_returned"},
		{name: "a packet of someone else's chat", method: "GET", path: "/api/plaza/wallet/packets/" + pkID, token: oz, status: 404, code: "wallet.not_found"},
		{name: "an empty packet", method: "POST", path: "/api/plaza/wallet/packets/" + pkID + "/claim", token: cy,
			before: func() {
				if s, out := c.do("POST", "/api/plaza/wallet/packets/"+pkID+"/claim", bo, "", nil, ""); s != 200 {
					t.Fatalf("claim: %d %v", s, out)
				}
			}, status: 409, code: "wallet.packet_empty"},
		{name: "a link from another host", method: "POST", path: "/api/plaza/wallet/pay", token: ann, key: "codes-foreign-link",
			body: map[string]any{"link": "https://evil.example" + openLink, "amount": 10, "pin": "246810"}, status: 400, code: "scan.foreign"},
		{name: "a tampered link", method: "POST", path: "/api/plaza/wallet/pay", token: ann, key: "codes-tampered-link",
			body: map[string]any{"link": openLink + "0", "amount": 10, "pin": "246810"}, status: 400, code: "scan.tampered"},
		{name: "paying oneself", method: "POST", path: "/api/plaza/wallet/pay", token: bo, key: "codes-pay-self",
			body: map[string]any{"link": openLink, "amount": 10, "pin": "123456"}, status: 400, code: "wallet.pay_self"},
		{name: "over the transfer maximum", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-transfer-max",
			body: transfer(5_000_001, "246810"), status: 400, code: "request.invalid", field: "amount", fcod: "wallet.transfer_max"},
		{name: "over the packet maximum", method: "POST", path: "/api/plaza/wallet/packets", token: ann, key: "codes-packet-max",
			body:   map[string]any{"conversation": wd.group, "kind": "lucky", "amount": 20_001, "count": 2, "pin": "246810"},
			status: 400, code: "request.invalid", field: "amount", fcod: "wallet.packet_max"},
		{name: "opening one's own 1:1 packet", method: "POST", path: "/api/plaza/wallet/packets/" + directID + "/claim", token: ann,
			status: 403, code: "wallet.packet_own"},
		{name: "someone else's exclusive packet", method: "POST", path: "/api/plaza/wallet/packets/" + exclusiveID + "/claim", token: bo,
			status: 403, code: "wallet.packet_not_yours"},
		{name: "returning an accepted transfer", method: "POST", path: "/api/plaza/wallet/transfers/" + tr2ID + "/return", token: bo,
			before: func() {
				if s, out := c.do("POST", "/api/plaza/wallet/transfers/"+tr2ID+"/accept", bo, "", nil, ""); s != 200 {
					t.Fatalf("accept: %d %v", s, out)
				}
			}, status: 409, code: "wallet.transfer_accepted"},
		{name: "a reset collect code", method: "POST", path: "/api/plaza/wallet/pay", token: ann, key: "codes-revoked-link",
			before: func() {
				if err := wd.w.ResetCollect(wd.bo.Id); err != nil {
					t.Fatal(err)
				}
			}, body: map[string]any{"link": openLink, "amount": 10, "pin": "246810"}, status: 400, code: "scan.revoked"},
		{name: "over the day's transfer limit", method: "POST", path: "/api/plaza/wallet/transfers", token: ann, key: "codes-daily-max",
			before: func() {
				r, err := wd.app.FindRecordById("settings", "plazasettings01")
				if err != nil {
					t.Fatal(err)
				}
				r.Set("transfer_daily_max", 50)
				if err := wd.app.Save(r); err != nil {
					t.Fatal(err)
				}
			}, body: transfer(45, "246810"), status: 400, code: "request.invalid", field: "amount", fcod: "wallet.transfer_daily_max"},
		{name: "an expired packet", method: "POST", path: "/api/plaza/wallet/packets/" + pk2ID + "/claim", token: cy,
			before: func() { wd.advance(wallet.PacketTTL + time.Minute) }, status: 409, code: "wallet.packet_expired"},
		{name: "accepting an expired transfer", method: "POST", path: "/api/plaza/wallet/transfers/" + tr3ID + "/accept", token: bo,
			before: func() { wd.advance(wallet.TransferTTL + time.Minute) }, status: 409, code: "wallet.transfer_refunded"},
		{name: "a member on the admin routes", method: "GET", path: "/api/plaza/admin/wallet/verify", token: ann, status: 403, code: "forbidden"},
		{name: "a guest on the admin routes", method: "POST", path: "/api/plaza/admin/wallet/mint", body: map[string]any{}, status: 401, code: "auth.required"},
		{name: "no such route", method: "POST", path: "/api/plaza/wallet/nothing-here", token: ann, status: 404, code: "not_found"},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		s, out := c.do(st.method, st.path, st.token, st.key, st.body, st.raw)
		wantError(t, st.name, s, out, st.status, st.code, st.field, st.fcod)
	}

	// Five wrong PINs in a row lock payments (a right PIN above reset the count).
	for range wallet.PINTries - 1 {
		c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-wrong-again", transfer(10, "000000"), "")
	}
	s, out := c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-wrong-again", transfer(10, "000000"), "")
	wantError(t, "the fifth wrong PIN", s, out, 403, "wallet.pin_locked", "", "")
	s, out = c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-right-but-locked", transfer(10, "246810"), "")
	wantError(t, "the right PIN while locked", s, out, 403, "wallet.pin_locked", "", "")
}

// TestWrongPINMessageCountsTries: "1 try left", "2 tries left", in the
// plural forms of each language.
func TestWrongPINMessageCountsTries(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	c := client{t: t, url: srv.URL}
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	ann := testapp.Token(t, wd.ann)
	want := []string{"4 tries left", "3 tries left", "2 tries left", "1 try left"}
	for i, w := range want {
		_, out := c.do("POST", "/api/plaza/wallet/transfers", ann, "codes-plural-"+strings.Repeat("x", i+1),
			map[string]any{"conversation": wd.annBo, "amount": 10, "pin": "000000"}, "")
		if msg, _ := out["message"].(string); !strings.Contains(msg, w) {
			t.Errorf("try %d: %q, want %q", i+1, msg, w)
		}
	}
}

// TestKeyIsLookedUpBeforeThePIN: a replay of a finished payment's key
// with a changed body (and a wrong PIN) is key_reused and costs no PIN
// try; the same body answers with the first result and moves nothing.
func TestKeyIsLookedUpBeforeThePIN(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	c := client{t: t, url: srv.URL}
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	ann := testapp.Token(t, wd.ann)
	body := map[string]any{"conversation": wd.annBo, "amount": 100, "pin": "246810"}
	s, first := c.do("POST", "/api/plaza/wallet/transfers", ann, "replay-key-001", body, "")
	if s != http.StatusOK {
		t.Fatalf("transfer: %d %v", s, first)
	}
	// Changed body, wrong PIN, five times: each is key_reused, no PIN try.
	for range wallet.PINTries {
		s, out := c.do("POST", "/api/plaza/wallet/transfers", ann, "replay-key-001",
			map[string]any{"conversation": wd.annBo, "amount": 200, "pin": "000000"}, "")
		wantError(t, "changed body", s, out, http.StatusConflict, "wallet.key_reused", "", "")
	}
	// The same body with a wrong PIN: the first answer, nothing moves.
	s, again := c.do("POST", "/api/plaza/wallet/transfers", ann, "replay-key-001",
		map[string]any{"conversation": wd.annBo, "amount": 100, "pin": "000000"}, "")
	if s != http.StatusOK || again["id"] != first["id"] {
		t.Fatalf("replay: %d %v, want the first transfer %v", s, again, first["id"])
	}
	if b := wd.balance(t, wd.ann); b != 900 {
		t.Fatalf("balance %d after one transfer and its replays", b)
	}
	// No try was counted: the next wrong PIN still has four left.
	_, out := c.do("POST", "/api/plaza/wallet/transfers", ann, "replay-key-002",
		map[string]any{"conversation": wd.annBo, "amount": 100, "pin": "000000"}, "")
	if msg, _ := out["message"].(string); out["code"] != "wallet.pin_wrong" || !strings.Contains(msg, "4 tries left") {
		t.Fatalf("first real wrong PIN: %v", out)
	}
	if until, _ := wd.w.LockedUntil(wd.ann.Id); !until.IsZero() {
		t.Fatal("replays locked the PIN")
	}
}

// TestCollectLinkOnlyFromThisServer: a pay link is accepted as a path, on
// the request's host or on the Application URL's host; any other host is
// scan.foreign, however well signed.
func TestCollectLinkOnlyFromThisServer(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	c := client{t: t, url: srv.URL}
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	wd.app.Settings().Meta.AppURL = "https://plaza.example"
	ann := testapp.Token(t, wd.ann)
	path, err := wd.w.CollectLink(wd.bo.Id, 0)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		link string
		ok   bool
	}{
		{path, true},
		{srv.URL + path, true},
		{"https://plaza.example" + path, true},
		{"https://PLAZA.example" + path, true},
		{"https://evil.example" + path, false},
		{"https://plaza.example.evil.example" + path, false},
		{"http://127.0.0.1:1" + path, false},
	}
	for i, cs := range cases {
		s, out := c.do("POST", "/api/plaza/wallet/pay", ann, "collect-host-"+strings.Repeat("k", i+1),
			map[string]any{"link": cs.link, "amount": 10, "pin": "246810"}, "")
		if cs.ok && s != http.StatusOK {
			t.Errorf("%s: %d %v", cs.link, s, out)
		}
		if !cs.ok {
			wantError(t, cs.link, s, out, http.StatusBadRequest, "scan.foreign", "", "")
		}
	}
	if b := wd.balance(t, wd.bo); b != 40 {
		t.Fatalf("payee balance %d, want 40 from four accepted links", b)
	}
	// The Go API takes the same rule: without hosts, a full URL is refused
	// unless it is on the Application URL's host.
	if _, err := wd.w.ParseCollect("https://evil.example" + path); problemKey(err) != "scan.foreign" {
		t.Fatalf("ParseCollect of a foreign URL: %v", err)
	}
	wd.app.Settings().Meta.AppURL = ""
	if _, err := wd.w.ParseCollect("https://evil.example" + path); problemKey(err) != "scan.foreign" {
		t.Fatalf("ParseCollect with no Application URL: %v", err)
	}
}

// TestWalletSecretsNotInRecordsAPI: the pay PIN's hash and a red packet's
// seed are never served by the records API, to superusers neither.
func TestWalletSecretsNotInRecordsAPI(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	c := client{t: t, url: srv.URL}
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	p, err := wd.w.SendPacket(wd.ann.Id, wd.key(), wallet.PacketInput{Conversation: wd.group, Kind: wallet.PacketLucky, Amount: 300, Count: 3}, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	su := testapp.Token(t, superuser(t, wd.app))
	for _, cs := range []struct{ collection, field, id string }{
		{wallet.PINsCollection, "hash", ""},
		{wallet.PacketsCollection, "seed", p.ID},
	} {
		s, list := c.do("GET", "/api/collections/"+cs.collection+"/records", su, "", nil, "")
		items, _ := list["items"].([]any)
		if s != http.StatusOK || len(items) == 0 {
			t.Fatalf("%s: superuser list: %d %v", cs.collection, s, list)
		}
		for _, it := range items {
			rec := it.(map[string]any)
			if _, ok := rec[cs.field]; ok {
				t.Errorf("%s: the list shows %s to a superuser: %v", cs.collection, cs.field, rec)
			}
			if cs.id == "" {
				cs.id, _ = rec["id"].(string)
			}
		}
		s, one := c.do("GET", "/api/collections/"+cs.collection+"/records/"+cs.id+"?fields=*,"+cs.field, su, "", nil, "")
		if _, ok := one[cs.field]; s != http.StatusOK || ok {
			t.Errorf("%s: one record for a superuser: %d %v", cs.collection, s, one)
		}
		// Members see no row at all (superuser-only rules).
		s, mine := c.do("GET", "/api/collections/"+cs.collection+"/records", testapp.Token(t, wd.ann), "", nil, "")
		if n, _ := mine["totalItems"].(float64); s == http.StatusOK && n != 0 {
			t.Errorf("%s: a member lists records: %v", cs.collection, mine)
		}
	}
	// The hash is still there for the PIN check.
	if err := wd.w.CheckPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
}

// lowerKeys reports every JSON object key with an upper-case letter.
func lowerKeys(path string, v any, bad *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if strings.ToLower(k) != k {
				*bad = append(*bad, path+"."+k)
			}
			lowerKeys(path+"."+k, c, bad)
		}
	case []any:
		for _, c := range x {
			lowerKeys(path+"[]", c, bad)
		}
	}
}

// TestPlazaJSONIsLowerCase: every field name in the answers of Plaza's
// JSON routes is lower-case (snake_case), with real data in each: chats,
// messages with quotes, reactions and cards, contacts, requests, the
// wallet, a transfer, a finished lucky packet with claims, the luckiest
// and the caller's own claim, a receipt, tickets and the admin routes.
func TestPlazaJSONIsLowerCase(t *testing.T) {
	wd := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, wd.app))
	t.Cleanup(srv.Close)
	c := client{t: t, url: srv.URL}
	wd.mint(t, wd.ann, 10_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	ann, bo, cy := testapp.Token(t, wd.ann), testapp.Token(t, wd.bo), testapp.Token(t, wd.cy)
	_, tr := c.do("POST", "/api/plaza/wallet/transfers", ann, "lower-transfer", map[string]any{"conversation": wd.annBo, "amount": 100, "note": "hi", "pin": "246810"}, "")
	_, pk := c.do("POST", "/api/plaza/wallet/packets", ann, "lower-packet", map[string]any{"conversation": wd.group, "kind": "lucky", "amount": 300, "count": 2, "pin": "246810"}, "")
	pkID, _ := pk["id"].(string)
	link, err := wd.w.CollectLink(wd.bo.Id, 0)
	if err != nil {
		t.Fatal(err)
	}
	stranger := testapp.CreateMember(t, wd.app, "lc_stranger")
	if _, err := testapp.Services(t, wd.app).Contacts.SendRequest(stranger, wd.ann, contacts.RequestInput{Source: contacts.SourceID, Greeting: "hello"}); err != nil {
		t.Fatal(err)
	}
	su := testapp.Token(t, superuser(t, wd.app))
	calls := []struct {
		method, path, token, key string
		body                     any
	}{
		{"POST", "/api/plaza/wallet/packets/" + pkID + "/claim", bo, "", nil},
		{"POST", "/api/plaza/wallet/packets/" + pkID + "/claim", cy, "", nil},
		{"GET", "/api/plaza/wallet/packets/" + pkID, bo, "", nil},
		{"POST", "/api/plaza/wallet/pay", ann, "lower-pay", map[string]any{"link": link, "amount": 50, "memo": "tea", "pin": "246810"}},
		{"GET", "/api/plaza/wallet", ann, "", nil},
		{"GET", "/api/plaza/wallet/transfers/" + tr["id"].(string), bo, "", nil},
		{"POST", "/api/plaza/wallet/transfers/" + tr["id"].(string) + "/accept", bo, "", nil},
		{"GET", "/api/plaza/chats", ann, "", nil},
		{"GET", "/api/plaza/chats/" + wd.annBo + "/messages", ann, "", nil},
		{"GET", "/api/plaza/chats/" + wd.group + "/messages", ann, "", nil},
		{"GET", "/api/plaza/contacts", ann, "", nil},
		{"GET", "/api/plaza/contacts/requests", ann, "", nil},
		{"GET", "/api/plaza/contacts/search?q=bo_wang", ann, "", nil},
		{"POST", "/api/plaza/ws-ticket", ann, "", nil},
		{"GET", "/api/plaza/admin/wallet/verify", su, "", nil},
		{"POST", "/api/plaza/admin/wallet/mint", su, "", map[string]any{"plaza_id": "cy_chen", "amount": 100, "note": "x"}},
	}
	for _, cl := range calls {
		s, out := c.do(cl.method, cl.path, cl.token, cl.key, cl.body, "")
		if s != http.StatusOK {
			t.Errorf("%s %s: %d %v", cl.method, cl.path, s, out)
			continue
		}
		var bad []string
		lowerKeys("", out, &bad)
		if len(bad) > 0 {
			t.Errorf("%s %s: upper-case field names %v", cl.method, cl.path, bad)
		}
		if strings.HasSuffix(cl.path, pkID) {
			for _, k := range []string{"claims", "luckiest", "mine", "seed"} {
				if _, ok := out[k]; !ok {
					t.Errorf("finished packet: no %q in %v", k, out)
				}
			}
		}
	}
}

// TestTransferFormLooksUpKeyBeforePIN: the web form follows the same order
// as the API: a resubmitted form (same key) with a changed amount and a
// wrong PIN is refused as key_reused (409) without counting a PIN try.
func TestTransferFormLooksUpKeyBeforePIN(t *testing.T) {
	wd := newWorld(t)
	h := testapp.Handler(t, wd.app)
	wd.mint(t, wd.ann, 1_000)
	if err := wd.setPIN(wd.ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
	cookie := map[string]string{"Cookie": testapp.SessionCookie(t, wd.ann)}
	post := func(amount, pin string) int {
		form := "amount=" + amount + "&pin=" + pin + "&key=form-key-000001&note="
		return testapp.Do(h, http.MethodPost, "/wallet/transfer?c="+wd.annBo, form, cookie).Code
	}
	if s := post("1.00", "246810"); s != http.StatusSeeOther {
		t.Fatalf("first submit: %d", s)
	}
	for range wallet.PINTries {
		if s := post("2.00", "000000"); s != http.StatusConflict {
			t.Fatalf("changed amount, wrong PIN, same key: %d, want 409", s)
		}
	}
	if until, _ := wd.w.LockedUntil(wd.ann.Id); !until.IsZero() {
		t.Fatal("resubmitted forms locked the PIN")
	}
	if b := wd.balance(t, wd.ann); b != 900 {
		t.Fatalf("balance %d", b)
	}
}
