// Package browser_test holds Channels' Chromium test, apart from
// hooks/channels' own tests so each package's run stays short; it drives
// the real server through hooks/internal/e2e.
package browser_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserChannels: Ann opens a channel and posts a photo set and a
// video, each upload with its progress bar; a signed-out visitor opens
// the channel and the video's page (Open Graph tags, the video plays,
// its file answers range requests); Bo follows, likes and comments; Cy,
// Bo's friend, finds the post in his Friends feed "♥ by" Bo; Bo shares
// it into his chat with Cy, whose card opens the post; a superuser takes
// the post down through the admin API and it is a 404 everywhere.
//
// One piece: one story across four browsers, read top to bottom.
func TestBrowserChannels(t *testing.T) {
	t.Parallel() // its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	srv.Member(t, "ann_lee")
	boRec, cyRec := srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	testapp.Befriend(t, srv.App, boRec, cyRec)
	// The acceptance's web side opens their 1:1 chat ("You have added …").
	testapp.Services(t, srv.App).Registry.FriendAccepted(srv.App, cyRec.Id, boRec.Id)

	dir := t.TempDir()
	var photos []string
	for i, size := range [][2]int{{640, 480}, {480, 640}} {
		p := filepath.Join(dir, "photo"+string(rune('a'+i))+".png")
		if err := os.WriteFile(p, testapp.PNG(t, size[0], size[1]), 0o600); err != nil {
			t.Fatal(err)
		}
		photos = append(photos, p)
	}

	// Ann opens her channel.
	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/discover")
	ann.Click("[data-testid=discover-channels]")
	ann.WaitVisible("[data-testid=channels-feed]")
	ann.Click("[data-testid=channels-me-link]")
	ann.Fill("[data-testid=profile-handle]", "ann_runs")
	ann.Fill("[data-testid=profile-name]", "Ann Runs")
	ann.Fill("[data-testid=profile-bio]", "Dawn runs by the river")
	ann.Click("[data-testid=profile-save]")
	ann.WaitVisible("[data-testid=my-channel]")

	// A photo set, then a video, each with its progress bars.
	ann.Click("[data-testid=compose-link]")
	ann.Fill("[data-testid=compose-caption]", "Morning mist #river #晨跑")
	ann.SetFiles("[data-testid=compose-photos]", photos...)
	ann.WaitVisible("[data-testid=previews] [data-testid=preview]:nth-child(2)")
	sendAndCheckBars(t, ann, 2)
	ann.Navigate(srv.URL + "/channels/compose")
	ann.Fill("[data-testid=compose-caption]", "The bridge at six #river")
	recordVideo(t, ann)
	ann.WaitVisible("[data-testid=previews] img[src^='blob:']")
	sendAndCheckBars(t, ann, 1)
	ann.Navigate(srv.URL + "/c/ann_runs")
	ann.WaitVisible("[data-testid=grid] [data-testid=tile-video]")
	if n := count(ann, "[data-testid=grid] [data-testid=tile]"); n != 2 {
		t.Fatalf("Ann's channel shows %d posts, want 2", n)
	}
	photoPost, videoPost := postIDs(t, srv)

	// A visitor, signed out, reads the channel and the video's page.
	visitor := b.NewPage(t)
	visitor.Navigate(srv.URL + "/c/ann_runs")
	visitor.WaitText("[data-testid=channel-name]", "Ann Runs")
	visitor.WaitVisible("[data-testid=sign-in]")
	visitor.Navigate(srv.URL + "/c/ann_runs/p/" + videoPost)
	visitor.WaitVisible("[data-testid=post-video] video")
	var og map[string]string
	visitor.Eval(`Object.fromEntries([...document.querySelectorAll("meta[property^='og:'], meta[name^='twitter:']")]
		.map(m => [m.getAttribute("property") || m.getAttribute("name"), m.content]))`, &og)
	for _, k := range []string{"og:title", "og:image", "og:video", "og:url", "twitter:card"} {
		if og[k] == "" {
			t.Fatalf("the post page has no %s: %v", k, og)
		}
	}
	if !strings.HasPrefix(og["og:image"], srv.URL+"/") || !strings.HasPrefix(og["og:video"], srv.URL+"/") {
		t.Fatalf("Open Graph URLs are not absolute: %v", og)
	}
	var played struct {
		Time  float64 `json:"time"`
		Range int     `json:"range"`
	}
	visitor.Eval(`(async () => {
		const v = document.querySelector("[data-testid=post-video] video");
		v.muted = true;
		await v.play();
		for (let i = 0; i < 100 && v.currentTime === 0; i++) await new Promise(r => setTimeout(r, 50));
		const src = v.currentSrc || v.querySelector("source").src;
		const res = await fetch(src, { headers: { Range: "bytes=0-99" } });
		return { time: v.currentTime, range: res.status };
	})()`, &played)
	if played.Time <= 0 || played.Range != http.StatusPartialContent {
		t.Fatalf("the video did not play (time %v) or its file answered a range request with %d", played.Time, played.Range)
	}

	// Bo follows, likes the photo post and comments on it.
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/c/ann_runs")
	bo.Click("[data-testid=follow]")
	bo.WaitVisible("[data-testid=unfollow]")
	bo.WaitText("[data-testid=channel-followers]", "1")
	bo.Navigate(srv.URL + "/c/ann_runs/p/" + photoPost)
	bo.Click("[data-testid=post-actions] [data-testid=like]")
	bo.WaitVisible("[data-testid=post-actions] [data-testid=unlike]")
	bo.Fill("[data-testid=comment-input]", "What a view, from Bo")
	bo.Click("[data-testid=comment-send]")
	bo.WaitText("[data-testid=comment-list]", "What a view, from Bo")

	// Cy finds it in his Friends feed, liked by Bo.
	cy := b.NewPage(t)
	srv.SignIn(cy, "cy_chen", testapp.DefaultPassword)
	cy.Navigate(srv.URL + "/channels?tab=friends")
	cy.WaitText("[data-post='"+photoPost+"'] [data-testid=friends-liked]", "bo_wang")

	// Bo shares it into his chat with Cy; Cy's card opens the post.
	bo.Navigate(srv.URL + "/channels/p/" + photoPost + "/share")
	bo.Click("[data-testid=share-chat]")
	bo.Click("[data-testid=share-send]")
	bo.WaitVisible("[data-testid=msg-card][data-card-type=channel_post]") // the share opens the chat
	cy.Navigate(srv.URL + "/chats")
	cy.Click("[data-testid=chat-row]")
	cy.WaitVisible("[data-testid=msg-card][data-card-type=channel_post]")
	cy.Click("[data-testid=msg-card][data-card-type=channel_post]")
	cy.WaitText("[data-testid=post-caption]", "Morning mist")
	if !strings.HasSuffix(cy.URL(), "/c/ann_runs/p/"+photoPost) {
		t.Fatalf("the card opened %s", cy.URL())
	}

	// A superuser takes the post down through the admin API: 404 everywhere.
	takeDown(t, srv, photoPost)
	for _, path := range []string{"/c/ann_runs/p/" + photoPost, "/api/plaza/channels/posts/" + photoPost} {
		if code := status(t, srv, path); code != http.StatusNotFound {
			t.Fatalf("after the takedown %s answers %d", path, code)
		}
	}
	if atom := get(t, srv, "/c/ann_runs/feed.atom"); strings.Contains(atom, photoPost) {
		t.Fatal("the Atom feed still lists the taken-down post")
	}
	visitor.Navigate(srv.URL + "/c/ann_runs")
	visitor.WaitVisible("[data-testid=grid] [data-testid=tile]")
	if n := count(visitor, "[data-testid=grid] [data-testid=tile]"); n != 1 {
		t.Fatalf("the channel shows %d posts after the takedown, want 1", n)
	}
	cy.Navigate(srv.URL + "/channels?tab=friends")
	cy.WaitVisible("[data-testid=channels-feed]")
	if cy.Visible("[data-post='" + photoPost + "']") {
		t.Fatal("Cy's Friends feed still shows the taken-down post")
	}
	cy.Navigate(srv.URL + "/chats")
	cy.Click("[data-testid=chat-row]")
	cy.WaitVisible("[data-testid=msg-card][data-card-type=channel_post][data-card-state=gone]")
}

