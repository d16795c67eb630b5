package contacts_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserAddFriendByQRCode: Ann saves her QR code picture; Bo uploads it
// on the Scan page, sees Ann's card and sends a request; Ann sees the New
// Friends badge, accepts with a remark and a tag; both list each other; Bo
// blocks Ann and Ann is told nothing.
func TestBrowserAddFriendByQRCode(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec := srv.Member(t, "ann_lee")
	bo := srv.Member(t, "bo_wang")

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/me/qr")
	ann.WaitVisible("[data-testid=qr-image]")
	if dl := ann.Attr("[data-testid=qr-save]", "download"); dl != "plaza-ann_lee.png" {
		t.Fatalf("the save button should download plaza-ann_lee.png, got %q", dl)
	}
	var b64 string
	ann.Eval(`(async () => {
		const res = await fetch(document.querySelector("[data-testid=qr-save]").href);
		const bytes = new Uint8Array(await res.arrayBuffer());
		let s = ""; for (const b of bytes) s += String.fromCharCode(b);
		return btoa(s);
	})()`, &b64)
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(png) < 100 || string(png[1:4]) != "PNG" {
		t.Fatalf("saved QR picture is not a PNG (%d bytes, %v)", len(png), err)
	}
	picture := filepath.Join(t.TempDir(), "ann-qr.png")
	if err := os.WriteFile(picture, png, 0o600); err != nil {
		t.Fatal(err)
	}

	boPage := b.NewPage(t, e2e.Viewport(390, 844, true))
	srv.SignIn(boPage, "bo_wang", testapp.DefaultPassword)
	boPage.Navigate(srv.URL + "/discover")
	boPage.Click("[data-testid=discover-scan]")
	boPage.WaitVisible("[data-scanner][data-ready] [data-testid=scan-camera]")
	boPage.SetFiles("[data-testid=scan-file]", picture)
	boPage.WaitVisible("[data-testid=person-card][data-plaza-id=ann_lee]")
	if !strings.Contains(boPage.URL(), "/add/ann_lee?") {
		t.Fatalf("the scanned code should open Ann's add link, got %s", boPage.URL())
	}
	boPage.Fill("[data-testid=greeting]", "Hi Ann, it's Bo from the choir")
	boPage.Click("[data-testid=send-request]")
	boPage.WaitText("[data-testid=flash-ok]", "Friend request sent.")

	ann.Navigate(srv.URL + "/contacts")
	ann.WaitText("[data-testid=badge-contacts]", "1")
	ann.WaitText("[data-testid=entry-new-friends-badge]", "1")
	ann.Click("[data-testid=entry-new-friends]")
	ann.WaitText("[data-testid=request-row][data-plaza-id=bo_wang]", "Hi Ann, it's Bo from the choir")
	ann.Click("[data-testid=open-request]")
	ann.WaitText("[data-testid=incoming-greeting]", "Hi Ann, it's Bo from the choir")
	ann.Fill("#f-remark", "Bo (choir)")
	ann.Fill("[data-testid=new-tag]", "Choir")
	ann.Click("[data-testid=accept]")
	// Accepting opens the 1:1 chat with its notice (TestBrowserContactEventsLive).
	ann.WaitText("[data-testid=messages] [data-notice]", "You have added Bo (choir) as a friend. Start chatting.")
	ann.Navigate(srv.URL + "/u/" + bo.Id)
	ann.WaitText("[data-testid=card-label]", "Bo (choir)")
	ann.WaitText("[data-testid=pane-list]", "Bo (choir)")
	if ann.Visible("[data-testid=badge-contacts]") {
		t.Fatal("the New Friends badge should be gone after accepting")
	}
	ann.Navigate(srv.URL + "/contacts/tags")
	ann.WaitText("[data-testid=tag-row]", "Choir")
	ann.WaitText("[data-testid=tag-row]", "1")

	boPage.Navigate(srv.URL + "/contacts")
	boPage.WaitText("[data-testid=contact-label]", "ann_lee")

	// Bo blocks Ann. Ann's side shows nothing of it.
	boPage.Navigate(srv.URL + "/u/" + annRec.Id)
	boPage.Click("[data-testid=block]")
	boPage.Click("[data-testid=confirm-ok]") // the confirmation sheet
	boPage.WaitVisible("[data-testid=card-blocked]")

	ann.Navigate(srv.URL + "/u/" + bo.Id)
	ann.WaitText("[data-testid=card-label]", "Bo (choir)")
	if ann.Visible("[data-testid=card-blocked]") || ann.Visible("[data-testid=unblock]") {
		t.Fatal("Ann must not be told she was blocked")
	}
	ann.Navigate(srv.URL + "/contacts")
	ann.WaitText("[data-testid=pane-list]", "Bo (choir)")
	ann.Navigate(srv.URL + "/contacts/new")
	ann.WaitVisible("[data-testid=request-list]")
	if ann.Visible("[data-testid=open-request]") {
		t.Fatal("Ann should have nothing new to answer")
	}
}
