package accounts_test

import (
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserAccountJourney walks a new member through the foundation in
// real Chromium: sign up, land in the shell, edit the profile with an avatar
// upload whose progress is shown, sign out, fail and then succeed to sign in.
func TestBrowserAccountJourney(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	p := b.NewPage(t)

	p.Navigate(srv.URL + "/signup")
	p.Fill("#f-plaza_id", "mei_lin")
	p.Fill("#f-email", "mei@example.test")
	p.Fill("#f-password", "a-long-password")
	p.Click("[data-testid=signup-submit]")
	p.WaitVisible("[data-testid=empty-chats]")
	if !strings.HasSuffix(p.URL(), "/chats") {
		t.Fatalf("after sign-up the app should open on Chats, got %s", p.URL())
	}

	p.Click("[data-testid=tab-me]")
	p.WaitText("[data-testid=me-name]", "mei_lin")
	p.WaitText("[data-testid=me-plaza-id]", "mei_lin")
	p.Click("[data-testid=me-header]")
	p.WaitVisible("[data-testid=avatar-form]")
	waitReady(t, p) // htmx has wired the uploader

	// Upload a 600 KB picture over a throttled link so the bar is seen moving.
	pic := noisePNG(t, 400)
	p.ThrottleNetwork(256<<10, 0, 0)
	p.SetFiles("[data-testid=avatar-input]", pic)
	var midway bool
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) && !midway {
		var v float64
		p.Eval(`document.querySelector("[data-testid=avatar-progress]")?.value ?? 0`, &v)
		midway = v > 0 && v < 100 && p.Visible("[data-testid=avatar-progress]")
		time.Sleep(20 * time.Millisecond)
	}
	p.Unthrottle()
	if !midway {
		t.Fatal("the upload progress bar was never seen part-way")
	}
	p.WaitVisible("[data-testid=avatar-ok]")
	src := p.Attr("[data-testid=avatar-current] img", "src")
	if !strings.Contains(src, "/api/files/") || !strings.Contains(src, "thumb=240x240") {
		t.Fatalf("avatar should show the uploaded picture's thumbnail, got src=%q", src)
	}
	var naturalWidth int
	p.Eval(`(async () => { const i = document.querySelector("[data-testid=avatar-current] img"); await i.decode(); return i.naturalWidth })()`, &naturalWidth)
	if naturalWidth != 240 {
		t.Fatalf("avatar thumbnail should be 240px wide, got %d", naturalWidth)
	}

	p.Fill("#f-name", "Mei Lin 林梅")
	p.Fill("#f-region", "Suzhou")
	p.Fill("#f-signature", "Tea, books, 山水")
	p.Click("[data-testid=profile-save]")
	p.WaitVisible("[data-testid=flash-ok]")
	p.WaitText("[data-testid=me-name]", "Mei Lin 林梅")

	p.Navigate(srv.URL + "/me/settings")
	p.Click("[data-testid=signout]")
	p.WaitVisible("[data-testid=signin-form]")
	p.WaitVisible("[data-testid=flash-ok]")
	p.Navigate(srv.URL + "/me")
	p.WaitVisible("[data-testid=signin-form]") // the session is really gone

	p.Fill("#f-identity", "mei_lin")
	p.Fill("#f-password", "not-my-password")
	p.Click("[data-testid=signin-submit]")
	p.WaitText("[data-testid=flash-error]", "Wrong Plaza ID, email or password.")

	p.Fill("#f-identity", "MEI_LIN") // Plaza IDs ignore case
	p.Fill("#f-password", "a-long-password")
	p.Click("[data-testid=signin-submit]")
	p.WaitVisible("[data-testid=profile-card]") // ?next= brought us back to /me
	p.WaitText("[data-testid=profile-name]", "Mei Lin 林梅")
	p.WaitText("[data-testid=profile-region]", "Suzhou")
	p.WaitText("[data-testid=profile-signature]", "Tea, books, 山水")
}

