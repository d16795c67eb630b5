package mpweb_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
)

// devSecretIn is the AppSecret a page shows ("" for none).
func devSecretIn(body string) string {
	m := regexp.MustCompile(`data-testid="mp-dev-secret"[^>]*value="([0-9a-f]{64})"|value="([0-9a-f]{64})"[^>]*data-testid="mp-dev-secret"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}

// TestDeveloperPages: Settings links to developer mode; a member turns it
// on, registers an app (refused first, then its secret once), finds it in
// the list and its console; edits it; uploads a bundle, reads the
// reviewer's reason, previews; a refused upload, payout and release say
// so on the page; rotating shows a new secret.
func TestDeveloperPages(t *testing.T) {
	w := newDevWorld(t)
	if body := w.page(w.dev, "/me/settings", 200); !strings.Contains(body, `href="/developer"`) {
		t.Error("Settings lacks Developer mode")
	}
	if body := w.page(w.dev, "/developer", 200); !strings.Contains(body, "mp-dev-mode-on") || strings.Contains(body, "mp-dev-new") {
		t.Error("developer mode off: no switch on, or a register link")
	}
	if rec := testapp.Do(w.h, "GET", "/developer/new", "", map[string]string{"Cookie": testapp.SessionCookie(t, w.dev)}); rec.Code != 403 ||
		!strings.Contains(rec.Body.String(), "flash-error") {
		t.Fatalf("the form without developer mode: %d", rec.Code)
	}
	devRedirect(t, "mode on", w.form(w.dev, "/developer", url.Values{"on": {"1"}}), "/developer?done=on")
	if body := w.page(w.dev, "/developer?done=on", 200); !strings.Contains(body, "flash-ok") || !strings.Contains(body, "mp-dev-new") {
		t.Error("developer mode on: no notice or no register link")
	}
	w.page(w.dev, "/developer/new", 200)
	rec := w.multipartForm(w.dev, "/developer/new", map[string]string{"name": "", "category": "food", "daily_cap": "abc"})
	if body := rec.Body.String(); rec.Code != 400 || !strings.Contains(body, "error-name") || !strings.Contains(body, "error-daily_cap") && !strings.Contains(body, "flash-error") {
		t.Fatalf("a bad form: %d %.600s", rec.Code, body)
	}
	png := testapp.PNG(t, 24, 24)
	rec = w.multipartForm(w.dev, "/developer/new", map[string]string{"name": "Tea <house>", "category": "food", "daily_cap": "8.50",
		"description": "Leaves"}, devFile{"icon", "i.png", png})
	secret := devSecretIn(rec.Body.String())
	if rec.Code != 200 || secret == "" || !strings.Contains(rec.Body.String(), "mp-dev-secret-copy") || !strings.Contains(rec.Body.String(), "mp-dev-secret-warning") {
		t.Fatalf("created: %d %.800s", rec.Code, rec.Body.String())
	}
	apps, err := w.mp.Mine(w.dev.Id)
	if err != nil || len(apps) != 1 || apps[0].DailyCap != 850 || apps[0].Name != "Tea <house>" {
		t.Fatalf("the app: %+v %v", apps, err)
	}
	appid, base := apps[0].AppID, "/developer/"+apps[0].AppID
	if body := w.page(w.dev, "/developer", 200); !strings.Contains(body, appid) || !strings.Contains(body, "Not released") || !strings.Contains(body, "Tea &lt;house&gt;") {
		t.Error("the list lacks the app")
	}
	body := w.page(w.dev, base, 200)
	for _, want := range []string{appid, "mp-dev-versions-empty", "mp-dev-chart-active", "mp-dev-chart-received", "mp-dev-upload-form",
		`action="` + base + `/secret"`, "data-confirm", "mp-dev-payout-form"} {
		if !strings.Contains(body, want) {
			t.Errorf("the console lacks %q", want)
		}
	}
	if devSecretIn(body) != "" || strings.Contains(body, secret) {
		t.Error("the console shows the secret again")
	}
	devRedirect(t, "edit", w.multipartForm(w.dev, base+"/edit", map[string]string{"name": "Tea house", "category": "life", "daily_cap": "5"}), base+"?done=saved")
	if a, _ := w.mp.Own(w.dev.Id, appid); a.DailyCap != 500 || a.Category != "life" || a.Icon == "" {
		t.Fatalf("edited: %+v", a)
	}
	if body := w.page(w.dev, base+"/edit", 200); !strings.Contains(body, `value="5.00"`) || !strings.Contains(body, "mp-dev-icon-current") {
		t.Error("the edit form lacks the cap or the icon")
	}

	devRedirect(t, "upload", w.multipartForm(w.dev, base+"/versions", map[string]string{"note": "first"}, devFile{"bundle", "b.zip", devZip(t, "1.0.0")}), base+"?done=uploaded")
	vs, _ := w.mp.Versions(w.dev.Id, appid)
	body = w.page(w.dev, base+"?done=uploaded", 200)
	preview := "/mp/" + appid + "?preview=" + vs[0].ID + "&amp;back=" + url.QueryEscape(base)
	for _, want := range []string{"In review", "mp-dev-version-withdraw", preview, "flash-ok"} {
		if !strings.Contains(body, want) {
			t.Errorf("the console after an upload lacks %q", want)
		}
	}
	w.page(w.dev, strings.ReplaceAll(preview, "&amp;", "&"), 200)
	rec = w.multipartForm(w.dev, base+"/versions", map[string]string{"note": "again"}, devFile{"bundle", "b.zip", devZip(t, "1.0.1")})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "flash-error") || !strings.Contains(rec.Body.String(), `value=""`) {
		t.Fatalf("a second upload in review: %d", rec.Code)
	}
	rec = w.multipartForm(w.dev, base+"/versions", map[string]string{"url": "http://insecure.example.org", "version": "1.0.0"})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "error-url") {
		t.Fatalf("an http address: %d", rec.Code)
	}
	w.review(vs[0].ID, false, "Needs a privacy note")
	if body := w.page(w.dev, base, 200); !strings.Contains(body, "Needs a privacy note") || !strings.Contains(body, "Rejected") {
		t.Error("the console lacks the reviewer's reason")
	}
	rec = w.form(w.dev, base+"/versions/"+vs[0].ID+"/release", nil)
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "flash-error") {
		t.Fatalf("release a rejected version: %d", rec.Code)
	}
	rec = w.form(w.dev, base+"/payout", url.Values{"amount": {"1.00"}})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "flash-error") || !strings.Contains(rec.Body.String(), `value="1.00"`) {
		t.Fatalf("a payout of an empty balance: %d", rec.Code)
	}
	if rec := w.form(w.dev, base+"/payout", url.Values{"amount": {"-3"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "error-amount") {
		t.Fatalf("a payout of a bad amount: %d", rec.Code)
	}
	rec = w.form(w.dev, base+"/secret", nil)
	if s := devSecretIn(rec.Body.String()); rec.Code != 200 || s == "" || s == secret {
		t.Fatalf("rotated: %d", rec.Code)
	}
}

// TestDeveloperPagesVersionsAndMoney: release, rollback, withdraw and a
// refund through the console's forms, each saying what happened.
func TestDeveloperPagesVersionsAndMoney(t *testing.T) {
	w := newDevWorld(t)
	appid := w.liveApp()
	base := "/developer/" + appid
	w.paidOrder(appid, "A1", 800)
	body := w.page(w.dev, base, 200)
	for _, want := range []string{"Live: 1.0.0", "mp-dev-order", "A1", `action="` + base + `/orders/A1/refund"`, `value="8.00"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the console lacks %q", want)
		}
	}
	if strings.Contains(body, "mp-dev-rollback") {
		t.Error("a rollback without a previous version")
	}
	devRedirect(t, "refund", w.form(w.dev, base+"/orders/A1/refund", url.Values{"amount": {"3"}}), base+"?done=refund")
	if rec := w.form(w.dev, base+"/orders/A1/refund", url.Values{"amount": {"6"}}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "flash-error") {
		t.Fatalf("a refund over what is left: %d", rec.Code)
	}
	devRedirect(t, "payout", w.form(w.dev, base+"/payout", url.Values{"amount": {"5"}}), base+"?done=payout")
	if b, _ := w.mp.Balance(w.dev.Id, appid); b != 0 {
		t.Fatalf("balance after the payout: %d", b)
	}
	devRedirect(t, "upload", w.multipartForm(w.dev, base+"/versions", nil, devFile{"bundle", "b.zip", devZip(t, "1.1.0")}), base)
	vs, _ := w.mp.Versions(w.dev.Id, appid)
	devRedirect(t, "withdraw", w.form(w.dev, base+"/versions/"+vs[0].ID+"/withdraw", nil), base+"?done=withdrawn")
	devRedirect(t, "upload", w.multipartForm(w.dev, base+"/versions", nil, devFile{"bundle", "b.zip", devZip(t, "1.2.0")}), base)
	vs, _ = w.mp.Versions(w.dev.Id, appid)
	w.review(vs[0].ID, true, "")
	if body := w.page(w.dev, base, 200); !strings.Contains(body, "mp-dev-version-release") {
		t.Error("an approved version without Release")
	}
	devRedirect(t, "release", w.form(w.dev, base+"/versions/"+vs[0].ID+"/release", nil), base+"?done=released")
	body = w.page(w.dev, base+"?done=released", 200)
	if !strings.Contains(body, "Live: 1.2.0") || !strings.Contains(body, "mp-dev-rollback") || !strings.Contains(body, "mp-dev-version-previous") {
		t.Error("after the release: not live, or no rollback")
	}
	devRedirect(t, "rollback", w.form(w.dev, base+"/rollback", nil), base+"?done=rollback")
	if body := w.page(w.dev, base, 200); !strings.Contains(body, "Live: 1.0.0") {
		t.Error("after the rollback: not 1.0.0")
	}
}