// sendAndCheckBars sends the compose form and checks that each of n files
// had its progress bar filled; the page stays (its "done" address is made
// a fragment) so the bars can be read.
func sendAndCheckBars(t *testing.T, p *e2e.Page, n int) {
	t.Helper()
	var ok bool
	p.Eval(`(() => { document.querySelector("[data-testid=compose]").dataset.done = "#sent"; return true; })()`, &ok)
	p.Click("[data-testid=compose-send]")
	var bars []int
	for i := 0; i < 200; i++ {
		p.Eval(`[...document.querySelectorAll("[data-testid=preview-progress]")].filter(b => !b.hidden).map(b => b.value)`, &bars)
		if len(bars) == n && all100(bars) && strings.HasSuffix(p.URL(), "#sent") {
			return
		}
		p.Eval(`new Promise(r => setTimeout(() => r(true), 50))`, &ok)
	}
	t.Fatalf("progress bars %v, want %d at 100, page %s", bars, n, p.URL())
}

func all100(v []int) bool {
	for _, x := range v {
		if x != 100 {
			return false
		}
	}
	return true
}

// recordVideo records half a second of a canvas (a WebM, as a phone's
// browser would hand over a file) and chooses it as the post's video.
func recordVideo(t *testing.T, p *e2e.Page) {
	t.Helper()
	var ok bool
	p.Eval(`(async () => {
		const c = document.createElement("canvas"); c.width = 320; c.height = 240;
		const g = c.getContext("2d");
		const rec = new MediaRecorder(c.captureStream(25), { mimeType: "video/webm" });
		const parts = []; rec.ondataavailable = (e) => parts.push(e.data);
		const done = new Promise((r) => (rec.onstop = r));
		rec.start();
		for (let i = 0; i < 15; i++) { g.fillStyle = i % 2 ? "#07c160" : "#576b95"; g.fillRect(0, 0, 320, 240); await new Promise((r) => setTimeout(r, 40)); }
		rec.stop(); await done;
		const dt = new DataTransfer();
		dt.items.add(new File(parts, "bridge.webm", { type: "video/webm" }));
		const input = document.querySelector("[data-testid=compose-video]");
		input.files = dt.files;
		input.dispatchEvent(new Event("change", { bubbles: true }));
		return true;
	})()`, &ok)
}

