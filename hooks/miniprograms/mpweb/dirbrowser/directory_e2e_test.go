// Package dirbrowser_test holds the Mini Programs directory in Chromium:
// finding an app from Discover, opening it, and the card shared into a
// chat opening it with scene "card". It drives the real server through
// hooks/internal/e2e.
package dirbrowser_test

import (
	"archive/zip"
	"bytes"
	"net/url"
	"strings"
	"testing"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
)

// sceneBundle is a tiny app: its page loads the bridge and shows
// plaza.launch.scene.
func sceneBundle(t *testing.T) []byte {
	t.Helper()
	files := map[string]string{
		"plaza.json": `{"name":"Corner Coffee","entry":"index.html","version":"1.0.0","permissions":[]}`,
		"index.html": `<!doctype html><meta charset="utf-8"><title>Coffee</title><p id="scene">…</p>` +
			`<script src="/public/mp/plaza-bridge.js"></script><script src="app.js"></script>`,
		"app.js": `document.getElementById("scene").textContent = "scene:" + (plaza.launch ? plaza.launch.scene : "none");`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		f, err := zw.Create(name)
		if err == nil {
			_, err = f.Write([]byte(body))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// launchScene is the scene of the host page's signed launch.
func launchScene(t *testing.T, p *e2e.Page) string {
	t.Helper()
	v, err := url.ParseQuery(p.Attr("[data-testid=mp-host]", "data-mp-launch"))
	if err != nil {
		t.Fatal(err)
	}
	return v.Get("scene")
}

// TestBrowserDirectorySearchAndCard: Bo opens Discover → Mini Programs,
// searches one Chinese character, opens the coffee shop (scene search),
// shares it into his chat with Cy from the ··· menu and is back in the
// app with a toast; Cy taps the card in their chat and the app opens with
// scene card.
func TestBrowserDirectorySearchAndCard(t *testing.T) {
	t.Parallel() // its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	dev, bo, cy := srv.Member(t, "dev_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, bo, cy)
	mp := testapp.Services(t, srv.App).MP
	if err := mp.SetDeveloper(dev.Id, true); err != nil {
		t.Fatal(err)
	}
	app, _, err := mp.CreateApp(dev.Id, miniprograms.AppInput{Name: "街角咖啡", Category: "food", Description: "Coffee to go"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := mp.UploadVersion(dev.Id, app.AppID, sceneBundle(t), "")
	if err == nil {
		err = miniprograms.Review(srv.App, v.ID, true, "")
	}
	if err == nil {
		err = mp.Release(dev.Id, app.AppID, v.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	row := `[data-testid=mp-app][data-appid="` + app.AppID + `"]`

	p := b.NewPage(t)
	srv.SignIn(p, "bo_wang", testapp.DefaultPassword)
	p.Navigate(srv.URL + "/discover")
	p.Click("[data-testid=discover-" + miniprograms.DiscoverID + "]")
	p.WaitVisible("[data-testid=mp-directory]")
	p.WaitVisible("[data-testid=mp-popular] " + row)
	p.Fill("[data-testid=mp-search]", "咖")
	p.Click("[data-testid=mp-search-go]")
	p.WaitVisible("[data-testid=mp-search-results] " + row)
	p.Click("[data-testid=mp-search-results] " + row)
	p.WaitVisible("[data-testid=mp-frame]")
	if got := launchScene(t, p); got != "search" {
		t.Fatalf("opened from search with scene %q", got)
	}
	if src := p.Attr("[data-testid=mp-frame]", "src"); !strings.Contains(src, "scene=search") {
		t.Errorf("the frame's launch: %s", src)
	}

	// Share from the ··· menu into the chat with Cy.
	p.Click("[data-testid=mp-menu-button]")
	p.Click("[data-testid=mp-menu-share]")
	p.WaitVisible("[data-testid=mp-share-form]")
	p.Click("[data-testid=mp-share-chat] input")
	p.Click("[data-testid=mp-share-send]")
	p.WaitVisible("[data-testid=mp-frame]")
	p.WaitText("[data-testid=toast]", "Sent")
	if got := launchScene(t, p); got != "share" {
		t.Errorf("back in the app with scene %q", got)
	}

	conv, err := chat.OpenDirect(srv.App, bo.Id, cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	c := b.NewPage(t)
	srv.SignIn(c, "cy_chen", testapp.DefaultPassword)
	c.Navigate(srv.URL + "/chats/" + conv)
	card := `[data-testid=msg-card][data-card-type="mp"][data-ref="` + app.AppID + `"]`
	c.WaitText(card, "街角咖啡")
	c.Click(card)
	c.WaitVisible("[data-testid=mp-frame]")
	if got := launchScene(t, c); got != "card" {
		t.Fatalf("the card opened the app with scene %q", got)
	}
}
