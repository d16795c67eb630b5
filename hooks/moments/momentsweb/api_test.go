package momentsweb_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
)

// circle is A, friends with B and C (who are not friends of each other),
// and D, a stranger to all.
type circle struct {
	t          *testing.T
	app        core.App
	h          http.Handler
	a, b, c, d *core.Record
}

func newCircle(t *testing.T) *circle {
	app := testapp.New(t)
	w := &circle{t: t, app: app, h: testapp.Handler(t, app)}
	w.a, w.b = testapp.CreateMember(t, app, "alice1"), testapp.CreateMember(t, app, "bobby1")
	w.c, w.d = testapp.CreateMember(t, app, "carol1"), testapp.CreateMember(t, app, "dave01")
	testapp.Befriend(t, app, w.a, w.b)
	testapp.Befriend(t, app, w.a, w.c)
	return w
}

func (w *circle) do(who *core.Record, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	w.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	if who != nil {
		h["Authorization"] = testapp.Token(w.t, who)
	}
	return testapp.Do(w.h, method, path, body, h)
}

func (w *circle) ok(status int, who *core.Record, method, path, body string) map[string]any {
	w.t.Helper()
	rec := w.do(who, method, path, body, nil)
	if rec.Code != status {
		w.t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
	}
	out := map[string]any{}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			w.t.Fatal(err)
		}
	}
	return out
}

func names(list any) []string {
	var out []string
	for _, x := range list.([]any) {
		m := x.(map[string]any)
		if a, ok := m["author"].(map[string]any); ok {
			out = append(out, a["name"].(string))
		} else {
			out = append(out, m["name"].(string))
		}
	}
	return out
}

// TestAPIMutualFriendsRule: B and C, friends of A but not of each other,
// each see only their own comment and like on A's post; A sees both; D,
// a stranger, cannot open it, like it or comment.
func TestAPIMutualFriendsRule(t *testing.T) {
	w := newCircle(t)
	for body, code := range map[string]string{`{"text":"  "}`: "moments.empty", `{"text":"x","visibility":"include"}`: "moments.audience_required",
		`{"text":"x","members":["` + w.d.Id + `"],"visibility":"include"}`: "moments.not_a_friend"} {
		if rec := w.do(w.a, "POST", "/api/plaza/moments/posts", body, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), code) {
			t.Errorf("%s: %d %s", body, rec.Code, rec.Body.String())
		}
	}
	post := w.ok(201, w.a, "POST", "/api/plaza/moments/posts", `{"text":"Sunset ride","reminds":["`+w.b.Id+`"]}`)
	id := post["id"].(string)
	p := "/api/plaza/moments/posts/" + id
	w.ok(201, w.b, "POST", p+"/comments", `{"text":"Gorgeous"}`)
	w.ok(201, w.c, "POST", p+"/comments", `{"text":"Where is this?"}`)
	w.ok(204, w.b, "POST", p+"/like", "")
	w.ok(204, w.c, "POST", p+"/like", "")

	for _, tc := range []struct {
		who             *core.Record
		comments, likes string
	}{{w.a, "bobby1,carol1", "bobby1,carol1"}, {w.b, "bobby1", "bobby1"}, {w.c, "carol1", "carol1"}} {
		got := w.ok(200, tc.who, "GET", p, "")
		if c := strings.Join(names(got["comments"]), ","); c != tc.comments {
			t.Errorf("%s sees comments by %s, want %s", tc.who.GetString("plaza_id"), c, tc.comments)
		}
		if l := strings.Join(names(got["likes"]), ","); l != tc.likes {
			t.Errorf("%s sees likes by %s, want %s", tc.who.GetString("plaza_id"), l, tc.likes)
		}
		if _, told := got["visibility"]; told != (tc.who == w.a) {
			t.Errorf("%s is told the visibility: %v", tc.who.GetString("plaza_id"), got["visibility"])
		}
	}
	for _, req := range [][3]string{{"GET", p, ""}, {"POST", p + "/like", ""}, {"POST", p + "/comments", `{"text":"hi"}`}} {
		if rec := w.do(w.d, req[0], req[1], req[2], nil); rec.Code != 404 || !strings.Contains(rec.Body.String(), "moments.not_found") {
			t.Errorf("a stranger's %s %s: %d %s", req[0], req[1], rec.Code, rec.Body.String())
		}
	}
	feed := w.ok(200, w.c, "GET", "/api/plaza/moments/feed", "")
	if items := feed["items"].([]any); len(items) != 1 || len(names(items[0].(map[string]any)["reminds"])) != 0 {
		t.Errorf("C's feed: %v (the remind of B, not C's friend, must not show)", feed["items"])
	}
	// A's notifications: B's and C's comments and likes, and the badge.
	notes := w.ok(200, w.a, "GET", "/api/plaza/moments/notifications", "")
	if n := notes["unread"].(float64); n != 4 || len(notes["items"].([]any)) != 4 {
		t.Errorf("A's notifications: %v", notes)
	}
	w.ok(204, w.a, "POST", "/api/plaza/moments/notifications/read", "")
	if n := w.ok(200, w.a, "GET", "/api/plaza/moments/notifications", "")["unread"].(float64); n != 0 {
		t.Errorf("unread after reading: %v", n)
	}
	// B, reminded, has a remind notification.
	if items := w.ok(200, w.b, "GET", "/api/plaza/moments/notifications", "")["items"].([]any); len(items) != 1 ||
		items[0].(map[string]any)["kind"] != "remind" {
		t.Errorf("B's notifications: %v", items)
	}
}

