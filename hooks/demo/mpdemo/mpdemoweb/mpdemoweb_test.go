package mpdemoweb_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/demo"
	"plaza/hooks/demo/mpdemo"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/miniprograms/mpclient"
	"plaza/hooks/wallet"
)

// world is an app with the demo mini programs released (their developers
// alice_w and jack_m) and a member, Bo, with money and a PIN.
type world struct {
	app    core.App
	h      http.Handler
	mp     *miniprograms.Service
	bo     *core.Record
	coffee string // AppIDs
	poll   string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	app := testapp.New(t)
	testapp.CreateMember(t, app, "alice_w")
	testapp.CreateMember(t, app, "jack_m")
	w := &world{app: app, h: testapp.Handler(t, app), mp: testapp.Services(t, app).MP, bo: testapp.CreateMember(t, app, "bo0001")}
	if err := demo.SeedMiniPrograms(app, w.mp); err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, app).Wallet.SetPIN(w.bo.Id, "135792"); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(app, "bo0001", 100_00, "mpdemo test"); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.coffee, _, err = mpdemo.AppOf(app, mpdemo.Coffee); err != nil {
		t.Fatal(err)
	}
	if w.poll, _, err = mpdemo.AppOf(app, mpdemo.Poll); err != nil {
		t.Fatal(err)
	}
	return w
}

// call sends what a bundle's frame sends: an opaque origin, cross-site,
// and (to be sure it is never used) Bo's Plaza session cookie.
func (w *world) call(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Origin", "null")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Cookie", testapp.SessionCookie(t, w.bo))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("%s %s: Access-Control-Allow-Origin %q", method, path, got)
	}
	out := map[string]any{}
	if rec.Code != http.StatusNoContent {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
		}
	}
	return rec.Code, out
}

func (w *world) code(t *testing.T, appid string) string {
	t.Helper()
	code, err := w.mp.Login(w.bo.Id, appid)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestCoffeeShopTakesAPaidOrder(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if status, _ := w.call(t, http.MethodOptions, "/mp-demo/coffee/api/orders", ""); status != http.StatusNoContent {
		t.Fatalf("preflight: %d", status)
	}
	status, menu := w.call(t, http.MethodGet, "/mp-demo/coffee/api/menu", "")
	if status != 200 || len(menu["menu"].([]any)) != len(mpdemo.Menu) {
		t.Fatalf("menu: %d %v", status, menu)
	}
	status, s := w.call(t, http.MethodPost, "/mp-demo/coffee/api/session", `{"code":"`+w.code(t, w.coffee)+`"}`)
	session, _ := s["session"].(string)
	if status != 200 || len(session) < 40 {
		t.Fatalf("session: %d %v", status, s)
	}
	// The page's own "amount" is ignored: the café prices from its menu.
	status, o := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders",
		`{"session":"`+session+`","amount":1,"items":[{"id":"flat_white","qty":2},{"id":"osmanthus_latte","qty":1},{"id":"flat_white","qty":1}]}`)
	no, _ := o["order_no"].(string)
	if status != 200 || o["amount"] != float64(3*1800+2200) || o["description"] != "3× Flat white, 1× Osmanthus latte" || !strings.HasPrefix(no, "cafe-") {
		t.Fatalf("order: %d %v", status, o)
	}
	// Not paid yet: the café says so.
	if status, c := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders/"+no+"/confirm", `{"session":"`+session+`"}`); status != 200 || c["status"] != "created" {
		t.Fatalf("confirm before paying: %d %v", status, c)
	}
	// The host's pay sheet: Bo pays with his PIN.
	if _, err := w.mp.PayOrder(w.bo.Id, w.coffee, no, "pay-"+no, "135792"); err != nil {
		t.Fatal(err)
	}
	status, c := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders/"+no+"/confirm", `{"session":"`+session+`"}`)
	if status != 200 || c["status"] != "paid" || c["order_no"] != no || c["paid_at"] == "" {
		t.Fatalf("confirm after paying: %d %v", status, c)
	}
	// Another session (another member's or none) learns nothing of it.
	if status, c := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders/"+no+"/confirm", `{"session":"nope"}`); status != 401 || c["code"] != "demo.session_bad" {
		t.Fatalf("confirm with a bad session: %d %v", status, c)
	}
}

func TestCoffeeShopRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	code := w.code(t, w.coffee)
	if status, _ := w.call(t, http.MethodPost, "/mp-demo/coffee/api/session", `{"code":"`+code+`"}`); status != 200 {
		t.Fatal(status)
	}
	if status, r := w.call(t, http.MethodPost, "/mp-demo/coffee/api/session", `{"code":"`+code+`"}`); status != 401 || r["code"] != "demo.login_failed" {
		t.Fatalf("a reused code: %d %v", status, r)
	}
	if status, r := w.call(t, http.MethodPost, "/mp-demo/coffee/api/session", `{"code":"`+w.code(t, w.poll)+`"}`); status != 401 || r["code"] != "demo.login_failed" {
		t.Fatalf("another app's code: %d %v", status, r)
	}
	_, s := w.call(t, http.MethodPost, "/mp-demo/coffee/api/session", `{"code":"`+w.code(t, w.coffee)+`"}`)
	for _, items := range []string{`[]`, `[{"id":"caviar","qty":1}]`, `[{"id":"flat_white","qty":10}]`, `[{"id":"flat_white","qty":5},{"id":"flat_white","qty":5}]`, `[{"id":"flat_white","qty":0}]`} {
		if status, r := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders", `{"session":"`+s["session"].(string)+`","items":`+items+`}`); status != 400 || r["code"] != "demo.bad_order" {
			t.Errorf("items %s: %d %v", items, status, r)
		}
	}
	if status, r := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders", `{"session":"forged","items":[{"id":"flat_white","qty":1}]}`); status != 401 || r["code"] != "demo.session_bad" {
		t.Fatalf("a forged session: %d %v", status, r)
	}
	if status, r := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders", `not json`); status != 400 || r["code"] != "demo.bad_request" {
		t.Fatalf("not JSON: %d %v", status, r)
	}
}