// TestBrowserSettings switches the UI to Chinese, as a guest on the sign-in
// page and as a member in Settings, and the theme to dark.
func TestBrowserSettings(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	srv.Member(t, "lang_tester")
	p := b.NewPage(t)

	p.Navigate(srv.URL + "/login")
	p.WaitText("h1", "Sign in")
	p.Click("[data-testid=lang-zh]")
	p.WaitText("h1", "登录")
	p.Click("[data-testid=lang-en]")
	p.WaitText("h1", "Sign in")

	srv.SignIn(p, "lang_tester", testapp.DefaultPassword)
	p.WaitText("[data-testid=tab-me]", "Me")
	p.Navigate(srv.URL + "/me/settings")
	p.Fill("[data-testid=settings-language]", "zh")
	p.Click("[data-testid=settings-save]")
	p.WaitText("[data-testid=flash-ok]", "设置已保存")
	p.WaitText("[data-testid=tab-me]", "我")
	p.WaitText("[data-testid=tab-contacts]", "通讯录")
	p.WaitText("[data-testid=tab-discover]", "发现")
	var lang string
	p.Eval(`document.documentElement.lang`, &lang)
	if lang != "zh-Hans" {
		t.Fatalf("html lang should be zh-Hans, got %q", lang)
	}
	p.Click("[data-testid=tab-contacts]")
	p.WaitText("[data-testid=empty-contacts]", "还没有联系人")

	background := func() string {
		var bg string
		p.Eval(`getComputedStyle(document.body).backgroundColor`, &bg)
		return bg
	}
	light := background()
	p.Navigate(srv.URL + "/me/settings")
	p.Fill("[data-testid=settings-theme]", "dark")
	p.Click("[data-testid=settings-save]")
	p.WaitVisible("[data-testid=flash-ok]")
	if dark := background(); dark != "rgb(17, 17, 17)" || light == dark {
		t.Fatalf("dark theme: page background %s (light was %s)", dark, light)
	}
}

// TestBrowserLayout checks the phone layout (bottom tab bar, one pane) and
// the desktop layout (tab rail, list and detail panes side by side).
func TestBrowserLayout(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	srv.Member(t, "layout_tester")

	phone := b.NewPage(t, e2e.Viewport(390, 844, true))
	srv.SignIn(phone, "layout_tester", testapp.DefaultPassword)
	var bar struct{ Top, Bottom, Width, Height, ViewH, ViewW float64 }
	phone.Eval(`(() => { const r = document.querySelector("[data-testid=tabbar]").getBoundingClientRect();
		return {Top: r.top, Bottom: r.bottom, Width: r.width, Height: r.height, ViewH: innerHeight, ViewW: innerWidth} })()`, &bar)
	if bar.ViewW != 390 || bar.Bottom != bar.ViewH || bar.Width != bar.ViewW || bar.Height > 100 {
		t.Fatalf("phone: tab bar should span the bottom edge, got %+v", bar)
	}
	if !phone.Visible("[data-testid=pane-list]") || phone.Visible("[data-testid=pane-detail]") {
		t.Fatal("phone: only the list pane should show on Chats")
	}
	phone.Navigate(srv.URL + "/me/settings")
	if phone.Visible("[data-testid=pane-list]") || !phone.Visible("[data-testid=pane-detail]") || !phone.Visible("[data-testid=back]") {
		t.Fatal("phone: an opened item should fill the screen, with a back link")
	}

	desk := b.NewPage(t, e2e.Viewport(1280, 800, false))
	srv.SignIn(desk, "layout_tester", testapp.DefaultPassword)
	for _, path := range []string{"/chats", "/me/settings"} {
		desk.Navigate(srv.URL + path)
		if !desk.Visible("[data-testid=pane-list]") || !desk.Visible("[data-testid=pane-detail]") {
			t.Fatalf("desktop %s: list and detail panes should both show", path)
		}
	}
	var rail struct{ Height, Width, ViewH float64 }
	desk.Eval(`(() => { const r = document.querySelector("[data-testid=tabbar]").getBoundingClientRect();
		return {Height: r.height, Width: r.width, ViewH: innerHeight} })()`, &rail)
	if rail.Height != rail.ViewH || rail.Width > 120 {
		t.Fatalf("desktop: tabs should be a full-height side rail, got %+v", rail)
	}
	if desk.Visible("[data-testid=back]") {
		t.Fatal("desktop: no back link when both panes show")
	}
}

// noisePNG writes a side×side PNG of random pixels (it does not compress).
func noisePNG(t *testing.T, side int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			img.Set(x, y, color.RGBA{uint8(r.UintN(256)), uint8(r.UintN(256)), uint8(r.UintN(256)), 255})
		}
	}
	path := filepath.Join(t.TempDir(), "me.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitReady waits until the page has loaded and htmx has processed it.
func waitReady(t *testing.T, p *e2e.Page) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		var ok bool
		p.Eval(`document.readyState === "complete" && typeof htmx !== "undefined"`, &ok)
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the page did not finish loading")
}
