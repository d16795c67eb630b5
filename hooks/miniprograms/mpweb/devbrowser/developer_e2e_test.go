// Package devbrowser_test holds the Mini Programs developer console in
// Chromium: one developer's story from developer mode to a rollback. It
// drives the real server through hooks/internal/e2e; the superuser's
// review (an edit of mp_versions.status in /_/) is miniprograms.Review.
package devbrowser_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
)

const appName = "Tide Clock"

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// TestBrowserDeveloperStory: Dee turns developer mode on from Me →
// Settings, registers an app with an icon and is shown its AppSecret once;
// uploads 1.0.0 and previews it; the superuser rejects it with a reason;
// 1.0.1 passes review and Dee releases it, and Bo finds it in the search
// and opens it; Dee rotates the AppSecret (a new one, once); 1.0.2 goes
// live, then Dee rolls back to 1.0.1, which Bo's host page then shows.
func TestBrowserDeveloperStory(t *testing.T) {
	t.Parallel() // its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	srv.Member(t, "dee_dev")
	srv.Member(t, "bo_wang")
	dir := t.TempDir()
	icon := filepath.Join(dir, "icon.png")
	if err := os.WriteFile(icon, testapp.PNG(t, 96, 96), 0o600); err != nil {
		t.Fatal(err)
	}

	dee := b.NewPage(t)
	srv.SignIn(dee, "dee_dev", testapp.DefaultPassword)
	appid, first := register(t, dee, icon)
	console := srv.URL + "/developer/" + appid
	noSecret(t, dee, first)

	// 1.0.0: in review, previewed with the banner; the superuser rejects it.
	v100 := upload(t, dee, dir, "1.0.0")
	preview(t, dee, v100)
	if err := miniprograms.Review(srv.App, v100, false, "Needs an icon"); err != nil {
		t.Fatal(err)
	}
	dee.Navigate(console)
	dee.WaitText(row(v100, "rejected")+" [data-testid=mp-dev-version-status]", "Rejected")
	dee.WaitText(row(v100, "rejected")+" [data-testid=mp-dev-version-reason]", "Needs an icon")

	// 1.0.1 passes review and is released: nothing to roll back to yet.
	v101 := upload(t, dee, dir, "1.0.1")
	approve(t, srv, dee, console, v101)
	release(t, dee, v101, "1.0.1")
	if dee.Visible("[data-testid=mp-dev-rollback]") {
		t.Error("Rollback offered with no previous version")
	}

	// Bo finds the live app in the search and opens it.
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	openFromSearch(t, srv, bo, appid, "1.0.1")

	// Dee rotates the AppSecret through the confirm sheet.
	dee.Click("[data-testid=mp-dev-rotate]")
	confirm(t, dee)
	dee.WaitText("[data-testid=mp-dev-secret-page] [data-testid=flash-ok]", "new AppSecret replaced")
	second := shownSecret(t, dee)
	if second == first {
		t.Fatal("the rotated AppSecret is the first one")
	}
	dee.Click("[data-testid=mp-dev-secret-continue]")
	dee.WaitVisible("[data-testid=mp-dev-console]")
	noSecret(t, dee, first, second)

	// 1.0.2 goes live; Dee rolls back to 1.0.1.
	v102 := upload(t, dee, dir, "1.0.2")
	approve(t, srv, dee, console, v102)
	release(t, dee, v102, "1.0.2")
	rollBack(t, dee, v101, v102)
	bo.Navigate(srv.URL + "/mp/" + appid)
	waitFrameText(t, bo, "Tides 1.0.1")
	if src := bo.Attr("[data-testid=mp-frame]", "src"); !strings.Contains(src, "/v/"+v101+"/") {
		t.Errorf("after the rollback the host's frame is %s, want version %s", src, v101)
	}
	bo.Navigate(srv.URL + "/mp/" + appid + "/about")
	bo.WaitText("[data-testid=mp-about-version]", "1.0.1")

	for name, p := range map[string]*e2e.Page{"dee": dee, "bo": bo} {
		if probs := p.TakeProblems(); len(probs) > 0 {
			t.Errorf("problems in %s's browser: %q", name, probs)
		}
	}
}

