// Package browser_test holds Moments' Chromium tests, apart from
// hooks/moments' own tests so each package's run stays short; they drive
// the real server through hooks/internal/e2e.
package browser_test

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserMoments: Ann is friends with Bo and Cy, who are not friends of
// each other. Ann posts two photos (one a JPEG carrying GPS EXIF) and
// reminds Bo; Bo's Discover shows the dot with Ann's avatar. Bo and Cy
// both comment: each sees only their own comment, Ann sees both. Bo likes
// the post and Ann's open tab shows the notification badge live. The
// photo Ann uploaded is served without its EXIF.
func TestBrowserMoments(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, annRec, boRec)
	testapp.Befriend(t, srv.App, annRec, cyRec)

	dir := t.TempDir()
	png, jpg := filepath.Join(dir, "sunset.png"), filepath.Join(dir, "where.jpg")
	if err := os.WriteFile(png, testapp.PNG(t, 640, 480), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(jpg, jpegWithGPS(t), 0o600); err != nil {
		t.Fatal(err)
	}

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/moments") // Bo has looked: no dot yet
	bo.WaitVisible("[data-testid=moments-feed]")

	// Ann posts two photos and reminds Bo.
	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/discover")
	ann.Click("[data-testid=discover-moments]")
	ann.Click("[data-testid=moments-post]")
	ann.Fill("[data-testid=compose-text]", "Sunset at the lake 🌅")
	ann.SetFiles("[data-testid=compose-photos]", png, jpg)
	ann.WaitVisible("[data-testid=preview]:nth-child(2)")
	ann.Click("[data-testid=reminds-open]")
	ann.Click("[data-testid=reminds-" + boRec.Id + "]")
	ann.Click("[data-testid=compose-send]")
	ann.WaitVisible("[data-testid=flash-ok]")
	ann.WaitText("[data-testid=post] [data-testid=post-text]", "Sunset at the lake")
	var photos []string
	ann.Eval(`[...document.querySelectorAll("[data-testid=post] [data-testid=post-photo]")].map(a => a.getAttribute("href"))`, &photos)
	if len(photos) != 2 {
		t.Fatalf("the post shows %d photos, want 2", len(photos))
	}
	postID := ann.Attr("[data-testid=post]", "data-post")
	for _, src := range photos {
		body := fetchAs(t, srv, annRec.Id, src)
		if bytes.Contains(body, []byte("Exif")) {
			t.Fatalf("%s is served with its EXIF", src)
		}
	}
	// The lightbox opens the full photo.
	ann.Click("[data-testid=post] [data-testid=post-photo]")
	ann.WaitVisible(".pswp img.pswp__img")

	// Bo's Discover shows the dot with Ann's avatar; opening Moments puts it out.
	bo.Navigate(srv.URL + "/discover")
	bo.WaitVisible("[data-testid=discover-moments-dot]")
	bo.Click("[data-testid=discover-moments]")
	bo.WaitText("[data-post='"+postID+"'] [data-testid=post-reminds]", "bo_wang")
	bo.Fill("[data-post='"+postID+"'] [data-testid=comment-input]", "Lovely, from Bo")
	bo.Click("[data-post='" + postID + "'] [data-testid=comment-send]")
	bo.WaitText("[data-post='"+postID+"'] [data-testid=post-comments]", "Lovely, from Bo")
	bo.Navigate(srv.URL + "/discover")
	if bo.Visible("[data-testid=discover-moments-dot]") {
		t.Fatal("the Discover dot stays after Bo opened Moments")
	}

	cy := b.NewPage(t)
	srv.SignIn(cy, "cy_chen", testapp.DefaultPassword)
	cy.Navigate(srv.URL + "/moments/posts/" + postID)
	cy.Fill("[data-testid=comment-input]", "Where is this? — Cy")
	cy.Click("[data-testid=comment-send]")
	cy.WaitText("[data-testid=post-comments]", "Where is this? — Cy")

	// Each commenter sees only their own comment; Ann sees both.
	comments := func(p *e2e.Page) string {
		p.Navigate(srv.URL + "/moments/posts/" + postID)
		p.WaitVisible("[data-testid=post-comments]")
		return p.Text("[data-testid=post-comments]")
	}
	if got := comments(bo); !strings.Contains(got, "from Bo") || strings.Contains(got, "Cy") {
		t.Fatalf("Bo sees comments %q, want only his own", got)
	}
	if got := comments(cy); !strings.Contains(got, "— Cy") || strings.Contains(got, "from Bo") {
		t.Fatalf("Cy sees comments %q, want only his own", got)
	}
	if got := comments(ann); !strings.Contains(got, "from Bo") || !strings.Contains(got, "— Cy") {
		t.Fatalf("Ann sees comments %q, want both", got)
	}

	// Ann reads her notifications, then waits on Discover; Bo likes.
	ann.Navigate(srv.URL + "/moments/notifications")
	ann.WaitVisible("[data-testid=note][data-kind=comment]")
	ann.Navigate(srv.URL + "/discover")
	if ann.Visible("[data-badge=badge-discover]") {
		t.Fatal("the Discover badge shows after Ann read her notifications")
	}
	ann.WaitChatSocket()
	bo.Click("[data-testid=like]")
	bo.WaitVisible("[data-testid=unlike]")
	bo.WaitText("[data-testid=post-likes]", "bo_wang")
	ann.WaitText("[data-badge=badge-discover]", "1")
	ann.WaitText("[data-badge=discover-moments-badge]", "1")
	ann.Click("[data-testid=discover-moments]")
	ann.WaitText("[data-post='"+postID+"'] [data-testid=post-likes]", "bo_wang")
	// On Ann's open feed, the post changes live when Bo takes his like back.
	ann.WaitChatSocket()
	bo.Click("[data-testid=unlike]")
	bo.WaitVisible("[data-testid=like]")
	ann.WaitNotVisible("[data-post='" + postID + "'] [data-testid=post-likes]")

	for name, p := range map[string]*e2e.Page{"ann": ann, "bo": bo, "cy": cy} {
		if probs := p.TakeProblems(); len(probs) > 0 {
			t.Errorf("%s's page had problems: %v", name, probs)
		}
	}
}