// postIDs are Ann's photo post and video post.
func postIDs(t *testing.T, srv *e2e.Server) (photo, video string) {
	t.Helper()
	var page struct {
		Items []struct {
			ID        string `json:"id"`
			MediaKind string `json:"media_kind"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(get(t, srv, "/api/plaza/channels/c/ann_runs/posts")), &page); err != nil {
		t.Fatal(err)
	}
	for _, p := range page.Items {
		if p.MediaKind == "video" {
			video = p.ID
		} else {
			photo = p.ID
		}
	}
	if photo == "" || video == "" {
		t.Fatalf("Ann's channel has %+v", page.Items)
	}
	return photo, video
}

// takeDown marks the post taken down as a superuser does in /_/: through
// PocketBase's admin API with a superuser's token.
func takeDown(t *testing.T, srv *e2e.Server, postID string) {
	t.Helper()
	col, err := srv.App.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail("mod@example.com")
	su.SetPassword("moderator-password-1")
	if err := srv.App.Save(su); err != nil {
		t.Fatal(err)
	}
	token, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPatch, srv.URL+"/api/collections/channels_posts/records/"+postID, strings.NewReader(`{"taken_down":true}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the admin API answered %d to the takedown", res.StatusCode)
	}
}

func status(t *testing.T, srv *e2e.Server, path string) int {
	t.Helper()
	res, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func get(t *testing.T, srv *e2e.Server, path string) string {
	t.Helper()
	res, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
	return string(body)
}

func count(p *e2e.Page, sel string) int {
	var n int
	p.Eval(`document.querySelectorAll(`+jsString(sel)+`).length`, &n)
	return n
}

func jsString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}
