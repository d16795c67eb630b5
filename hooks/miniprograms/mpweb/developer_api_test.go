package mpweb_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestDeveloperAPIFlow: developer mode → an app (its AppSecret once) →
// a bundle in review → a second upload refused → a rejection needs a
// reason, which the developer reads → approved, released, opened → no
// rollback without a previous version → a second version released →
// rollback; a withdrawal; the secret rotated.
func TestDeveloperAPIFlow(t *testing.T) {
	w := newDevWorld(t)
	if m := w.ok(200, w.dev, "GET", devAPI, ""); m["enabled"] != false {
		t.Fatalf("mode at first: %v", m)
	}
	w.refused("create without developer mode", w.do(w.dev, "POST", devAPI+"/apps", `{"name":"Shop","category":"food"}`, nil),
		http.StatusForbidden, "mp.developer_only", "", "")
	if m := w.ok(200, w.dev, "PUT", devAPI, `{"enabled":true}`); m["enabled"] != true {
		t.Fatalf("mode on: %v", m)
	}
	w.refused("mode without enabled", w.do(w.dev, "PUT", devAPI, `{}`, nil), 400, "request.invalid", "enabled", "validation_required")
	w.refused("a bad app", w.do(w.dev, "POST", devAPI+"/apps", `{"name":"","category":"cars","server_url":"http://x"}`, nil),
		400, "request.invalid", "category", "mp.category_bad")

	png := testapp.PNG(t, 32, 32)
	body, h := devMultipart(t, map[string]string{"name": "Coffee", "category": "food", "description": "Beans", "daily_cap": "1000",
		"server_url": "https://coffee.example.org"},
		devFile{"icon", "i.png", png}, devFile{"screenshots", "a.png", png}, devFile{"screenshots", "b.png", png})
	created := w.decode(201, "create", w.do(w.dev, "POST", devAPI+"/apps", body, h))
	appid, _ := created["appid"].(string)
	if !hex64.MatchString(created["secret"].(string)) || created["daily_cap"] != 1000.0 || created["icon"] != "/mp/"+appid+"/icon" ||
		len(created["screenshots"].([]any)) != 2 || created["live"] != false {
		t.Fatalf("created: %v", created)
	}
	app := devAPI + "/apps/" + appid
	if got := w.ok(200, w.dev, "GET", app, ""); got["secret"] != nil || got["name"] != "Coffee" {
		t.Fatalf("the secret again, or the app: %v", got)
	}
	if list := devItems(w.ok(200, w.dev, "GET", devAPI+"/apps", "")); len(list) != 1 || list[0]["secret"] != nil {
		t.Fatalf("my apps: %v", list)
	}
	if got := w.ok(200, w.dev, "PATCH", app, `{"description":"Fresh beans"}`); got["description"] != "Fresh beans" || got["name"] != "Coffee" || got["daily_cap"] != 1000.0 {
		t.Fatalf("patched: %v", got)
	}

	v1 := w.upload(app, "1.0.0", "first")
	if v1["status"] != "review" || v1["version"] != "1.0.0" {
		t.Fatalf("uploaded: %v", v1)
	}
	zip, zh := devMultipart(t, map[string]string{"note": "again"}, devFile{"bundle", "b.zip", devZip(t, "1.0.1")})
	w.refused("a second version in review", w.do(w.dev, "POST", app+"/versions", zip, zh), 409, "mp.review_pending", "", "")
	if err := miniprograms.Review(w.app, v1["id"].(string), false, ""); err == nil {
		t.Fatal("a rejection without a reason passed")
	}
	w.review(v1["id"].(string), false, "Add a privacy note")
	if list := devItems(w.ok(200, w.dev, "GET", app+"/versions", "")); list[0]["status"] != "rejected" || list[0]["reason"] != "Add a privacy note" {
		t.Fatalf("the rejection: %v", list)
	}
	v2 := w.upload(app, "1.0.1", "fixed")
	w.refused("release in review", w.do(w.dev, "POST", app+"/versions/"+v2["id"].(string)+"/release", "", nil), 409, "mp.version_state", "", "")
	w.review(v2["id"].(string), true, "")
	if got := w.ok(200, w.dev, "POST", app+"/versions/"+v2["id"].(string)+"/release", ""); got["released"] != true {
		t.Fatalf("released: %v", got)
	}
	if rec := testapp.Do(w.h, "GET", "/mp/"+appid, "", map[string]string{"Cookie": testapp.SessionCookie(t, w.pat)}); rec.Code != 200 {
		t.Fatalf("the host page of the released app: %d", rec.Code)
	}
	w.refused("rollback without a previous", w.do(w.dev, "POST", app+"/rollback", "", nil), 409, "mp.no_previous", "", "")

	v3 := w.decode(201, "an external version", w.do(w.dev, "POST", app+"/versions",
		`{"url":"https://coffee.example.org/app","version":"2.0.0","note":"hosted","permissions":["payment"]}`, nil))
	if v3["url"] != "https://coffee.example.org/app" {
		t.Fatalf("external: %v", v3)
	}
	w.review(v3["id"].(string), true, "")
	w.ok(200, w.dev, "POST", app+"/versions/"+v3["id"].(string)+"/release", "")
	if got := w.ok(200, w.dev, "GET", app, ""); got["released"] != v3["id"] || got["previous"] != v2["id"] || got["live"] != true {
		t.Fatalf("after the second release: %v", got)
	}
	if got := w.ok(200, w.dev, "POST", app+"/rollback", ""); got["released"] != v2["id"] || got["previous"] != "" {
		t.Fatalf("rolled back: %v", got)
	}

	v4 := w.upload(app, "2.1.0", "")
	if got := w.ok(200, w.dev, "POST", app+"/versions/"+v4["id"].(string)+"/withdraw", ""); got["status"] != "withdrawn" {
		t.Fatalf("withdrawn: %v", got)
	}
	w.refused("withdraw twice", w.do(w.dev, "POST", app+"/versions/"+v4["id"].(string)+"/withdraw", "", nil), 409, "mp.version_state", "", "")
	w.refused("neither bundle nor url", w.do(w.dev, "POST", app+"/versions", `{"note":"x"}`, nil), 400, "request.invalid", "bundle", "mp.dev_bundle_or_url")
	bad, bh := devMultipart(t, nil, devFile{"bundle", "b.zip", []byte("not a zip")})
	w.refused("not a zip", w.do(w.dev, "POST", app+"/versions", bad, bh), 400, "request.invalid", "bundle", "mp.bundle_not_zip")

	s := w.ok(200, w.dev, "POST", app+"/secret", "")
	if !hex64.MatchString(s["secret"].(string)) || s["secret"] == created["secret"] {
		t.Fatalf("rotated: %v", s)
	}
	if days := w.ok(200, w.dev, "GET", app+"/stats", "")["days"].([]any); len(days) != 14 || days[13].(map[string]any)["active"] != 1.0 {
		t.Fatalf("stats: %v", days)
	}
	if m := w.ok(200, w.dev, "PUT", devAPI, `{"enabled":false}`); m["enabled"] != false {
		t.Fatalf("mode off: %v", m)
	}
	w.ok(200, w.dev, "GET", app, "") // the app stays the developer's
}