// jpegWithGPS is a JPEG carrying an APP1 Exif segment with a GPS block
// and a marker text, as a phone's photo would.
func jpegWithGPS(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		img.Set(x, x%48, color.RGBA{10, 120, 200, 255})
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, nil); err != nil {
		t.Fatal(err)
	}
	// TIFF (big-endian): IFD0 with one entry, GPSInfo → a GPS IFD with
	// GPSLatitudeRef "N"; then the marker text.
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a\x00\x00\x00\x08")
	put16 := func(v uint16) { _ = binary.Write(&tiff, binary.BigEndian, v) }
	put32 := func(v uint32) { _ = binary.Write(&tiff, binary.BigEndian, v) }
	put16(1)
	put16(0x8825)
	put16(4)
	put32(1)
	put32(26) // the GPS IFD follows IFD0 (8 + 2 + 12 + 4)
	put32(0)
	put16(1)
	put16(0x0001)
	put16(2)
	put32(2)
	tiff.WriteString("N\x00\x00\x00")
	put32(0)
	tiff.WriteString("PLAZA-GPS-52.5200N-13.4050E")
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, plain.Bytes()[:2]...) // SOI
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, plain.Bytes()[2:]...)
}

func multipartBody(t *testing.T, fields map[string]string, files map[string][]byte) (string, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		field, _, _ := strings.Cut(name, ":")
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), mw.FormDataContentType()
}

