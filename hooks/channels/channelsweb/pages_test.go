package channelsweb_test

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
)

// site is a community seen through its pages: Ann's channel "annrides"
// with a photo post (#ride #美食) and a video post; Bo, Ann's friend; Dee,
// a stranger with no channel. nil is a signed-out visitor.
type site struct {
	t            *testing.T
	app          core.App
	h            http.Handler
	ch           *channels.Service
	ann, bo, dee *core.Record
	photo, video channels.Post
}

func newSite(t *testing.T) *site {
	t.Helper()
	app := testapp.New(t)
	s := &site{t: t, app: app, h: testapp.Handler(t, app), ch: testapp.Services(t, app).Channels}
	s.ann, s.bo, s.dee = testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001"), testapp.CreateMember(t, app, "dee001")
	testapp.Befriend(t, app, s.ann, s.bo)
	handle, name, bio := "annrides", "Ann Rides", "Gravel & dawn rides"
	if _, err := s.ch.Create(s.ann.Id, channels.ProfileInput{Handle: &handle, Name: &name, Bio: &bio, Avatar: s.file("a.png", testapp.PNG(t, 50, 50))}); err != nil {
		t.Fatal(err)
	}
	var err error
	s.photo, err = s.ch.Publish(s.ann.Id, channels.PostInput{Caption: "Sunrise over the lake #ride #美食", Location: "Lake Road",
		Photos: []*filesystem.File{s.file("p1.png", testapp.PNG(t, 80, 60)), s.file("p2.png", testapp.PNG(t, 60, 80))}})
	if err != nil {
		t.Fatal(err)
	}
	video := append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), bytes.Repeat([]byte{7}, 4000)...)
	s.video, err = s.ch.Publish(s.ann.Id, channels.PostInput{Caption: "Descent #ride", Video: s.file("v.mp4", video),
		Poster: s.file("poster.png", testapp.PNG(t, 64, 36)), DurationMs: 4200})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *site) file(name string, data []byte) *filesystem.File {
	s.t.Helper()
	f, err := filesystem.NewFileFromBytes(data, name)
	if err != nil {
		s.t.Fatal(err)
	}
	return f
}

// get sends a GET as who (nil: signed out) with extra headers.
func (s *site) get(who *core.Record, path string, headers map[string]string) *httptest.ResponseRecorder {
	s.t.Helper()
	h := map[string]string{}
	if who != nil {
		h["Cookie"] = testapp.SessionCookie(s.t, who)
	}
	for k, v := range headers {
		h[k] = v
	}
	return testapp.Do(s.h, http.MethodGet, path, "", h)
}

// page GETs path as who and wants status; it returns the body.
func (s *site) page(who *core.Record, path string, status int) string {
	s.t.Helper()
	rec := s.get(who, path, nil)
	if rec.Code != status {
		s.t.Fatalf("GET %s: %d, want %d: %.300s", path, rec.Code, status, rec.Body.String())
	}
	return rec.Body.String()
}

// form POSTs a form as who and returns the answer.
func (s *site) form(who *core.Record, path string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	s.t.Helper()
	h := map[string]string{"Cookie": testapp.SessionCookie(s.t, who)}
	for k, v := range headers {
		h[k] = v
	}
	return testapp.Do(s.h, http.MethodPost, path, form.Encode(), h)
}

func (s *site) postPath(p channels.Post) string { return channels.PostPath("annrides", p.ID) }