// fetchAs fetches a page-relative URL with the member's session.
func fetchAs(t *testing.T, srv *e2e.Server, memberID, path string) []byte {
	t.Helper()
	rec, err := srv.App.FindRecordById("users", memberID)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Cookie", testapp.SessionCookie(t, rec))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return body
}

// jpegWithGPS is a small JPEG carrying an APP1 Exif segment whose GPS IFD
// says where it was taken (31°14'20" N).
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for x := 0; x < 320; x++ {
		img.Set(x, x%240, color.RGBA{30, 90, 200, 255})
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, nil); err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	var tiff bytes.Buffer
	w := func(v any) { _ = binary.Write(&tiff, be, v) }
	tiff.WriteString("MM")
	w(uint16(42))
	w(uint32(8))
	// IFD0: one entry, GPSInfo → the GPS IFD at 26.
	w(uint16(1))
	w(uint16(0x8825))
	w(uint16(4))
	w(uint32(1))
	w(uint32(26))
	w(uint32(0))
	// GPS IFD: GPSLatitudeRef "N", GPSLatitude three rationals at 56.
	w(uint16(2))
	w(uint16(0x0001))
	w(uint16(2))
	w(uint32(2))
	tiff.Write([]byte{'N', 0, 0, 0})
	w(uint16(0x0002))
	w(uint16(5))
	w(uint32(3))
	w(uint32(56))
	w(uint32(0))
	for _, r := range [][2]uint32{{31, 1}, {14, 1}, {2000, 100}} {
		w(r[0])
		w(r[1])
	}
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	be.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	raw := plain.Bytes()
	out := append([]byte{}, raw[:2]...) // SOI
	out = append(out, seg...)
	out = append(out, raw[2:]...)
	if !bytes.Contains(out, []byte("Exif")) {
		t.Fatal("the test JPEG has no Exif segment")
	}
	return out
}
