package mpweb_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"plaza/hooks/miniprograms"
	"plaza/hooks/miniprograms/mpclient"
)

// The attacker's side of Mini Programs (issue 15's acceptance, TRUST.md
// §15 and §19): what another app, another member or a forger sends is
// refused, and no money moves.

// TestAttackerLaunch: launch parameters verify with the app's secret;
// each one changed, or checked with another app's secret, fails.
func TestAttackerLaunch(t *testing.T) {
	w := newAtkWorld(t, 0)
	rec := w.member(t, w.alice, "POST", "/api/plaza/mp/apps/"+w.a.AppID+"/open", map[string]string{"scene": "card"}, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("open: %d %s", rec.Code, rec.Body)
	}
	var l struct {
		Query  string `json:"query"`
		OpenID string `json:"openid"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &l); err != nil {
		t.Fatal(err)
	}
	good, err := url.ParseQuery(l.Query)
	if err != nil {
		t.Fatal(err)
	}
	now := w.clock()
	got, err := mpclient.VerifyLaunch(w.a.secret, good, now, 5*time.Minute)
	if err != nil || got.AppID != w.a.AppID || got.Scene != "card" || got.OpenID != l.OpenID || got.OpenID == w.alice.Id {
		t.Fatalf("the genuine launch: %+v %v", got, err)
	}
	ts, _ := strconv.ParseInt(good.Get("ts"), 10, 64)
	sig := []byte(good.Get("sig"))
	sig[0] ^= 1
	for name, value := range map[string]string{
		"openid": l.OpenID + "x", "scene": "directory", "ts": strconv.FormatInt(ts+1, 10),
		"sig": string(sig), "appid": w.b.AppID,
	} {
		bad := url.Values{}
		for k, v := range good {
			bad[k] = append([]string(nil), v...)
		}
		bad.Set(name, value)
		if _, err := mpclient.VerifyLaunch(w.a.secret, bad, now, 5*time.Minute); err == nil {
			t.Errorf("a launch with %s changed to %q verifies", name, value)
		}
	}
	if _, err := mpclient.VerifyLaunch(w.b.secret, good, now, 5*time.Minute); err == nil {
		t.Error("app A's launch verifies with app B's secret")
	}
	if _, err := mpclient.VerifyLaunch(w.a.secret, good, now.Add(10*time.Minute), 5*time.Minute); err == nil {
		t.Error("a launch ten minutes old verifies")
	}
}

// login gets a one-time code for the member in the app, as the host does.
func (w *atkWorld) login(t *testing.T, k atkApp) string {
	t.Helper()
	rec := w.member(t, w.alice, "POST", "/api/plaza/mp/apps/"+k.AppID+"/login", map[string]any{}, nil)
	var out struct {
		Code string `json:"code"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil || out.Code == "" {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	return out.Code
}

// TestAttackerLoginCodes: a code works once, for its own app, within five
// minutes; every other use is 400 mp.code_bad.
func TestAttackerLoginCodes(t *testing.T) {
	w := newAtkWorld(t, 0)
	const path = "/api/plaza/mp/server/login"
	code := w.login(t, w.a)
	atkWant(t, "app B exchanges app A's code", w.server(t, w.b.as("POST", path, map[string]string{"code": code})), 400, "mp.code_bad")
	rec := w.server(t, w.a.as("POST", path, map[string]string{"code": code}))
	var s miniprograms.Session
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &s) != nil || s.OpenID == "" || s.OpenID == w.alice.Id {
		t.Fatalf("app A exchanges its code: %d %s", rec.Code, rec.Body)
	}
	atkWant(t, "the code again", w.server(t, w.a.as("POST", path, map[string]string{"code": code})), 400, "mp.code_bad")

	late := w.login(t, w.a)
	w.advance(miniprograms.CodeTTL + time.Second)
	atkWant(t, "a code past five minutes", w.server(t, w.a.as("POST", path, map[string]string{"code": late})), 400, "mp.code_bad")
	atkWant(t, "a made-up code", w.server(t, w.a.as("POST", path, map[string]string{"code": "c0123456789abcdef"})), 400, "mp.code_bad")
}

// TestAttackerSignature: a wrong AppSecret, an unknown app, an old or
// future timestamp, a replayed nonce and a rotated secret are refused.
func TestAttackerSignature(t *testing.T) {
	w := newAtkWorld(t, 0)
	path := "/api/plaza/mp/server/orders/none"
	call := w.a.as("GET", path, nil)
	atkWant(t, "the genuine call", w.server(t, call), 404, "mp.order_not_found")

	wrong := call
	wrong.secret = w.b.secret
	atkWant(t, "app B's secret", w.server(t, wrong), 401, "mp.signature_bad")
	wrong.secret = ""
	atkWant(t, "no secret", w.server(t, wrong), 401, "mp.signature_bad")
	unknown := call
	unknown.appid = "mp0000000000000000"
	atkWant(t, "an unknown app", w.server(t, unknown), 401, "mp.signature_bad")
	for _, d := range []time.Duration{-miniprograms.ClockSkew - time.Minute, miniprograms.ClockSkew + time.Minute} {
		old := call
		old.ts = w.clock().Add(d)
		atkWant(t, "timestamp "+d.String(), w.server(t, old), 401, "mp.timestamp_bad")
	}
	replay := call
	replay.nonce = atkNonce()
	atkWant(t, "a nonce's first use", w.server(t, replay), 404, "mp.order_not_found")
	atkWant(t, "the nonce replayed", w.server(t, replay), 409, "mp.nonce_reused")
	other := w.b.as("GET", path, nil)
	other.nonce = replay.nonce
	atkWant(t, "app A's nonce used by app B", w.server(t, other), 404, "mp.order_not_found")

	secret, err := w.mp.RotateSecret(w.a.dev.Id, w.a.AppID)
	if err != nil {
		t.Fatal(err)
	}
	atkWant(t, "the secret before rotation", w.server(t, call), 401, "mp.signature_bad")
	call.secret = secret
	atkWant(t, "the new secret", w.server(t, call), 404, "mp.order_not_found")
}

// TestAttackerOrders: another app cannot read or refund an order, another
// member cannot read or pay it, the server's amount is what is charged,
// an order is paid once and refunds never pass what was paid.
func TestAttackerOrders(t *testing.T) {
	w := newAtkWorld(t, 0)
	w.order(t, w.a, w.alice, "A-1", 5_00)
	start := w.balances(t)
	orders := "/api/plaza/mp/server/orders/"
	atkWant(t, "app B reads A's order", w.server(t, w.b.as("GET", orders+"A-1", nil)), 404, "mp.order_not_found")
	atkWant(t, "app B refunds A's order", w.server(t, w.b.as("POST", orders+"A-1/refund", map[string]int64{"amount": 1})), 404, "mp.order_not_found")
	uA, _ := w.mp.UserOf(w.a.App, w.alice.Id)
	atkWant(t, "app B orders for A's openid", w.server(t, w.b.as("POST", "/api/plaza/mp/server/orders",
		map[string]any{"order_no": "B-1", "openid": uA.OpenID, "amount": 1, "description": "x"})), 400, "")

	host := "/api/plaza/mp/apps/" + w.a.AppID + "/orders/A-1"
	pay := func(m string, path string, body map[string]any) int {
		who := w.alice
		if m == "bob" {
			who = w.bob
		}
		return w.member(t, who, "POST", path, body, nil).Code
	}
	atkWant(t, "bob reads alice's order", w.member(t, w.bob, "GET", host, nil, nil), 404, "mp.order_not_found")
	if c := pay("bob", host+"/pay", map[string]any{"pin": atkPIN, "key": "bob-key-0001"}); c != 404 {
		t.Errorf("bob pays alice's order: %d, want 404", c)
	}
	if c := pay("alice", "/api/plaza/mp/apps/"+w.b.AppID+"/orders/A-1/pay", map[string]any{"pin": atkPIN, "key": "alice-key-001"}); c != 404 {
		t.Errorf("alice pays A's order through app B: %d, want 404", c)
	}
	if got := w.balances(t); got != start {
		t.Fatalf("money moved: %v → %v", start, got)
	}
	if o, _ := w.mp.ServerOrder(w.a.App, "A-1"); o.Status != miniprograms.OrderCreated {
		t.Fatalf("A's order after the attacks: %+v", o)
	}

	// The page claims 0.01: the server's 5.00 is charged.
	rec := w.member(t, w.alice, "POST", host+"/pay", map[string]any{"pin": atkPIN, "key": "alice-key-002", "amount": 1}, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("alice pays: %d %s", rec.Code, rec.Body)
	}
	if got, want := w.balances(t), [3]int64{start[0] - 5_00, start[1] + 5_00, start[2]}; got != want {
		t.Fatalf("after paying: %v, want %v", got, want)
	}
	for _, key := range []string{"alice-key-002", "alice-key-003"} {
		atkWant(t, "the paid order again, key "+key, w.member(t, w.alice, "POST", host+"/pay",
			map[string]any{"pin": atkPIN, "key": key}, nil), 409, "mp.order_paid")
	}
	paid := w.balances(t)
	for _, c := range []struct {
		amount int64
		status int
	}{{6_00, 409}, {0, 400}, {-1, 400}, {2_00, 200}, {3_01, 409}, {3_00, 200}, {1, 409}} {
		rec := w.server(t, w.a.as("POST", orders+"A-1/refund", map[string]int64{"amount": c.amount}))
		if rec.Code != c.status {
			t.Errorf("refund %d: %d %s, want %d", c.amount, rec.Code, rec.Body, c.status)
		}
	}
	if got, want := w.balances(t), [3]int64{paid[0] + 5_00, paid[1] - 5_00, paid[2]}; got != want {
		t.Errorf("after refunds: %v, want %v", got, want)
	}
	w.verify(t)
}

// TestAttackerDailyCap: a payment past the app's daily cap is 409
// wallet.merchant_cap and moves nothing.
func TestAttackerDailyCap(t *testing.T) {
	w := newAtkWorld(t, 10_00)
	w.order(t, w.a, w.alice, "A-1", 8_00)
	w.order(t, w.a, w.alice, "A-2", 3_00)
	w.order(t, w.a, w.alice, "A-3", 11_00)
	base := "/api/plaza/mp/apps/" + w.a.AppID + "/orders/"
	atkWant(t, "an order over the cap", w.member(t, w.alice, "POST", base+"A-3/pay",
		map[string]any{"pin": atkPIN, "key": "cap-key-0001"}, nil), 409, "wallet.merchant_cap")
	if rec := w.member(t, w.alice, "POST", base+"A-1/pay", map[string]any{"pin": atkPIN, "key": "cap-key-0002"}, nil); rec.Code != 200 {
		t.Fatalf("pay 8.00 of 10.00: %d %s", rec.Code, rec.Body)
	}
	before := w.balances(t)
	atkWant(t, "3.00 more", w.member(t, w.alice, "POST", base+"A-2/pay",
		map[string]any{"pin": atkPIN, "key": "cap-key-0003"}, nil), 409, "wallet.merchant_cap")
	if got := w.balances(t); got != before {
		t.Errorf("money moved past the cap: %v → %v", before, got)
	}
	for _, no := range []string{"A-2", "A-3"} {
		if o, _ := w.mp.ServerOrder(w.a.App, no); o.Status != miniprograms.OrderCreated || o.Entry != "" {
			t.Errorf("order %s after the refusal: %+v", no, o)
		}
	}
	w.verify(t)
}
