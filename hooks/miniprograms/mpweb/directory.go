package mpweb

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/miniprograms"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/mp"
)

// The directory (Discover → Mini Programs) and the ways in: My Mini
// Programs, Recently used, the categories, Popular, search, About, sharing
// an app into chats as its card, reporting it, its QR code and the signed
// link the code holds, and Settings → Mini Programs (the apps that may
// see the member's profile). Categories and searches are query strings:
// /mp/{appid}/… patterns take every two-segment path under /mp.

// Sizes of the directory's lists.
const (
	dirRecentMax  = 10
	dirPopularMax = 30
	dirSearchMax  = 50
)

// registerDirectory adds the directory's pages and JSON (Discover → Mini
// Programs): recent, starred, search, categories, popular, About, share,
// report, and the scan link.
func (h handlers) registerDirectory(se *core.ServeEvent) {
	members := web.Pages(se).BindFunc(web.RequireMember)
	members.GET("/mp", h.directoryPage)
	members.GET("/mp/search", h.searchPage)
	members.GET("/mp/{appid}/about", h.aboutPage)
	members.GET("/mp/{appid}/screenshots/{file}", h.dirScreenshot)
	members.GET("/mp/{appid}/share", h.sharePage)
	members.POST("/mp/{appid}/share", h.sharePage)
	members.GET("/mp/{appid}/report", h.reportPage)
	members.POST("/mp/{appid}/report", h.reportPage)
	members.POST("/mp/{appid}/star", h.starForm)
	members.GET("/mp/{appid}/qr.png", h.qrImage)
	members.GET("/open/mp/{appid}", h.openLink)
	members.GET("/me/miniprograms", h.permissionsPage)
	members.POST("/me/miniprograms/{appid}/remove", h.removePermission)
	h.registerDirectoryAPI(se)
}

// directoryPage is GET /mp[?category=]: the member's starred and recent
// apps, the categories and the most used apps of the week (of one
// category when chosen).
func (h handlers) directoryPage(e *core.RequestEvent) error {
	me, here := memberOf(e), e.Request.URL.RequestURI()
	cat := dirCategoryOf(e)
	d := views.DirectoryPage{Category: cat, Heading: web.T(e, "mp.dir_popular"), Categories: dirChips(e, "/mp", "", cat)}
	if cat != "" {
		d.Heading = dirCategoryLabel(e, cat)
	} else {
		starred, err := h.mp.Starred(me)
		if err != nil {
			return err
		}
		recent, err := h.mp.Recent(me, dirRecentMax)
		if err != nil {
			return err
		}
		d.Starred, d.Recent = h.dirApps(e, starred, "starred", here, false), h.dirApps(e, recent, "recent", here, false)
	}
	popular, err := h.mp.Search("", cat, dirPopularMax)
	if err != nil {
		return err
	}
	d.Popular = h.dirApps(e, popular, "directory", here, true)
	return dirScreen(e, http.StatusOK, web.T(e, "mp.title"), "/discover", views.DirectoryView(d))
}

// searchPage is GET /mp/search?q=[&category=]: live apps whose name or
// description holds q, most used first.
func (h handlers) searchPage(e *core.RequestEvent) error {
	q := e.Request.URL.Query().Get("q")
	if len(q) > 100 {
		q = q[:100]
	}
	cat := dirCategoryOf(e)
	s := views.DirSearchPage{Query: q, Category: cat, Categories: dirChips(e, "/mp/search", q, cat), Searched: q != "" || cat != ""}
	if s.Searched {
		list, err := h.mp.Search(q, cat, dirSearchMax)
		if err != nil {
			return err
		}
		s.Results = h.dirApps(e, list, "search", e.Request.URL.RequestURI(), false)
	}
	return dirScreen(e, http.StatusOK, web.T(e, "mp.dir_search_title"), "/mp", views.SearchView(s))
}

// dirCategoryOf is the page's category, "" for none or one that is not.
func dirCategoryOf(e *core.RequestEvent) string {
	c := e.Request.URL.Query().Get("category")
	if !slices.Contains(miniprograms.Categories, c) {
		return ""
	}
	return c
}

// dirCategoryLabel is a category's name in the member's language.
func dirCategoryLabel(e *core.RequestEvent, c string) string { return web.T(e, "mp.category_"+c) }

// dirChips are "All" and each category, on page base (keeping q).
func dirChips(e *core.RequestEvent, base, q, current string) []views.DirCategory {
	href := func(c string) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if c != "" {
			v.Set("category", c)
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	out := []views.DirCategory{{Label: web.T(e, "mp.dir_all"), Href: href(""), Current: current == ""}}
	for _, c := range miniprograms.Categories {
		out = append(out, views.DirCategory{Label: dirCategoryLabel(e, c), Href: href(c), Current: c == current})
	}
	return out
}

// dirOpenHref is where a row opens app appid: the host page with the scene
// and the way back to the list.
func dirOpenHref(appid, scene, back string) string {
	return miniprograms.OpenPath(appid, scene) + "&back=" + url.QueryEscape(back)
}

// dirApps are apps as rows opening them with scene, back to here; with
// active, each shows its members this week.
func (h handlers) dirApps(e *core.RequestEvent, list []miniprograms.App, scene, here string, active bool) []views.DirApp {
	var counts map[string]int
	if active {
		var err error
		if counts, err = h.mp.WeeklyActive(list); err != nil {
			e.App.Logger().Error("miniprograms: weekly active", "error", err.Error())
		}
	}
	out := make([]views.DirApp, 0, len(list))
	for _, a := range list {
		d := dirApp(e, a)
		d.Href = dirOpenHref(a.AppID, scene, here)
		d.WeeklyActive, d.ShowActive = counts[a.ID], active
		out = append(out, d)
	}
	return out
}

// dirApp is an app as a row, without its link.
func dirApp(e *core.RequestEvent, a miniprograms.App) views.DirApp {
	d := views.DirApp{AppID: a.AppID, Name: a.Name, Category: dirCategoryLabel(e, a.Category), Description: a.Description}
	if a.Icon != "" {
		d.IconURL = miniprograms.IconURL(a.AppID)
	}
	return d
}

// dirScreen shows a Mini Programs screen in the Discover tab; back is where
// Back leads when the member came from nowhere else.
func dirScreen(e *core.RequestEvent, status int, title, back string, detail templ.Component) error {
	s := accountsweb.ShellFor(e, title, layout.TabDiscover, layout.FocusDetail, back)
	return web.Render(e, status, layout.AppShell(s, shellweb.DiscoverMenu(e, miniprograms.DiscoverID), detail))
}