// register goes Me → Settings → Developer mode, turns it on and registers
// the app with icon and a category. It returns the AppID and the AppSecret
// its page showed once, with the warning.
func register(t *testing.T, p *e2e.Page, icon string) (appid, secret string) {
	t.Helper()
	p.Click("[data-testid=tab-me]")
	p.Click("[data-testid=me-settings]")
	p.Click("[data-testid=settings-developer]")
	p.WaitVisible("[data-testid=mp-dev-home]")
	if p.Visible("[data-testid=mp-dev-new]") {
		t.Error("Register offered before developer mode is on")
	}
	p.Click("[data-testid=mp-dev-mode-on]")
	p.WaitVisible("[data-testid=mp-dev-mode-off]")
	p.Click("[data-testid=mp-dev-new]")
	p.Fill("[data-testid=mp-dev-name]", appName)
	p.Fill("[data-testid=mp-dev-category]", "tools")
	p.Fill("[data-testid=mp-dev-description]", "When the tide turns")
	p.SetFiles("[data-testid=mp-dev-icon]", icon)
	p.Click("[data-testid=mp-dev-save]")
	p.WaitVisible("[data-testid=mp-dev-secret-page]")
	p.WaitText("[data-testid=mp-dev-secret-warning]", "shown only this once")
	secret = shownSecret(t, p)
	appid = p.Text("[data-testid=mp-dev-secret-appid]")
	p.Click("[data-testid=mp-dev-secret-continue]")
	p.WaitVisible("[data-testid=mp-dev-console][data-appid=\"" + appid + "\"]")
	p.WaitText("[data-testid=mp-dev-overview]", "Not released")
	waitTrue(t, p, `(() => { const i = document.querySelector("[data-testid=mp-dev-overview] img");
		return !!i && i.complete && i.naturalWidth > 0; })()`, "the console's icon")
	return appid, secret
}

// shownSecret is the AppSecret on the secret page: 64 hex digits.
func shownSecret(t *testing.T, p *e2e.Page) string {
	t.Helper()
	p.WaitVisible("[data-testid=mp-dev-secret]")
	var s string
	p.Eval(`document.querySelector("[data-testid=mp-dev-secret]").value`, &s)
	if !hex64.MatchString(s) {
		t.Fatalf("the AppSecret shown is %q, want 64 hex digits", s)
	}
	return s
}

// noSecret fails when the page (its text, its HTML or a field's value)
// holds one of the secrets, and when it is reloaded too.
func noSecret(t *testing.T, p *e2e.Page, secrets ...string) {
	t.Helper()
	for pass := 0; pass < 2; pass++ {
		if pass == 1 {
			p.Navigate(p.URL())
			p.WaitVisible("[data-testid=mp-dev-console]")
		}
		var page string
		p.Eval(`document.body.innerText + document.documentElement.outerHTML +
			[...document.querySelectorAll("input, textarea")].map((f) => f.value).join(" ")`, &page)
		for _, s := range secrets {
			if strings.Contains(page, s) {
				t.Fatalf("the console at %s shows an AppSecret again", p.URL())
			}
		}
	}
}

// row selects the console's row of version id with status.
func row(id, status string) string {
	return `[data-testid=mp-dev-version][data-id="` + id + `"][data-status=` + status + `]`
}

// upload builds a bundle of version and sends it from the console's form;
// the versions list then shows it in review. It returns its id.
func upload(t *testing.T, p *e2e.Page, dir, version string) string {
	t.Helper()
	path := filepath.Join(dir, "bundle-"+version+".zip")
	writeBundle(t, path, version)
	p.SetFiles("[data-testid=mp-dev-bundle]", path)
	p.Click("[data-testid=mp-dev-upload]")
	p.WaitText("[data-testid=flash-ok]", "review")
	var id string
	waitTrue(t, p, `[...document.querySelectorAll("[data-testid=mp-dev-version]")].some((li) =>
		li.querySelector(".font-mono").textContent === "`+version+`")`, "version "+version+" in the list")
	p.Eval(`[...document.querySelectorAll("[data-testid=mp-dev-version]")].find((li) =>
		li.querySelector(".font-mono").textContent === "`+version+`").dataset.id`, &id)
	p.WaitText(row(id, "review")+" [data-testid=mp-dev-version-status]", "In review")
	return id
}

