// Package shell serves the app shell's tab pages, the PWA manifest and the
// service worker.
package shell

import (
	"encoding/json"
	"net/http"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/contacts"
	"plaza/hooks/settings"
	"plaza/hooks/web"
	"plaza/public"
	"plaza/views/layout"
	"plaza/views/shell"
)

// Register installs the tab pages, /manifest.webmanifest, /sw.js and /offline.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se)
		tabs := pages.Group("").BindFunc(web.RequireMember)
		tabs.GET("/discover", discoverPage)

		pages.GET("/offline", offlinePage)
		se.Router.GET("/manifest.webmanifest", manifest)
		se.Router.GET("/sw.js", serviceWorker)
		return se.Next()
	})
}

func discoverPage(e *core.RequestEvent) error {
	s := accountsweb.ShellFor(e, web.T(e, "tabs.discover"), layout.TabDiscover, layout.FocusList, "")
	return web.Render(e, http.StatusOK, layout.AppShell(s, DiscoverMenu(e, ""), shell.Pick(web.T(e, "discover.pick"))))
}

// DiscoverMenu is the Discover tab's list pane with current highlighted:
// the entries the modules registered, with the member's badges.
func DiscoverMenu(e *core.RequestEvent, current string) templ.Component {
	reg := web.Registry(e)
	badges := web.Badges(e)
	var entries []shell.DiscoverEntry
	for _, d := range reg.Discover() {
		entries = append(entries, shell.DiscoverEntry{ID: d.ID, Label: web.T(e, d.Label), Href: d.Href, Icon: d.Icon, Badge: badges[d.ID],
			Dot: dotOf(e, d.ID)})
	}
	return shell.DiscoverMenu(entries, current)
}

// dotOf is the dot beside a Discover entry for the member: the avatar of
// the member the entry's module names (module.Registry.AddDot), as the
// viewer knows them.
func dotOf(e *core.RequestEvent, entryID string) *shell.Dot {
	me := web.Member(e)
	if me == nil {
		return nil
	}
	who := web.Registry(e).Dot(e.App, entryID, me.Id)
	if who == "" {
		return nil
	}
	members, err := accounts.Members(e.App, []string{who})
	if err != nil || members[who] == nil {
		return nil // a dot is not worth a broken page
	}
	remarks, err := contacts.RemarksFor(e.App, me.Id, []string{who})
	if err != nil {
		return nil
	}
	m := members[who]
	name := accounts.ShownName(remarks[who], "", m.DisplayName())
	return &shell.Dot{Avatar: m.AvatarURL("96x96"), Initial: m.Initial(), Label: web.T(e, "discover.dot_by", map[string]any{"name": name})}
}

func offlinePage(e *core.RequestEvent) error {
	return web.Render(e, http.StatusOK, shell.Offline(web.PageFor(e, web.T(e, "offline.title"))))
}

// manifest is the PWA manifest, named after the community.
func manifest(e *core.RequestEvent) error {
	name := settings.Get(e.App).CommunityName
	m := map[string]any{
		"name":             name,
		"short_name":       name,
		"start_url":        "/chats",
		"scope":            "/",
		"display":          "standalone",
		"background_color": "#ededed",
		"theme_color":      "#07c160",
		"icons": []map[string]string{
			{"src": public.URL("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
			{"src": public.URL("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
		},
	}
	e.Response.Header().Set("Cache-Control", "no-cache")
	e.Response.Header().Set("Content-Type", "application/manifest+json")
	return json.NewEncoder(e.Response).Encode(m)
}

// shellAssets are precached by the service worker (versioned URLs, so a new
// build installs a new cache).
func shellAssets() []string {
	return []string{
		"/offline",
		public.URL("css/app.css"),
		public.URL("js/app.js"),
		public.URL("vendor/htmx.min.js"),
		public.URL("icons/icon-192.png"),
	}
}

// serviceWorker serves /sw.js from the root so its scope is the whole app.
// Static assets are served cache-first; pages network-first, falling back to
// the offline page. API calls and the socket are never cached.
func serviceWorker(e *core.RequestEvent) error {
	assets, _ := json.Marshal(shellAssets())
	version := public.Version("css/app.css") + public.Version("js/app.js")
	e.Response.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	e.Response.Header().Set("Cache-Control", "no-cache")
	e.Response.Header().Set("Service-Worker-Allowed", "/")
	return e.String(http.StatusOK, `// Plaza service worker (generated).
const CACHE = "plaza-shell-`+version+`";
const ASSETS = `+string(assets)+`;
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/public/")) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).catch(() => caches.match("/offline")));
  }
});
`)
}
