package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/views/layout"
)

// errorPage renders an error page. A signed-in member sees it inside the
// app: the tab bar, Back to the page they came from and a link to the
// tab's start (a page that keeps failing must not strand them); a guest
// sees the plain page.
func errorPage(e *core.RequestEvent, status int, msg string) error {
	page := PageFor(e, http.StatusText(status))
	m := Member(e)
	if m == nil {
		return Render(e, status, layout.ErrorPage(page, status, msg))
	}
	tab, home := tabOf(e.Request.URL.Path, discoverPaths(e))
	s := layout.Shell{Page: page, Tab: tab, Focus: layout.FocusList,
		Viewer: layout.Viewer{ID: m.Id, PlazaID: m.GetString("plaza_id"), Name: m.GetString("name")}}
	return Render(e, status, layout.AppErrorPage(s, status, msg, backOf(e), home))
}

// discoverPaths are the path prefixes of the Discover entries' pages.
func discoverPaths(e *core.RequestEvent) []string {
	out := []string{"/discover", "/scan"}
	for _, d := range Registry(e).Discover() {
		if len(d.Paths) == 0 {
			out = append(out, d.Href)
		}
		out = append(out, d.Paths...)
	}
	return out
}

// tabOf is the tab a path belongs to, and that tab's start page; discover
// are the Discover tab's path prefixes.
func tabOf(path string, discover []string) (layout.Tab, string) {
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if path == p || strings.HasPrefix(path, p+"/") {
				return true
			}
		}
		return false
	}
	switch {
	case has("/contacts", "/u", "/add"):
		return layout.TabContacts, "/contacts"
	case has(discover...):
		return layout.TabDiscover, "/discover"
	case has("/me", "/wallet", "/pay"):
		return layout.TabMe, "/me"
	}
	return layout.TabChats, "/chats"
}

// backOf is the page the member came from, when it is another page of this
// site; "" otherwise.
func backOf(e *core.RequestEvent) string {
	ref, err := url.Parse(e.Request.Referer())
	if err != nil || ref.Host != e.Request.Host || ref.RequestURI() == e.Request.URL.RequestURI() {
		return ""
	}
	return SafeNext(ref.RequestURI(), "")
}
