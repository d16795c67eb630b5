package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/web"
)

// TestErrorPageKeepsTheAppShell: a page that fails for a signed-in member
// (500, and a 404 too) shows inside the app: the tab bar with its four
// tabs, the failing page's tab marked, Back to the page the member came
// from, and a link to the tab's start. A guest gets the plain page, and
// a Referer from another site is never offered as Back.
func TestErrorPageKeepsTheAppShell(t *testing.T) {
	app := testapp.New(t)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		web.Pages(se).GET("/contacts/boom", func(e *core.RequestEvent) error {
			panic("a broken page")
		})
		return se.Next()
	})
	h := testapp.Handler(t, app)
	member := testapp.CreateMember(t, app, "ann_lee")
	cookie := testapp.SessionCookie(t, member)

	res := testapp.Do(h, http.MethodGet, "/contacts/boom", "", map[string]string{"Cookie": cookie, "Referer": "http://evil.test/contacts/new"})
	body := res.Body.String()
	if res.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", res.Code)
	}
	for _, want := range []string{`data-testid="tabbar"`, `href="/chats"`, `href="/contacts"`, `href="/discover"`, `href="/me"`,
		`data-testid="error-home"`, `Something went wrong on our side`} {
		if !strings.Contains(body, want) {
			t.Errorf("the 500 page for a member lacks %s:\n%s", want, body)
		}
	}
	tab := body[strings.Index(body, `data-testid="tab-contacts"`):]
	if !strings.Contains(tab[:strings.Index(tab, ">")], `aria-current="page"`) {
		t.Errorf("the failing page's tab (Contacts) should be current:\n%s", body)
	}
	if !strings.Contains(body, `<a href="/contacts" data-testid="error-home"`) {
		t.Errorf("the way out should lead to the tab's start:\n%s", body)
	}
	if strings.Contains(body, `data-testid="error-back"`) {
		t.Errorf("a Referer from the request's own host only may be offered as Back:\n%s", body)
	}

	// Coming from another page of the site (httptest's host), Back leads there.
	res = testapp.Do(h, http.MethodGet, "/contacts/boom", "", map[string]string{"Cookie": cookie, "Referer": "http://example.com/chats?x=1"})
	if body := res.Body.String(); !strings.Contains(body, `<a href="/chats?x=1" data-testid="error-back"`) {
		t.Errorf("Back should lead to the page the member came from:\n%s", body)
	}

	// A 404 for a member is inside the app too.
	res = testapp.Do(h, http.MethodGet, "/nothing/here", "", map[string]string{"Cookie": cookie})
	if res.Code != http.StatusNotFound || !strings.Contains(res.Body.String(), `data-testid="tabbar"`) {
		t.Errorf("404 for a member: %d\n%s", res.Code, res.Body.String())
	}

	// A module's pages under Discover (registered paths) mark Discover:
	// a Channels post that is not there.
	for _, path := range []string{"/c/nobody/p/nothing", "/channels/p/nothing/edit", "/moments/posts/nothing"} {
		res = testapp.Do(h, http.MethodGet, path, "", map[string]string{"Cookie": cookie})
		body := res.Body.String()
		i := strings.Index(body, `data-testid="tab-discover"`)
		if res.Code != http.StatusNotFound || i < 0 || !strings.Contains(body[i:i+strings.Index(body[i:], ">")], `aria-current="page"`) {
			t.Errorf("%s: %d, want a 404 with Discover current:\n%s", path, res.Code, body)
		}
	}

	// A guest gets the plain page, without the member's app around it.
	res = testapp.Do(h, http.MethodGet, "/contacts/boom", "", nil)
	if res.Code != http.StatusInternalServerError || strings.Contains(res.Body.String(), `data-testid="tabbar"`) ||
		!strings.Contains(res.Body.String(), `data-testid="error-message"`) {
		t.Errorf("guest's 500 page: %d\n%s", res.Code, res.Body.String())
	}
}