// TestDeveloperPagesRefuseStrangers: every console page and form is a 404
// to another member, and changes nothing.
func TestDeveloperPagesRefuseStrangers(t *testing.T) {
	w := newDevWorld(t)
	appid := w.liveApp()
	base := "/developer/" + appid
	w.paidOrder(appid, "A1", 500)
	vs, _ := w.mp.Versions(w.dev.Id, appid)
	for _, p := range []string{base, base + "/edit"} {
		w.page(w.eve, p, 404)
		w.page(w.dev, p, 200)
		if rec := testapp.Do(w.h, "GET", p, "", nil); rec.Code != http.StatusSeeOther {
			t.Errorf("a visitor's %s: %d", p, rec.Code)
		}
	}
	for p, f := range map[string]url.Values{base + "/edit": {"name": {"Mine"}, "category": {"food"}}, base + "/secret": nil,
		base + "/versions": {"url": {"https://x.example.org"}, "version": {"1.0.0"}}, base + "/versions/" + vs[0].ID + "/withdraw": nil,
		base + "/versions/" + vs[0].ID + "/release": nil, base + "/rollback": nil, base + "/payout": {"amount": {"5"}},
		base + "/orders/A1/refund": {"amount": {"5"}}} {
		if rec := w.form(w.eve, p, f); rec.Code != http.StatusNotFound {
			t.Errorf("Eve's POST %s: %d", p, rec.Code)
		}
	}
	if rec := w.multipartForm(w.eve, base+"/versions", nil, devFile{"bundle", "b.zip", devZip(t, "9.0.0")}); rec.Code != 404 {
		t.Errorf("Eve uploads: %d", rec.Code)
	}
	a, _ := w.mp.Own(w.dev.Id, appid)
	if b, _ := w.mp.Balance(w.dev.Id, appid); a.Name != "Coffee" || b != 500 {
		t.Fatalf("changed: %+v %d", a, b)
	}
	if body := w.page(w.eve, "/developer", 200); strings.Contains(body, appid) {
		t.Error("Eve's list shows Dev's app")
	}
}
