package channelsweb

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// The members' feeds: Discover → Channels with its Following, Friends and
// Popular tabs, the favourites, search and the creator's stats.

func (h handlers) registerFeedPages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/channels", h.feedPage)
	members.GET("/channels/favourites", h.favouritesPage)
	members.GET("/channels/search", h.searchPage)
	members.GET("/channels/stats", h.statsPage)
}

// feedTabs are the feed's tabs and the operation behind each.
func (h handlers) feedTabs() map[string]func(memberID, after string, limit int) (channels.Page, error) {
	return map[string]func(string, string, int) (channels.Page, error){
		"following": h.ch.Following,
		"friends":   h.ch.Friends,
		"popular":   h.ch.Popular,
	}
}

// feedPage is GET /channels[?tab=][&after=]: a tab of the feed (Following
// by default, Popular while one follows no one); htmx asks for the next
// cards.
func (h handlers) feedPage(e *core.RequestEvent) error {
	me := e.Auth.Id
	q := e.Request.URL.Query()
	tab, after := q.Get("tab"), q.Get("after")
	read, ok := h.feedTabs()[tab]
	if !ok {
		tab, read = "following", h.ch.Following
	}
	page, err := read(me, after, 0)
	if err != nil {
		return err
	}
	if q.Get("tab") == "" && len(page.Posts) == 0 {
		tab = "popular"
		if page, err = h.ch.Popular(me, "", 0); err != nil {
			return err
		}
	}
	base := "/channels?tab=" + tab
	cards, err := pagePosts(e, page.Posts, base)
	if err != nil {
		return err
	}
	c := views.Cards{Posts: cards, More: moreHref(base, page.Next)}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.CardList(c))
	}
	_, err = h.ch.ChannelOf(me, me)
	if err != nil && !isGone(err) {
		return err
	}
	f := views.Feed{Tab: tab, Cards: c, HasChannel: err == nil}
	return memberScreen(e, http.StatusOK, web.T(e, "channels.title"), "/discover", views.FeedView(f))
}

// favouritesPage is GET /channels/favourites[?after=]: what the member
// saved, the latest first.
func (h handlers) favouritesPage(e *core.RequestEvent) error {
	after := e.Request.URL.Query().Get("after")
	page, err := h.ch.Favourites(e.Auth.Id, after, 0)
	if err != nil {
		return err
	}
	cards, err := pagePosts(e, page.Posts, "/channels/favourites")
	if err != nil {
		return err
	}
	c := views.Cards{Posts: cards, More: moreHref("/channels/favourites", page.Next)}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.CardList(c))
	}
	return memberScreen(e, http.StatusOK, web.T(e, "channels.favourites"), "/channels", views.FavouritesView(views.Favourites{Cards: c}))
}

// searchPage is GET /channels/search[?q=]: channels by name or handle and
// posts by caption.
func (h handlers) searchPage(e *core.RequestEvent) error {
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	s := views.Search{Query: q, Searched: q != ""}
	if q != "" {
		found, err := h.ch.Search(e.Auth.Id, q)
		if err != nil {
			return err
		}
		for _, c := range found.Channels {
			s.Channels = append(s.Channels, pageChannel(e, c, ""))
		}
		s.Posts = views.Grid{Tiles: pageTiles(e, found.Posts)}
	}
	return memberScreen(e, http.StatusOK, web.T(e, "channels.search"), "/channels", views.SearchView(s))
}