// TestAPIPhotoIsCleanedAndGuarded: an uploaded photo is served without its
// EXIF (no GPS), to friends only, and stops loading the moment the post is
// made private.
func TestAPIPhotoIsCleanedAndGuarded(t *testing.T) {
	w := newCircle(t)
	raw := jpegWithGPS(t)
	if !bytes.Contains(raw, []byte("PLAZA-GPS")) {
		t.Fatal("the test photo lacks its GPS block")
	}
	body, ctype := multipartBody(t, map[string]string{"text": "Berlin"}, map[string][]byte{"photos:a.jpg": raw})
	rec := w.do(w.a, "POST", "/api/plaza/moments/posts", body, map[string]string{"Content-Type": ctype})
	if rec.Code != 201 {
		t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
	}
	var post struct {
		ID    string `json:"id"`
		Media []struct {
			URL, Thumb    string
			Width, Height int
		} `json:"media"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &post); err != nil || len(post.Media) != 1 {
		t.Fatalf("post: %v %s", err, rec.Body.String())
	}
	m := post.Media[0]
	if m.Width != 64 || m.Height != 48 {
		t.Errorf("size %d×%d", m.Width, m.Height)
	}
	got := w.do(w.b, "GET", m.URL, "", nil)
	if got.Code != 200 || !bytes.HasPrefix(got.Body.Bytes(), []byte{0xFF, 0xD8}) {
		t.Fatalf("a friend fetches the photo: %d", got.Code)
	}
	if bytes.Contains(got.Body.Bytes(), []byte("Exif")) || bytes.Contains(got.Body.Bytes(), []byte("PLAZA-GPS")) {
		t.Error("the served photo still carries its EXIF")
	}
	if cc := got.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control %q", cc)
	}
	if th := w.do(w.b, "GET", m.Thumb, "", nil); th.Code != 200 {
		t.Errorf("thumb: %d", th.Code)
	}
	if rec := w.do(w.d, "GET", m.URL, "", nil); rec.Code != 404 {
		t.Errorf("a stranger fetches the photo: %d", rec.Code)
	}
	w.ok(204, w.a, "POST", "/api/plaza/moments/posts/"+post.ID+"/private", "")
	if rec := w.do(w.b, "GET", m.URL, "", nil); rec.Code != 404 {
		t.Errorf("a friend fetches a private post's photo: %d", rec.Code)
	}
	if rec := w.do(w.a, "GET", m.URL, "", nil); rec.Code != 200 {
		t.Errorf("the author fetches their private photo: %d", rec.Code)
	}
}

// TestAPIVideoServesRanges: a video is stored as uploaded with its
// cleaned poster, and served in ranges (206) for the player.
func TestAPIVideoServesRanges(t *testing.T) {
	w := newCircle(t)
	video := append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), bytes.Repeat([]byte{7}, 4000)...)
	var poster bytes.Buffer
	if err := jpeg.Encode(&poster, image.NewRGBA(image.Rect(0, 0, 32, 18)), nil); err != nil {
		t.Fatal(err)
	}
	body, ctype := multipartBody(t, map[string]string{"duration_ms": "3200"},
		map[string][]byte{"video:clip.mp4": video, "poster:p.jpg": poster.Bytes()})
	rec := w.do(w.a, "POST", "/api/plaza/moments/posts", body, map[string]string{"Content-Type": ctype})
	if rec.Code != 201 {
		t.Fatalf("post: %d %s", rec.Code, rec.Body.String())
	}
	var post struct {
		Media []struct {
			Kind, URL, Poster string
			DurationMs        int `json:"duration_ms"`
		} `json:"media"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &post); err != nil || len(post.Media) != 1 || post.Media[0].Kind != "video" || post.Media[0].DurationMs != 3200 {
		t.Fatalf("post: %v %s", err, rec.Body.String())
	}
	part := w.do(w.b, "GET", post.Media[0].URL, "", map[string]string{"Range": "bytes=0-99"})
	if part.Code != http.StatusPartialContent || part.Body.Len() != 100 || !strings.HasPrefix(part.Header().Get("Content-Range"), "bytes 0-99/") {
		t.Fatalf("range: %d %q %d", part.Code, part.Header().Get("Content-Range"), part.Body.Len())
	}
	if p := w.do(w.b, "GET", post.Media[0].Poster, "", nil); p.Code != 200 {
		t.Errorf("poster: %d", p.Code)
	}
	// Not a video: refused, nothing stored.
	body, ctype = multipartBody(t, map[string]string{"duration_ms": "3200"},
		map[string][]byte{"video:x.mp4": []byte("<html>not a video</html>"), "poster:p.jpg": poster.Bytes()})
	if rec := w.do(w.a, "POST", "/api/plaza/moments/posts", body, map[string]string{"Content-Type": ctype}); rec.Code != 400 ||
		!strings.Contains(rec.Body.String(), "media.not_a_video") {
		t.Errorf("a fake video: %d %s", rec.Code, rec.Body.String())
	}
}

// TestRecordsAPIShowsMembersNothing: the records API and PocketBase's
// file route give members nothing of Moments, their own posts included.
func TestRecordsAPIShowsMembersNothing(t *testing.T) {
	w := newCircle(t)
	post := w.ok(201, w.a, "POST", "/api/plaza/moments/posts", `{"text":"mine"}`)
	for _, c := range []string{"moments_posts", "moments_media", "moments_audience", "moments_likes", "moments_comments", "moments_notifications", "moments_settings"} {
		rec := w.do(w.a, "GET", "/api/collections/"+c+"/records", "", nil)
		if rec.Code == 200 && !strings.Contains(rec.Body.String(), `"items":[]`) || rec.Code >= 500 {
			t.Errorf("%s list: %d %s", c, rec.Code, rec.Body.String())
		}
	}
	if rec := w.do(w.a, "GET", "/api/collections/moments_posts/records/"+post["id"].(string), "", nil); rec.Code != 404 && rec.Code != 403 {
		t.Errorf("view own post through the records API: %d", rec.Code)
	}
}