func (s *site) takeDown(p channels.Post) {
	s.t.Helper()
	rec, err := s.app.FindRecordById("channels_posts", p.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	rec.Set("taken_down", true)
	if err := s.app.Save(rec); err != nil {
		s.t.Fatal(err)
	}
}

// meta is the content of a page's <meta property|name=key>.
func meta(body, key string) string {
	m := regexp.MustCompile(`<meta (?:property|name)="` + regexp.QuoteMeta(key) + `" content="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// wantCached checks a visitor's answer is cacheable and that asking again
// with its ETag gets a 304 without a body.
func (s *site) wantCached(path string) {
	s.t.Helper()
	rec := s.get(nil, path, nil)
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag == "" || rec.Header().Get("Cache-Control") != "public, no-cache" {
		s.t.Fatalf("%s: %d ETag %q Cache-Control %q", path, rec.Code, etag, rec.Header().Get("Cache-Control"))
	}
	again := s.get(nil, path, map[string]string{"If-None-Match": etag})
	if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		s.t.Errorf("%s with If-None-Match: %d (%d bytes), want 304", path, again.Code, again.Body.Len())
	}
	if other := s.get(nil, path, map[string]string{"If-None-Match": `"nope"`}); other.Code != 200 {
		s.t.Errorf("%s with another ETag: %d", path, other.Code)
	}
}

// TestPublicPagesSignedOut: a visitor reads a channel, a photo post, a
// video post and a hashtag page: each says what it is in Open Graph and
// Twitter card tags with absolute addresses, links its Atom feed, leads
// every action to sign in, and is cached by ETag (304 when unchanged). A
// member gets the same pages inside the app, never stored.
func TestPublicPagesSignedOut(t *testing.T) {
	s := newSite(t)
	channel := s.page(nil, "/c/annrides", 200)
	for key, want := range map[string]string{"og:title": "Ann Rides (@annrides)", "og:type": "profile",
		"description": "Gravel & dawn rides", "og:url": "/c/annrides", "og:image": "/c/annrides/avatar", "twitter:card": "summary_large_image"} {
		if got := meta(channel, key); !strings.Contains(got, want) {
			t.Errorf("channel page %s = %q, want %q", key, got, want)
		}
	}
	for _, key := range []string{"og:url", "og:image"} {
		if !strings.HasPrefix(meta(channel, key), "http") {
			t.Errorf("channel page %s is not absolute: %q", key, meta(channel, key))
		}
	}
	for _, want := range []string{`<link rel="alternate" type="application/atom+xml"`, `/c/annrides/feed.atom`, `data-testid="tile"`,
		s.postPath(s.photo), s.postPath(s.video), `href="/login?next=%2Fc%2Fannrides"`, `data-testid="channel-followers"`} {
		if !strings.Contains(channel, want) {
			t.Errorf("the channel page lacks %s", want)
		}
	}

	photo := s.page(nil, s.postPath(s.photo), 200)
	if img := meta(photo, "og:image"); !strings.HasPrefix(img, "http") || !strings.Contains(img, "/channels/media/") {
		t.Errorf("photo post og:image = %q", img)
	}
	if d := meta(photo, "og:description"); !strings.Contains(d, "Sunrise over the lake") || meta(photo, "og:type") != "article" {
		t.Errorf("photo post og:description %q og:type %q", d, meta(photo, "og:type"))
	}
	for _, want := range []string{`href="/channels/tag/ride"`, `href="/channels/tag/%E7%BE%8E%E9%A3%9F"`, `data-gallery`, "Lake Road",
		`data-testid="comment-sign-in"`, `href="/login?next=` + url.QueryEscape(s.postPath(s.photo)) + `"`, "<title>Ann Rides: Sunrise"} {
		if !strings.Contains(photo, want) {
			t.Errorf("the photo post's page lacks %s", want)
		}
	}
	if strings.Contains(photo, `action="/channels/p/`) {
		t.Error("a visitor is offered a member's form")
	}

	video := s.page(nil, s.postPath(s.video), 200)
	if v := meta(video, "og:video"); !strings.HasPrefix(v, "http") || meta(video, "og:video:type") != "video/mp4" ||
		meta(video, "twitter:card") != "player" || !strings.Contains(meta(video, "og:image"), "?v=medium") {
		t.Errorf("video post: og:video %q type %q card %q image %q", v, meta(video, "og:video:type"), meta(video, "twitter:card"), meta(video, "og:image"))
	}
	if !strings.Contains(video, `<video controls playsinline preload="metadata" poster="/channels/media/`) {
		t.Error("the video post has no player with its poster")
	}

	tag := s.page(nil, "/channels/tag/%E7%BE%8E%E9%A3%9F", 200)
	if !strings.Contains(tag, s.postPath(s.photo)) || strings.Contains(tag, s.postPath(s.video)) || meta(tag, "og:title") != "#美食" {
		t.Error("the #美食 page does not show just the photo post")
	}
	for _, p := range []string{"/c/annrides", s.postPath(s.photo), s.postPath(s.video), "/channels/tag/ride", "/c/annrides/feed.atom", "/channels/tag/ride/feed.atom"} {
		s.wantCached(p)
	}
	// A member gets the page in the app, never stored, without an ETag.
	rec := s.get(s.bo, "/c/annrides", nil)
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("ETag") != "" ||
		!strings.Contains(rec.Body.String(), `data-testid="tabbar"`) {
		t.Errorf("a member's channel page: %d Cache-Control %q ETag %q", rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("ETag"))
	}
	s.page(nil, "/c/nobody", 404)
	s.page(nil, channels.PostPath("nobody", s.photo.ID), 404)
	s.page(nil, "/channels", 303)
}

// atomFeed is what the test reads of an Atom feed.
type atomFeed struct {
	Title   string `xml:"title"`
	Entries []struct {
		ID    string `xml:"id"`
		Title string `xml:"title"`
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func (s *site) feed(path string) atomFeed {
	s.t.Helper()
	rec := s.get(nil, path, nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		s.t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Header().Get("Content-Type"))
	}
	var f atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		s.t.Fatalf("%s does not parse: %v", path, err)
	}
	return f
}

// TestAtomFeedsAndTakedown: the channel's and the hashtag's Atom feeds
// hold the posts with absolute links (the video as an enclosure); a
// takedown makes the post's page, its media, its place in the feeds, the
// grids and the chat card go at once.
func TestAtomFeedsAndTakedown(t *testing.T) {
	s := newSite(t)
	f := s.feed("/c/annrides/feed.atom")
	if len(f.Entries) != 2 || !strings.HasPrefix(f.Entries[0].ID, "http") || !strings.HasSuffix(f.Entries[0].ID, s.postPath(s.video)) {
		t.Fatalf("the channel's feed: %+v", f)
	}
	enclosure := false
	for _, l := range f.Entries[0].Links {
		enclosure = enclosure || l.Rel == "enclosure" && l.Type == "video/mp4" && strings.HasPrefix(l.Href, "http")
	}
	if !enclosure || f.Entries[1].Links[0].Href != f.Entries[1].ID {
		t.Errorf("the entries' links: %+v", f.Entries)
	}
	if tag := s.feed("/channels/tag/ride/feed.atom"); len(tag.Entries) != 2 || tag.Title != "#ride" {
		t.Errorf("the #ride feed: %+v", tag)
	}
	media := "/channels/media/" + s.photo.Media[0].ID
	for _, v := range []string{"", "?v=thumb", "?v=medium"} {
		if rec := s.get(nil, media+v, nil); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/") {
			t.Errorf("GET %s%s: %d %s", media, v, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	s.page(nil, "/c/annrides/avatar", 200)

	s.takeDown(s.photo)
	s.page(nil, s.postPath(s.photo), 404)
	s.page(s.ann, s.postPath(s.photo), 404)
	s.page(nil, media, 404)
	s.page(nil, media+"?v=thumb", 404)
	if f := s.feed("/c/annrides/feed.atom"); len(f.Entries) != 1 || strings.HasSuffix(f.Entries[0].ID, s.photo.ID) {
		t.Errorf("the feed still holds the taken-down post: %+v", f.Entries)
	}
	if f := s.feed("/channels/tag/%E7%BE%8E%E9%A3%9F/feed.atom"); len(f.Entries) != 0 {
		t.Errorf("the #美食 feed still holds the taken-down post")
	}
	if strings.Contains(s.page(nil, "/c/annrides", 200), s.photo.ID) || strings.Contains(s.page(s.bo, "/channels?tab=popular", 200), s.photo.ID) {
		t.Error("a grid or a feed still shows the taken-down post")
	}
}

// TestVideoRangeRequests: a video is served in parts (206) for players
// that seek, signed out too.
func TestVideoRangeRequests(t *testing.T) {
	s := newSite(t)
	path := "/channels/media/" + s.video.Media[0].ID
	rec := s.get(nil, path, map[string]string{"Range": "bytes=0-99"})
	if rec.Code != http.StatusPartialContent || rec.Body.Len() != 100 || !strings.HasPrefix(rec.Header().Get("Content-Range"), "bytes 0-99/") {
		t.Fatalf("a range: %d %d bytes %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Range"))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "video/mp4" {
		t.Errorf("the video's type: %q", ct)
	}
	for _, v := range []string{"?v=poster", "?v=thumb", "?v=medium"} {
		if rec := s.get(nil, path+v, nil); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/") {
			t.Errorf("GET %s%s: %d", path, v, rec.Code)
		}
	}
	s.page(nil, path+"?v=huge", 404)
}