func TestCoffeeShopWebhook(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, s := w.call(t, http.MethodPost, "/mp-demo/coffee/api/session", `{"code":"`+w.code(t, w.coffee)+`"}`)
	session := s["session"].(string)
	_, o := w.call(t, http.MethodPost, "/mp-demo/coffee/api/orders", `{"session":"`+session+`","items":[{"id":"matcha_latte","qty":1}]}`)
	no := o["order_no"].(string)
	paid, err := w.mp.PayOrder(w.bo.Id, w.coffee, no, "pay-"+no, "135792")
	if err != nil {
		t.Fatal(err)
	}
	_, secret, _ := mpdemo.AppOf(w.app, mpdemo.Coffee)
	body, _ := json.Marshal(map[string]any{"event": "order.paid", "appid": w.coffee, "order": paid})
	post := func(secret string, at time.Time) int {
		req := httptest.NewRequest(http.MethodPost, "/mp-demo/coffee/api/webhook", strings.NewReader(string(body)))
		ts := strconv.FormatInt(at.Unix(), 10)
		req.Header.Set("X-Plaza-Event", "order.paid")
		req.Header.Set("X-Plaza-Timestamp", ts)
		req.Header.Set("X-Plaza-Signature", mpclient.WebhookSignature(secret, ts, body))
		rec := httptest.NewRecorder()
		w.h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := post("wrong-secret", time.Now()); code != 401 {
		t.Fatalf("wrong secret: %d", code)
	}
	if code := post(secret, time.Now().Add(-time.Hour)); code != 401 {
		t.Fatalf("an hour old: %d", code)
	}
	if orders, _ := mpdemo.CafeOrders(w.app, paid.OpenID); len(orders) != 1 || orders[0].Status != "created" {
		t.Fatalf("refused webhooks changed the order: %+v", orders)
	}
	if code := post(secret, time.Now()); code != 200 {
		t.Fatalf("signed webhook: %d", code)
	}
	if orders, _ := mpdemo.CafeOrders(w.app, paid.OpenID); len(orders) != 1 || orders[0].Status != "paid" {
		t.Fatalf("after the webhook: %+v", orders)
	}
}

func TestPollOneVoteEach(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a, err := w.mp.Find(w.poll)
	if err != nil {
		t.Fatal(err)
	}
	launch, err := w.mp.Open(w.bo.Id, a, "card")
	if err != nil {
		t.Fatal(err)
	}
	me := func(q string) (int, map[string]any) {
		b, _ := json.Marshal(map[string]string{"launch": q})
		return w.call(t, http.MethodPost, "/mp-demo/poll/api/me", string(b))
	}
	if status, r := me(launch.Query()); status != 200 || r["voted"] != nil {
		t.Fatalf("me before voting: %d %v", status, r)
	}
	if status, r := w.call(t, http.MethodPost, "/mp-demo/poll/api/vote", `{"code":"`+w.code(t, w.poll)+`","choice":"cactus"}`); status != 400 || r["code"] != "demo.bad_choice" {
		t.Fatalf("unknown choice: %d %v", status, r)
	}
	status, r := w.call(t, http.MethodPost, "/mp-demo/poll/api/vote", `{"code":"`+w.code(t, w.poll)+`","choice":"herbs"}`)
	if status != 200 || r["voted"] != "herbs" || r["total"] != float64(1) {
		t.Fatalf("vote: %d %v", status, r)
	}
	status, r = w.call(t, http.MethodPost, "/mp-demo/poll/api/vote", `{"code":"`+w.code(t, w.poll)+`","choice":"tomatoes"}`)
	if data, _ := r["data"].(map[string]any); status != 409 || r["code"] != "demo.already_voted" || r["message"] != "You already voted." || data["choice"] != "herbs" {
		t.Fatalf("second vote: %d %v", status, r)
	}
	if status, r := me(launch.Query()); status != 200 || r["voted"] != "herbs" {
		t.Fatalf("me after voting: %d %v", status, r)
	}
	tampered := strings.Replace(launch.Query(), "scene=card", "scene=scan", 1)
	if status, r := me(tampered); status != 401 || r["code"] != "demo.launch_bad" {
		t.Fatalf("tampered launch: %d %v", status, r)
	}
	cafe, _ := w.mp.Find(w.coffee)
	other, _ := w.mp.Open(w.bo.Id, cafe, "directory")
	if status, r := me(other.Query()); status != 401 || r["code"] != "demo.launch_bad" {
		t.Fatalf("another app's launch: %d %v", status, r)
	}
	status, r = w.call(t, http.MethodGet, "/mp-demo/poll/api/results", "")
	opts, _ := r["options"].([]any)
	if status != 200 || r["total"] != float64(1) || len(opts) != 3 || opts[2].(map[string]any)["votes"] != float64(1) {
		t.Fatalf("results: %d %v", status, r)
	}
}

func TestDemoServersBeforeTheDemo(t *testing.T) {
	t.Parallel()
	h := testapp.Handler(t, testapp.New(t))
	for _, path := range []string{"/mp-demo/coffee/api/session", "/mp-demo/poll/api/vote"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{"code":"abc","choice":"herbs"}`)))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "demo.not_ready") {
			t.Fatalf("%s before plaza demo: %d %s", path, rec.Code, rec.Body.String())
		}
	}
}