// TestAPIReportAndTakedown: a friend reports a post and a comment into the
// one queue; a report without a reason is refused; the superuser's
// takedown (taken_down in /_/) removes the post from every door, and a
// comment deleted in /_/ takes its notification with it.
func TestAPIReportAndTakedown(t *testing.T) {
	w := newCircle(t)
	id := w.ok(201, w.a, "POST", "/api/plaza/moments/posts", `{"text":"Buy followers cheap"}`)["id"].(string)
	p := "/api/plaza/moments/posts/" + id
	comment := w.ok(201, w.b, "POST", p+"/comments", `{"text":"spam!"}`)["id"].(string)
	if rec := w.do(w.b, "POST", p+"/report", `{"note":"no reason"}`, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), "chat.report_reason_required") {
		t.Errorf("a report without a reason: %d %s", rec.Code, rec.Body.String())
	}
	w.ok(204, w.b, "POST", p+"/report", `{"reason":"spam","note":"ads"}`)
	if rec := w.do(w.c, "POST", "/api/plaza/moments/comments/"+comment+"/report", `{"reason":"spam"}`, nil); rec.Code != 404 {
		t.Errorf("C reports a comment of B's, whom C cannot see: %d", rec.Code)
	}
	queue, err := w.app.FindRecordsByFilter("reports", "kind = 'moments_post' || kind = 'moments_comment'", "created", 0, 0)
	if err != nil || len(queue) != 1 {
		t.Fatalf("the queue: %d %v (C cannot see B's comment, so only B's report is in)", len(queue), err)
	}
	if r := queue[0]; r.GetString("ref") != id || r.GetString("person") != w.a.Id || r.GetString("excerpt") != "Buy followers cheap" {
		t.Errorf("the report: %v", r.FieldsData())
	}
	// The superuser deletes the comment, then takes the post down.
	rec, err := w.app.FindRecordById("moments_comments", comment)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.app.Delete(rec); err != nil {
		t.Fatal(err)
	}
	if n := w.ok(200, w.a, "GET", "/api/plaza/moments/notifications", "")["items"].([]any); len(n) != 0 {
		t.Errorf("a deleted comment's notification stays: %v", n)
	}
	post, err := w.app.FindRecordById("moments_posts", id)
	if err != nil {
		t.Fatal(err)
	}
	post.Set("taken_down", true)
	if err := w.app.Save(post); err != nil {
		t.Fatal(err)
	}
	for _, who := range []*core.Record{w.a, w.b} {
		if rec := w.do(who, "GET", p, "", nil); rec.Code != 404 {
			t.Errorf("a taken-down post opens for %s: %d", who.GetString("plaza_id"), rec.Code)
		}
		if items := w.ok(200, who, "GET", "/api/plaza/moments/feed", "")["items"].([]any); len(items) != 0 {
			t.Errorf("a taken-down post in %s's feed", who.GetString("plaza_id"))
		}
	}
}

// TestVideoLimitsComeFromSettings: a video longer than the community's
// setting is refused with the limits in the message; raising the setting
// in /_/ lets it through.
func TestVideoLimitsComeFromSettings(t *testing.T) {
	w := newCircle(t)
	row, err := w.app.FindRecordById("settings", "plazasettings01")
	if err != nil {
		t.Fatal(err)
	}
	row.Set("moments_video_max_seconds", 2)
	if err := w.app.Save(row); err != nil {
		t.Fatal(err)
	}
	video := append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), bytes.Repeat([]byte{7}, 100)...)
	var poster bytes.Buffer
	if err := jpeg.Encode(&poster, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	post := func() *httptest.ResponseRecorder {
		body, ctype := multipartBody(t, map[string]string{"duration_ms": "3200"}, map[string][]byte{"video:v.mp4": video, "poster:p.jpg": poster.Bytes()})
		return w.do(w.a, "POST", "/api/plaza/moments/posts", body, map[string]string{"Content-Type": ctype})
	}
	if rec := post(); rec.Code != 400 || !strings.Contains(rec.Body.String(), "moments.video_too_long") || !strings.Contains(rec.Body.String(), "2 seconds") {
		t.Fatalf("a 3.2 s video over a 2 s limit: %d %s", rec.Code, rec.Body.String())
	}
	row.Set("moments_video_max_seconds", 10)
	if err := w.app.Save(row); err != nil {
		t.Fatal(err)
	}
	if rec := post(); rec.Code != 201 {
		t.Fatalf("after raising the limit: %d %s", rec.Code, rec.Body.String())
	}
}
