package oaweb_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// site is a community seen through Official Accounts' pages: Ann owns the
// approved subscription account "news" (with an avatar, a menu, Bo as its
// operator, a published article with a cover and a shown comment by Cy,
// and a draft); Cy and Dee are members; nil is a signed-out visitor.
type site struct {
	t                *testing.T
	app              core.App
	h                http.Handler
	svc              *oa.Service
	ann, bo, cy, dee *core.Record
	acct             oa.Account
	art, draft       oa.Article
}

func newSite(t *testing.T) *site {
	t.Helper()
	app := testapp.New(t)
	s := &site{t: t, app: app, h: testapp.Handler(t, app), svc: testapp.Services(t, app).OA}
	s.ann, s.bo = testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001")
	s.cy, s.dee = testapp.CreateMember(t, app, "cy0001"), testapp.CreateMember(t, app, "dee001")
	a, err := s.svc.Apply(s.ann.Id, oa.ApplyInput{Handle: "news", Name: "Community News", Description: "What happens <here>",
		Category: "news", Kind: oa.KindSubscription, Avatar: s.file("a.png", testapp.PNG(t, 40, 40))})
	if err != nil {
		t.Fatal(err)
	}
	s.setStatus("news", oa.StatusApproved, "")
	must(t, s.svc.AddOperator(s.ann.Id, a.ID, s.bo.Id))
	must(t, s.svc.SetMenu(s.ann.Id, a.ID, oa.Menu{{Label: "Site", Action: oa.ActionLink, Value: "https://example.org/x"},
		{Label: "More", Items: []oa.Item{{Label: "Hours", Action: oa.ActionKeyword, Value: "opening hours"}}}}))
	s.art, err = s.svc.WriteArticle(s.ann.Id, a.ID, oa.ArticleInput{Title: "Fair on Sunday", Author: "Ann", Digest: "Stalls & music",
		Body: "# Fair\n\nCome **all**.", CommentsOpen: true, Cover: s.file("c.png", testapp.PNG(t, 90, 50))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Broadcast(s.ann.Id, s.art.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	s.svc.WaitDelivered()
	c, err := s.svc.Comment(s.cy.Id, s.art.ID, "See you there")
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.svc.ShowComment(s.ann.Id, c.ID, true))
	must(t, s.svc.ReplyComment(s.ann.Id, c.ID, "Thanks!"))
	if s.draft, err = s.svc.WriteArticle(s.bo.Id, a.ID, oa.ArticleInput{Title: "Secret draft", Body: "soon"}); err != nil {
		t.Fatal(err)
	}
	s.acct, err = s.svc.AccountFor("", "news")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (s *site) file(name string, data []byte) *filesystem.File {
	s.t.Helper()
	f, err := filesystem.NewFileFromBytes(data, name)
	if err != nil {
		s.t.Fatal(err)
	}
	return f
}

// setStatus sets an account's status as a superuser does in /_/.
func (s *site) setStatus(handle, status, reason string) {
	s.t.Helper()
	rec, err := s.app.FindFirstRecordByData("oa_accounts", "handle", handle)
	if err != nil {
		s.t.Fatal(err)
	}
	rec.Set("status", status)
	rec.Set("reject_reason", reason)
	if err := s.app.Save(rec); err != nil {
		s.t.Fatal(err)
	}
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
		s.t.Fatalf("GET %s: %d, want %d: %.400s", path, rec.Code, status, rec.Body.String())
	}
	return rec.Body.String()
}

// form POSTs a form as who (nil: signed out).
func (s *site) form(who *core.Record, path string, form url.Values) *httptest.ResponseRecorder {
	s.t.Helper()
	h := map[string]string{}
	if who != nil {
		h["Cookie"] = testapp.SessionCookie(s.t, who)
	}
	return testapp.Do(s.h, http.MethodPost, path, form.Encode(), h)
}

// redirects wants a 303 (or 302) to a location starting with prefix.
func redirects(t *testing.T, what string, rec *httptest.ResponseRecorder, prefix string) {
	t.Helper()
	if rec.Code != http.StatusSeeOther && rec.Code != http.StatusFound {
		t.Fatalf("%s: %d, want a redirect: %.400s", what, rec.Code, rec.Body.String())
	}
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: to %q, want %q…", what, loc, prefix)
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

func (s *site) articlePath() string { return oa.ArticlePath("news", s.art.ID) }

// TestOAPublicPagesSignedOut: a visitor reads the profile and an article
// (Open Graph tags, a sign-in prompt on Follow, cacheable by ETag), sees
// the pictures, never a draft nor an account not approved.
func TestOAPublicPagesSignedOut(t *testing.T) {
	s := newSite(t)
	body := s.page(nil, "/oa/news", 200)
	for _, want := range []string{`data-testid="oa-head"`, "Community News", "What happens &lt;here&gt;", "Fair on Sunday",
		`href="/login?next=%2Foa%2Fnews"`, `rel="nofollow noopener"`, `href="https://example.org/x"`,
		`href="/oa/news/chat?text=opening+hours"`, `src="/oa/news/qr.png"`} {
		if !strings.Contains(body, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	if strings.Contains(body, "Secret draft") || strings.Contains(body, "oa-console-link") {
		t.Error("a visitor sees a draft or the console")
	}
	if got := meta(body, "og:title"); got != "Community News · Official Account" {
		t.Errorf("og:title %q", got)
	}
	if !strings.HasSuffix(meta(body, "og:image"), "/oa/news/avatar") {
		t.Errorf("og:image %q", meta(body, "og:image"))
	}

	body = s.page(nil, s.articlePath(), 200)
	for _, want := range []string{"<h1>Fair</h1>", "Come <strong>all</strong>.", "See you there", "Thanks!", "Stalls &amp; music",
		`data-testid="oa-comment-sign-in"`} {
		if !strings.Contains(body, want) {
			t.Errorf("article lacks %q", want)
		}
	}
	if meta(body, "og:type") != "article" || meta(body, "og:description") != "Stalls & music" ||
		!strings.HasSuffix(meta(body, "og:image"), "/a/"+s.art.ID+"/cover") || meta(body, "twitter:card") != "summary_large_image" {
		t.Errorf("article tags: %q %q %q", meta(body, "og:type"), meta(body, "og:description"), meta(body, "og:image"))
	}
	for _, p := range []string{"/oa/news", s.articlePath()} {
		wantCached(t, s, p)
	}
	for _, p := range []string{"/oa/news/avatar", s.articlePath() + "/cover", s.articlePath() + "/cover?v=small", "/oa/news/qr.png"} {
		if rec := s.get(nil, p, nil); rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/") {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	s.page(nil, oa.ArticlePath("news", s.draft.ID), 404)
	s.page(nil, oa.ArticlePath("news", s.draft.ID)+"/cover", 404)
	s.page(nil, "/oa/news/a/nope", 404)
	s.page(nil, "/oa/news/x/"+s.art.ID, 404)
	s.page(nil, "/oa", 303) // the directory is members'

	// An unapproved account is invisible, its pictures and articles too.
	s.setStatus("news", oa.StatusRejected, "spam")
	for _, p := range []string{"/oa/news", s.articlePath(), "/oa/news/avatar", s.articlePath() + "/cover", "/oa/news/qr.png"} {
		s.page(nil, p, 404)
		s.page(s.cy, p, 404)
	}
}

// wantCached checks a visitor's answer is cacheable and that asking again
// with its ETag gets a 304 without a body.
func wantCached(t *testing.T, s *site, path string) {
	t.Helper()
	rec := s.get(nil, path, nil)
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag == "" || rec.Header().Get("Cache-Control") != "public, no-cache" {
		t.Fatalf("%s: %d ETag %q Cache-Control %q", path, rec.Code, etag, rec.Header().Get("Cache-Control"))
	}
	again := s.get(nil, path, map[string]string{"If-None-Match": etag})
	if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		t.Errorf("%s with If-None-Match: %d (%d bytes), want 304", path, again.Code, again.Body.Len())
	}
}

// TestOAOpenLink: the follow code's link opens the profile; a tampered
// one is a 404.
func TestOAOpenLink(t *testing.T) {
	s := newSite(t)
	rec := s.get(nil, "/oa/news/qr.png", nil)
	if rec.Code != 200 {
		t.Fatal(rec.Code)
	}
	path := signedFollowPath(t, s.app, "news")
	redirects(t, "open link", s.get(s.cy, path, nil), "/oa/news")
	s.page(s.cy, strings.Replace(path, "t=", "t=x", 1), 404)
	s.page(s.cy, "/open/oa/news", 404)
}