// writeBundle writes a zip bundle of version whose page says "Tides
// <version>".
func writeBundle(t *testing.T, path, version string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for name, body := range map[string]string{
		"plaza.json": `{"name":"` + appName + `","entry":"index.html","version":"` + version + `","permissions":[]}`,
		"index.html": `<!doctype html><meta charset="utf-8"><title>Tides</title><h1 id="hello">Tides ` + version + `</h1>`,
	} {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write([]byte(body))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// preview opens version id's Preview from the console: the host shows
// the banner and the bundle; Close goes back to the console (its ?back=).
func preview(t *testing.T, p *e2e.Page, id string) {
	t.Helper()
	console, _, _ := strings.Cut(p.URL(), "?") // the upload's ?done=uploaded
	p.Click(row(id, "review") + " [data-testid=mp-dev-version-preview]")
	p.WaitVisible("[data-testid=mp-preview]")
	if u := p.URL(); !strings.Contains(u, "?preview="+id) {
		t.Errorf("Preview opened %s", u)
	}
	waitFrameText(t, p, "Tides 1.0.0")
	p.Click("[data-testid=mp-close]")
	p.WaitVisible("[data-testid=mp-dev-console]")
	if u := p.URL(); u != console {
		t.Errorf("Close of the preview went to %s, want %s", u, console)
	}
}

// approve passes version id's review as the superuser does, and reloads
// the console.
func approve(t *testing.T, srv *e2e.Server, p *e2e.Page, console, id string) {
	t.Helper()
	if err := miniprograms.Review(srv.App, id, true, ""); err != nil {
		t.Fatal(err)
	}
	p.Navigate(console)
	p.WaitText(row(id, "approved")+" [data-testid=mp-dev-version-status]", "Approved")
}

// release releases the approved version id through the confirm sheet.
func release(t *testing.T, p *e2e.Page, id, version string) {
	t.Helper()
	p.Click(row(id, "approved") + " [data-testid=mp-dev-version-release]")
	confirm(t, p)
	p.WaitText("[data-testid=mp-dev-live]", "Live: "+version)
	p.WaitVisible(row(id, "approved") + " [data-testid=mp-dev-version-released]")
}

// rollBack rolls the live version undone back to the previous one, back,
// through the confirm sheet: back is live again and nothing is left to
// roll back to.
func rollBack(t *testing.T, p *e2e.Page, back, undone string) {
	t.Helper()
	p.WaitVisible(row(back, "approved") + " [data-testid=mp-dev-version-previous]")
	p.Click("[data-testid=mp-dev-rollback]")
	confirm(t, p)
	p.WaitText("[data-testid=flash-ok]", "Rolled back")
	p.WaitText("[data-testid=mp-dev-live]", "Live: 1.0.1")
	p.WaitVisible(row(back, "approved") + " [data-testid=mp-dev-version-released]")
	if p.Visible(row(undone, "approved")+" [data-testid=mp-dev-version-released]") || p.Visible("[data-testid=mp-dev-rollback]") {
		t.Error("after the rollback 1.0.2 is still released, or Rollback is offered again")
	}
}

// confirm waits until the confirm sheet is open and has finished sliding
// up (a click computed while it moves could land on the backdrop, which
// cancels), then confirms.
func confirm(t *testing.T, p *e2e.Page) {
	t.Helper()
	waitTrue(t, p, `(() => { const d = document.querySelector("[data-testid=confirm-sheet]");
		return !!d && d.open && d.getAnimations({subtree: true}).length === 0; })()`, "the confirm sheet")
	p.Click("[data-testid=confirm-ok]")
}

// openFromSearch: the member searches the app's name and opens it; the
// frame shows version, with no preview banner.
func openFromSearch(t *testing.T, srv *e2e.Server, p *e2e.Page, appid, version string) {
	t.Helper()
	p.Navigate(srv.URL + "/mp/search?q=" + strings.ReplaceAll(appName, " ", "+"))
	hit := `[data-testid=mp-search-results] [data-testid=mp-app][data-appid="` + appid + `"]`
	p.WaitText(hit, appName)
	p.Click(hit)
	p.WaitVisible("[data-testid=mp-frame]")
	waitFrameText(t, p, "Tides "+version)
	if p.Visible("[data-testid=mp-preview]") {
		t.Error("the live app shows the preview banner")
	}
}

// waitFrameText waits until the host's frame shows text.
func waitFrameText(t *testing.T, p *e2e.Page, text string) {
	t.Helper()
	var got string
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		p.EvalInFrame("[data-testid=mp-frame]", `document.body ? document.body.innerText : ""`, &got)
		if strings.Contains(got, text) {
			return
		}
	}
	t.Fatalf("the app's frame shows %q, want %q", got, text)
}

// waitTrue polls a script until it answers true (10 s).
func waitTrue(t *testing.T, p *e2e.Page, js, what string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var ok bool
		p.Eval(js, &ok)
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("waited 10s for %s", what)
		}
	}
}
