package web_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/web"
)

func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	out := map[string]any{}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("not JSON: %q", body)
	}
	return out
}

// TestPlazaAPIGenericErrorCodes: errors that no domain names (PocketBase's
// router and middlewares, missing routes, bad credentials, cross-site
// requests, panics and failures) reach a client of /api/plaza/… as JSON
// with a generic code, a translated message and no internal detail.
func TestPlazaAPIGenericErrorCodes(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "codes_member")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/plaza/test/panic", func(e *core.RequestEvent) error {
			panic("SELECT secret FROM users -- stack detail")
		})
		se.Router.GET("/api/plaza/test/fail", func(e *core.RequestEvent) error {
			return errors.New("SQL logic error: no such table: secret_things")
		})
		se.Router.GET("/api/plaza/test/apierror", func(e *core.RequestEvent) error {
			return web.APIError(e, errors.New("constraint failed: UNIQUE users.secret"))
		})
		return se.Next()
	})
	h := testapp.Handler(t, app)
	token := testapp.Token(t, member)
	auth := map[string]string{"Authorization": token}
	cases := []struct {
		name, method, path string
		headers            map[string]string
		status             int
		code               string
	}{
		{"no credentials", "GET", "/api/plaza/chats", nil, 401, "auth.required"},
		{"an expired or forged token", "GET", "/api/plaza/chats", map[string]string{"Authorization": token + "x"}, 401, "auth.required"},
		{"GET of no route", "GET", "/api/plaza/nothing/here", auth, 404, "not_found"},
		{"POST to no route", "POST", "/api/plaza/nothing/here", auth, 404, "not_found"},
		{"a guest to no route", "DELETE", "/api/plaza/chats", nil, 404, "not_found"},
		{"a cross-site write with the cookie", "POST", "/api/plaza/ws-ticket",
			map[string]string{"Cookie": testapp.SessionCookie(t, member), "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
			403, "request.cross_origin"},
		{"a panic", "GET", "/api/plaza/test/panic", nil, 500, "internal"},
		{"a failure", "GET", "/api/plaza/test/fail", nil, 500, "internal"},
		{"a failure through APIError", "GET", "/api/plaza/test/apierror", nil, 500, "internal"},
	}
	for _, c := range cases {
		res := testapp.Do(h, c.method, c.path, "", c.headers)
		out := decode(t, res.Body.String())
		msg, _ := out["message"].(string)
		if res.Code != c.status || out["code"] != c.code || msg == "" {
			t.Errorf("%s: got %d %s, want %d %s", c.name, res.Code, res.Body.String(), c.status, c.code)
		}
		if s, _ := out["status"].(float64); int(s) != c.status {
			t.Errorf("%s: body status %v", c.name, out["status"])
		}
		for _, leak := range []string{"SELECT", "SQL", "secret", "goroutine", "constraint"} {
			if strings.Contains(res.Body.String(), leak) {
				t.Errorf("%s: the answer shows %q: %s", c.name, leak, res.Body.String())
			}
		}
	}
	// A body over PocketBase's 32 MB limit.
	res := testapp.Do(h, "POST", "/api/plaza/contacts/requests", strings.Repeat("x", 33<<20), auth)
	if out := decode(t, res.Body.String()); res.Code != http.StatusRequestEntityTooLarge || out["code"] != "request.too_large" {
		t.Errorf("a 33 MB body: %d %s", res.Code, res.Body.String())
	}
	// In the member's language.
	res = testapp.Do(h, "GET", "/api/plaza/chats", "", map[string]string{"Accept-Language": "zh-CN"})
	if out := decode(t, res.Body.String()); out["code"] != "auth.required" || out["message"] != "请先登录。" {
		t.Errorf("Chinese: %s", res.Body.String())
	}
	// PocketBase's own API keeps PocketBase's shape.
	res = testapp.Do(h, "GET", "/api/collections/nothing/records", "", nil)
	if out := decode(t, res.Body.String()); res.Code != 404 || out["code"] != nil {
		t.Errorf("PocketBase's API: %d %s", res.Code, res.Body.String())
	}
}

// TestPlazaAPIRateLimitCode: a rate-limited client hears 429 rate_limited
// (here: socket tickets, 60 a minute per IP).
func TestPlazaAPIRateLimitCode(t *testing.T) {
	app := testapp.New(t)
	app.Settings().RateLimits.Enabled = true
	member := testapp.CreateMember(t, app, "codes_limited")
	h := testapp.Handler(t, app)
	auth := map[string]string{"Authorization": testapp.Token(t, member)}
	for i := range 60 {
		if res := testapp.Do(h, "POST", "/api/plaza/ws-ticket", "", auth); res.Code != http.StatusOK {
			t.Fatalf("ticket %d: %d %s", i+1, res.Code, res.Body.String())
		}
	}
	res := testapp.Do(h, "POST", "/api/plaza/ws-ticket", "", auth)
	out := decode(t, res.Body.String())
	if res.Code != http.StatusTooManyRequests || out["code"] != "rate_limited" || out["message"] == "" {
		t.Fatalf("61st ticket in a minute: %d %s", res.Code, res.Body.String())
	}
}

// TestSignInRateLimit: PocketBase's sign-in route (any *:auth route) takes
// 10 tries a minute per IP; the 11th is 429 in PocketBase's shape.
func TestSignInRateLimit(t *testing.T) {
	app := testapp.New(t)
	app.Settings().RateLimits.Enabled = true
	testapp.CreateMember(t, app, "limited_signin")
	h := testapp.Handler(t, app)
	hdr := map[string]string{"Content-Type": "application/json"}
	body := `{"identity":"limited_signin","password":"wrong-password"}`
	for i := range 10 {
		if res := testapp.Do(h, "POST", "/api/collections/users/auth-with-password", body, hdr); res.Code == http.StatusTooManyRequests {
			t.Fatalf("limited at try %d", i+1)
		}
	}
	res := testapp.Do(h, "POST", "/api/collections/users/auth-with-password", body, hdr)
	if res.Code != http.StatusTooManyRequests {
		t.Fatalf("the 11th sign-in in a minute: %d %s", res.Code, res.Body.String())
	}
}
