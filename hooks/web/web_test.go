package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/web"
	"plaza/public"
)

func TestSafeNext(t *testing.T) {
	cases := map[string]string{
		"/me/settings":         "/me/settings",
		"/chats?x=1":           "/chats?x=1",
		"":                     "/fallback",
		"//evil.example/x":     "/fallback",
		"/\\evil.example":      "/fallback",
		"https://evil.example": "/fallback",
		"javascript:alert(1)":  "/fallback",
		"me":                   "/fallback",
	}
	for in, want := range cases {
		if got := web.SafeNext(in, "/fallback"); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchAcceptLanguage(t *testing.T) {
	cases := map[string]string{
		"zh-CN,zh;q=0.9,en;q=0.8": "zh",
		"zh-Hans":                 "zh",
		"en-US,en;q=0.9":          "en",
		"fr-FR,zh-TW;q=0.5":       "zh",
		"fr-FR,de":                "",
		"":                        "",
	}
	for in, want := range cases {
		if got := web.MatchAcceptLanguage(in); got != want {
			t.Errorf("MatchAcceptLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPageHeadersAndErrors(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "header_check")
	h := testapp.Handler(t, app)

	for _, path := range []string{"/login", "/signup", "/no-such-page"} {
		res := testapp.Do(h, http.MethodGet, path, "", nil)
		csp := res.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		if res.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
	}
	res := testapp.Do(h, http.MethodGet, "/me", "", map[string]string{"Cookie": testapp.SessionCookie(t, member)})
	if res.Code != http.StatusOK || res.Header().Get("Content-Security-Policy") == "" {
		t.Fatalf("/me as a member: %d, CSP %q", res.Code, res.Header().Get("Content-Security-Policy"))
	}

	res = testapp.Do(h, http.MethodGet, "/no-such-page", "", map[string]string{"Accept-Language": "zh-CN"})
	if res.Code != http.StatusNotFound || !strings.Contains(res.Body.String(), "这里什么也没有") {
		t.Errorf("404 page: %d %s", res.Code, res.Body.String())
	}

	res = testapp.Do(h, http.MethodGet, "/me", "", nil)
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/login?next=%2Fme" {
		t.Errorf("a guest on /me should be sent to sign in, got %d %q", res.Code, res.Header().Get("Location"))
	}

	res = testapp.Do(h, http.MethodGet, "/me", "", map[string]string{"Cookie": "plaza_session=forged.token.value"})
	if res.Code != http.StatusSeeOther || !strings.Contains(res.Header().Get("Set-Cookie"), "plaza_session=;") {
		t.Errorf("a forged cookie should be dropped, got %d %q", res.Code, res.Header().Get("Set-Cookie"))
	}
}

// TestSessionCookieIsNotAnAPIToken: a request carrying an Authorization
// header is judged by it alone, so a cookie cannot be used cross-site with a
// junk header, and the cross-origin check cannot be skipped that way.
func TestSessionCookieIsNotAnAPIToken(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "cookie_user")
	h := testapp.Handler(t, app)
	res := testapp.Do(h, http.MethodGet, "/api/collections/users/records", "", map[string]string{
		"Cookie": testapp.SessionCookie(t, member), "Authorization": "junk",
	})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `"totalItems":0`) {
		t.Fatalf("junk Authorization + cookie: %d %s", res.Code, res.Body.String())
	}
	res = testapp.Do(h, http.MethodGet, "/api/collections/users/records", "", map[string]string{"Cookie": testapp.SessionCookie(t, member)})
	if !strings.Contains(res.Body.String(), `"totalItems":1`) {
		t.Fatalf("the session cookie should authenticate same-origin API calls: %s", res.Body.String())
	}
}

// TestCrossOriginAPI: a cross-site request riding on the session cookie is
// refused; one without the cookie (a third-party SDK client) is anonymous
// and passes to the API's own rules.
func TestCrossOriginAPI(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "cookie_user")
	h := testapp.Handler(t, app)
	cross := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}
	res := testapp.Do(h, http.MethodPost, "/api/collections/users/auth-with-password",
		"", cross)
	if res.Code == http.StatusForbidden {
		t.Fatalf("an anonymous cross-origin API call should reach the API, got 403")
	}
	withCookie := map[string]string{"Cookie": testapp.SessionCookie(t, member)}
	for k, v := range cross {
		withCookie[k] = v
	}
	req := httptest.NewRequest(http.MethodPatch, "/api/collections/users/records/"+member.Id, strings.NewReader(`{"signature":"pwned"}`))
	for k, v := range withCookie {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("a cross-site API write with the cookie: got %d, want 403", rec.Code)
	}
	if m, _ := app.FindRecordById("users", member.Id); m.GetString("signature") == "pwned" {
		t.Fatal("the cross-site write changed the member")
	}
}

func TestStaticAssets(t *testing.T) {
	app := testapp.New(t)
	h := testapp.Handler(t, app)
	url := public.URL("css/app.css")
	if !strings.Contains(url, "?v=") {
		t.Fatalf("asset URL has no version: %s", url)
	}
	res := testapp.Do(h, http.MethodGet, url, "", nil)
	if res.Code != http.StatusOK || !strings.Contains(res.Header().Get("Cache-Control"), "immutable") ||
		!strings.HasPrefix(res.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("versioned asset: %d %v", res.Code, res.Header())
	}
	res = testapp.Do(h, http.MethodGet, "/public/css/app.css?v=stale", "", nil)
	if res.Code != http.StatusOK || res.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("stale version must revalidate: %d %v", res.Code, res.Header())
	}
	for _, p := range []string{"/public/", "/public/css", "/public/%2e%2e/main.go", "/public/css/input.css", "/public/nope.js"} {
		if res := testapp.Do(h, http.MethodGet, p, "", nil); res.Code != http.StatusNotFound {
			t.Errorf("%s: got %d, want 404", p, res.Code)
		}
	}
	for _, p := range []string{"/manifest.webmanifest", "/sw.js", "/offline"} {
		if res := testapp.Do(h, http.MethodGet, p, "", nil); res.Code != http.StatusOK {
			t.Errorf("%s: got %d", p, res.Code)
		}
	}
	if res := testapp.Do(h, http.MethodGet, "/sw.js", "", nil); res.Header().Get("Service-Worker-Allowed") != "/" ||
		!strings.Contains(res.Body.String(), public.URL("css/app.css")) {
		t.Errorf("service worker should precache the versioned shell: %s", res.Body.String())
	}
}

// TestInternalErrorsDoNotLeak: a failing page shows a plain message; the
// detail goes to the log only.
func TestInternalErrorsDoNotLeak(t *testing.T) {
	app := testapp.New(t)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		web.Pages(se).GET("/boom", func(e *core.RequestEvent) error {
			panic("SELECT secret FROM users -- stack detail")
		})
		return se.Next()
	})
	h := testapp.Handler(t, app)
	res := testapp.Do(h, http.MethodGet, "/boom", "", nil)
	body := res.Body.String()
	if res.Code != http.StatusInternalServerError || strings.Contains(body, "SELECT") || strings.Contains(body, "goroutine") ||
		!strings.Contains(body, "Something went wrong on our side") {
		t.Fatalf("got %d %s", res.Code, body)
	}
}
