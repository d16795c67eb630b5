package browser_test

import (
	"fmt"
	"testing"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/moments"
)

// TestBrowserMomentsVideoAndScroll: a video recorded in the browser is
// posted with the poster frame and length the page made from it, and plays
// inline for a friend; the feed loads older posts as it scrolls.
func TestBrowserMomentsVideoAndScroll(t *testing.T) {
	t.Parallel()
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)
	m := testapp.Services(t, srv.App).Moments
	for i := 0; i < moments.PageDefault+3; i++ {
		if _, err := m.Publish(annRec.Id, moments.PostInput{Text: fmt.Sprintf("Older post %02d", i)}); err != nil {
			t.Fatal(err)
		}
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/moments/new")
	ann.Fill("[data-testid=compose-text]", "A short clip")
	// Record half a second of a canvas (a WebM, as a phone's browser would
	// hand over a file) and choose it as the video.
	var ok bool
	ann.Eval(`(async () => {
		const c = document.createElement("canvas"); c.width = 320; c.height = 240;
		const g = c.getContext("2d");
		const rec = new MediaRecorder(c.captureStream(25), { mimeType: "video/webm" });
		const parts = []; rec.ondataavailable = (e) => parts.push(e.data);
		const done = new Promise((r) => (rec.onstop = r));
		rec.start();
		for (let i = 0; i < 12; i++) { g.fillStyle = i % 2 ? "#07c160" : "#576b95"; g.fillRect(0, 0, 320, 240); await new Promise((r) => setTimeout(r, 40)); }
		rec.stop(); await done;
		const dt = new DataTransfer();
		dt.items.add(new File(parts, "clip.webm", { type: "video/webm" }));
		const input = document.querySelector("[data-testid=compose-video]");
		input.files = dt.files;
		input.dispatchEvent(new Event("change", { bubbles: true }));
		return true;
	})()`, &ok)
	ann.WaitVisible("[data-testid=preview] img[src^='blob:']")
	ann.Click("[data-testid=compose-send]")
	ann.WaitVisible("[data-testid=flash-ok]")
	ann.WaitVisible("[data-testid=post-video] video[poster]")

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/moments")
	bo.WaitVisible("[data-testid=post-video] video[poster]")
	var poster struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
	}
	bo.Eval(`fetch(document.querySelector("[data-testid=post-video] video").poster).then(r => ({status: r.status, type: r.headers.get("Content-Type")}))`, &poster)
	if poster.Status != 200 || poster.Type != "image/jpeg" {
		t.Fatalf("the poster: %+v", poster)
	}
	// Scrolling to the end of the feed loads the older posts.
	bo.Eval(`(() => { const m = document.querySelector("#main"); m.scrollTop = m.scrollHeight; return true })()`, &ok)
	bo.WaitText("[data-testid=posts]", "Older post 00")
	for name, p := range map[string]*e2e.Page{"ann": ann, "bo": bo} {
		if probs := p.TakeProblems(); len(probs) > 0 {
			t.Errorf("%s's page had problems: %v", name, probs)
		}
	}
}