// upload sends a bundle of version v: the version, in review.
func (w *devWorld) upload(app, v, note string) map[string]any {
	w.t.Helper()
	body, h := devMultipart(w.t, map[string]string{"note": note}, devFile{"bundle", "b.zip", devZip(w.t, v)})
	return w.decode(201, "upload "+v, w.do(w.dev, "POST", app+"/versions", body, h))
}

// TestDeveloperAPIMoney: payouts and refunds from the refused side, then
// a refund and a payout that pass.
func TestDeveloperAPIMoney(t *testing.T) {
	w := newDevWorld(t)
	appid := w.liveApp()
	app := devAPI + "/apps/" + appid
	w.refused("a payout of an empty balance", w.do(w.dev, "POST", app+"/payout", `{"amount":100}`, nil), 409, "wallet.insufficient", "", "")
	w.refused("a payout of nothing", w.do(w.dev, "POST", app+"/payout", `{"amount":0}`, nil), 400, "request.invalid", "amount", "wallet.amount_bad")
	w.refused("a refund of no order", w.do(w.dev, "POST", app+"/orders/nope/refund", `{"amount":100}`, nil), 404, "mp.order_not_found", "", "")
	w.paidOrder(appid, "A1", 800)
	w.refused("a refund over the order", w.do(w.dev, "POST", app+"/orders/A1/refund", `{"amount":801}`, nil), 409, "mp.refund_too_much", "", "")
	w.refused("a refund of nothing", w.do(w.dev, "POST", app+"/orders/A1/refund", `{"amount":0}`, nil), 400, "request.invalid", "amount", "wallet.amount_bad")
	if o := w.ok(200, w.dev, "POST", app+"/orders/A1/refund", `{"amount":300}`); o["refunded"] != 300.0 || o["status"] != "paid" {
		t.Fatalf("a part refunded: %v", o)
	}
	if b := w.ok(200, w.dev, "GET", app+"/balance", ""); b["balance"] != 500.0 {
		t.Fatalf("balance: %v", b)
	}
	w.refused("a payout over the balance", w.do(w.dev, "POST", app+"/payout", `{"amount":501}`, nil), 409, "wallet.insufficient", "", "")
	if p := w.ok(200, w.dev, "POST", app+"/payout", `{"amount":200}`); p["balance"] != 300.0 || p["entry"] == "" {
		t.Fatalf("payout: %v", p)
	}
	list := devItems(w.ok(200, w.dev, "GET", app+"/orders", ""))
	if len(list) != 1 || list[0]["order_no"] != "A1" || list[0]["refunded"] != 300.0 {
		t.Fatalf("orders: %v", list)
	}
	if days := w.ok(200, w.dev, "GET", app+"/stats", "")["days"].([]any); days[13].(map[string]any)["received"] != 800.0 {
		t.Fatalf("stats: %v", days)
	}
}

