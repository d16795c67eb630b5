package momentsweb_test

import (
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
)

// page sends a page request as the browser would without script: the
// session cookie, a form body.
func (w *circle) page(who *core.Record, method, path string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	w.t.Helper()
	h := map[string]string{"Cookie": testapp.SessionCookie(w.t, who)}
	for k, v := range headers {
		h[k] = v
	}
	return testapp.Do(w.h, method, path, form.Encode(), h)
}

func (w *circle) see(who *core.Record, path string, status int) string {
	w.t.Helper()
	rec := w.page(who, "GET", path, nil, nil)
	if rec.Code != status {
		w.t.Fatalf("GET %s: %d, want %d", path, rec.Code, status)
	}
	return rec.Body.String()
}

func (w *circle) redirects(who *core.Record, path string, form url.Values, to string) {
	w.t.Helper()
	rec := w.page(who, "POST", path, form, nil)
	if rec.Code != 303 || rec.Header().Get("Location") != to {
		w.t.Fatalf("POST %s: %d to %q, want 303 to %q: %s", path, rec.Code, rec.Header().Get("Location"), to, rec.Body.String())
	}
}

// TestPagesWithoutScript: every Moments page and form works as plain
// HTML — compose (multipart), comment, reply by ?reply=, like, delete,
// settings — and shows what the domain decided: B and C see only their
// own comments, a stranger sees an empty album and no post.
func TestPagesWithoutScript(t *testing.T) {
	w := newCircle(t)
	body, ctype := multipartBody(t, map[string]string{"text": "Lake walk", "reminds": w.b.Id},
		map[string][]byte{"photos:a.png": testapp.PNG(t, 40, 30)})
	rec := testapp.Do(w.h, "POST", "/moments/new", body, map[string]string{"Cookie": testapp.SessionCookie(t, w.a), "Content-Type": ctype})
	if rec.Code != 303 || rec.Header().Get("Location") != "/moments?posted=1" {
		t.Fatalf("compose: %d %s", rec.Code, rec.Body.String())
	}
	feed := w.ok(200, w.a, "GET", "/api/plaza/moments/feed", "")
	id := feed["items"].([]any)[0].(map[string]any)["id"].(string)
	post := "/moments/posts/" + id

	if got := w.see(w.a, "/moments?posted=1", 200); !strings.Contains(got, "Lake walk") || !strings.Contains(got, `data-testid="flash-ok"`) {
		t.Fatal("the feed does not show the new post")
	}
	for _, p := range []string{"/moments/new", "/moments/settings", "/moments/notifications", "/moments/u/" + w.a.Id, "/moments/u/" + w.b.Id} {
		w.see(w.a, p, 200)
	}
	w.redirects(w.b, post+"/comments", url.Values{"text": {"From B"}, "next": {"/moments"}}, "/moments")
	w.redirects(w.c, post+"/comments", url.Values{"text": {"From C"}}, post)
	if got := w.see(w.b, post, 200); !strings.Contains(got, "From B") || strings.Contains(got, "From C") {
		t.Error("B does not see only his own comment")
	}
	if got := w.see(w.c, post, 200); !strings.Contains(got, "From C") || strings.Contains(got, "From B") {
		t.Error("C does not see only her own comment")
	}
	a := w.see(w.a, post, 200)
	m := regexp.MustCompile(`data-comment="([a-z0-9]+)"`).FindStringSubmatch(a)
	if m == nil || !strings.Contains(a, "From C") {
		t.Fatal("A does not see both comments")
	}
	if got := w.see(w.a, post+"?reply="+m[1], 200); !strings.Contains(got, `name="reply_to" value="`+m[1]+`"`) {
		t.Error("?reply= does not prepare the reply")
	}
	w.redirects(w.a, post+"/comments", url.Values{"text": {"Thanks"}, "reply_to": {m[1]}}, post)
	if got := w.see(w.b, post, 200); !strings.Contains(got, "replied to") {
		t.Error("B does not see A's reply to him")
	}
	// htmx: the post comes back to be swapped in.
	rec = w.page(w.b, "POST", post+"/like", url.Values{}, map[string]string{"HX-Request": "true"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `data-testid="unlike"`) || strings.Contains(rec.Body.String(), "<html") {
		t.Fatalf("an htmx like: %d %s", rec.Code, rec.Body.String())
	}
	rec = w.page(w.b, "POST", post+"/comments", url.Values{"text": {" "}}, map[string]string{"HX-Request": "true"})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), `data-testid="post-error"`) {
		t.Fatalf("an empty comment: %d", rec.Code)
	}
	// A stranger sees an empty album and no post.
	if got := w.see(w.d, "/moments/u/"+w.a.Id, 200); strings.Contains(got, "Lake walk") {
		t.Error("a stranger sees the post in the album")
	}
	w.see(w.d, post, 404)
	w.redirects(w.a, "/moments/settings", url.Values{"range": {"3d"}}, "/moments/settings?saved=1")
	if got := w.see(w.a, "/moments/settings?saved=1", 200); !strings.Contains(got, `value="3d" checked`) {
		t.Error("the range was not saved")
	}
	w.redirects(w.a, post+"/delete", url.Values{"next": {post}}, "/moments")
	w.see(w.b, post, 404)
}

// TestFeedPages: the feed loads its next page as an htmx fragment, and an
// empty post is refused on the form with its message.
func TestFeedPages(t *testing.T) {
	w := newCircle(t)
	for i := 0; i < 12; i++ {
		w.ok(201, w.a, "POST", "/api/plaza/moments/posts", `{"text":"post `+string(rune('a'+i))+`"}`)
	}
	first := w.see(w.b, "/moments", 200)
	m := regexp.MustCompile(`hx-get="(/moments\?after=[^"]+)"`).FindStringSubmatch(first)
	if m == nil {
		t.Fatal("no next page")
	}
	next := strings.ReplaceAll(m[1], "&amp;", "&")
	rec := w.page(w.b, "GET", next, nil, map[string]string{"HX-Request": "true"})
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "<html") || !strings.Contains(rec.Body.String(), "post a") {
		t.Fatalf("next page: %d", rec.Code)
	}
	rec = w.page(w.a, "POST", "/moments/new", url.Values{"text": {""}}, nil)
	if rec.Code != 400 && rec.Code != 422 || !strings.Contains(rec.Body.String(), `data-testid="flash-error"`) {
		t.Fatalf("an empty post: %d", rec.Code)
	}
}
