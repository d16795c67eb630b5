package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/web"
)

func sessionCookieOf(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == web.SessionCookie {
			return c
		}
	}
	return nil
}

// TestSessionCookieLifetime: the cookie docs/API.md describes: HttpOnly,
// SameSite=Lax, as long-lived as the users collection's token (5 days by
// default), renewed for a full term when less than half is left.
func TestSessionCookieLifetime(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "cookie_life")
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		t.Fatal(err)
	}
	if users.AuthToken.Duration != 432000 {
		t.Fatalf("the users token lasts %d s; docs/API.md says 5 days", users.AuthToken.Duration)
	}
	h := testapp.Handler(t, app)
	form := url.Values{"identity": {"cookie_life"}, "password": {testapp.DefaultPassword}}.Encode()
	rec := testapp.Do(h, http.MethodPost, "/login", form, nil)
	c := sessionCookieOf(rec.Result())
	if c == nil || c.MaxAge != 432000 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("sign-in cookie: %v (status %d)", c, rec.Code)
	}

	// A token with more than half its life left is kept as it is.
	rec = testapp.Do(h, http.MethodGet, "/me", "", map[string]string{"Cookie": web.SessionCookie + "=" + c.Value})
	if sessionCookieOf(rec.Result()) != nil {
		t.Fatal("a fresh session cookie was replaced")
	}
	// Less than half left: a new cookie for a full term.
	short, err := member.NewStaticAuthToken(2 * 24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	rec = testapp.Do(h, http.MethodGet, "/me", "", map[string]string{"Cookie": web.SessionCookie + "=" + short})
	renewed := sessionCookieOf(rec.Result())
	if rec.Code != http.StatusOK || renewed == nil || renewed.MaxAge != 432000 || renewed.Value == short || strings.TrimSpace(renewed.Value) == "" {
		t.Fatalf("a half-used session: %d, cookie %v", rec.Code, renewed)
	}
}