// liveApp registers Dev's app "Coffee" (cap 10.00) with version 1.0.0
// released, through the JSON: its AppID.
func (w *devWorld) liveApp() string {
	w.t.Helper()
	w.ok(200, w.dev, "PUT", devAPI, `{"enabled":true}`)
	appid := w.ok(201, w.dev, "POST", devAPI+"/apps", `{"name":"Coffee","category":"food","daily_cap":1000}`)["appid"].(string)
	v := w.upload(devAPI+"/apps/"+appid, "1.0.0", "")
	w.review(v["id"].(string), true, "")
	w.ok(200, w.dev, "POST", devAPI+"/apps/"+appid+"/versions/"+v["id"].(string)+"/release", "")
	return appid
}

// TestDeveloperAPIRefusesStrangers: every app route answers 404
// mp.not_found to another member (in developer mode herself) and 401
// signed out; nothing changes.
func TestDeveloperAPIRefusesStrangers(t *testing.T) {
	w := newDevWorld(t)
	appid := w.liveApp()
	w.paidOrder(appid, "A1", 500)
	versions := devItems(w.ok(200, w.dev, "GET", devAPI+"/apps/"+appid+"/versions", ""))
	vid := versions[0]["id"].(string)
	zip, zh := devMultipart(t, nil, devFile{"bundle", "b.zip", devZip(t, "9.0.0")})
	app := devAPI + "/apps/" + appid
	for _, r := range []struct{ method, path, body string }{
		{"GET", app, ""}, {"PATCH", app, `{"name":"Mine now"}`}, {"POST", app + "/secret", ""},
		{"GET", app + "/versions", ""}, {"POST", app + "/versions", `{"url":"https://x.example.org","version":"1.0.0"}`},
		{"POST", app + "/versions/" + vid + "/withdraw", ""}, {"POST", app + "/versions/" + vid + "/release", ""},
		{"POST", app + "/rollback", ""}, {"GET", app + "/stats", ""}, {"GET", app + "/orders", ""},
		{"POST", app + "/orders/A1/refund", `{"amount":500}`}, {"GET", app + "/balance", ""}, {"POST", app + "/payout", `{"amount":500}`},
	} {
		w.refused("Eve "+r.method+" "+r.path, w.do(w.eve, r.method, r.path, r.body, nil), 404, "mp.not_found", "", "")
		w.refused("signed out "+r.method+" "+r.path, w.do(nil, r.method, r.path, r.body, nil), 401, "auth.required", "", "")
	}
	w.refused("Eve uploads a bundle", w.do(w.eve, "POST", app+"/versions", zip, zh), 404, "mp.not_found", "", "")
	for _, p := range []string{devAPI, devAPI + "/apps"} {
		w.refused("signed out "+p, w.do(nil, "GET", p, "", nil), 401, "auth.required", "", "")
	}
	if list := devItems(w.ok(200, w.eve, "GET", devAPI+"/apps", "")); len(list) != 0 {
		t.Fatalf("Eve's apps: %v", list)
	}
	got := w.ok(200, w.dev, "GET", app, "")
	if got["name"] != "Coffee" || got["released"] != vid {
		t.Fatalf("the app changed: %v", got)
	}
	if b := w.ok(200, w.dev, "GET", app+"/balance", ""); b["balance"] != 500.0 {
		t.Fatalf("the balance changed: %v", b)
	}
	if !strings.HasPrefix(appid, "mp") {
		t.Fatalf("appid %q", appid)
	}
}
