package mpweb

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/web"
)

// The directory's JSON (docs/API.md, "Mini Programs — directory"): the
// twins of its pages, members only.

// registerDirectoryAPI adds the routes under /api/plaza/mp.
func (h handlers) registerDirectoryAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/mp").BindFunc(web.RequireMember)
	api.GET("/directory", h.apiDirectory)
	api.GET("/search", h.apiSearch)
	api.GET("/apps/{appid}", h.apiAppInfo)
	api.POST("/apps/{appid}/share", h.apiShareApp)
	api.POST("/apps/{appid}/report", h.apiReportApp)
	api.GET("/consents", h.apiConsents)
	api.DELETE("/consents/{appid}", h.apiRemoveConsent)
}

// DirAppJSON is an app in a directory list.
type DirAppJSON struct {
	AppID        string `json:"appid"`
	Name         string `json:"name"`
	Category     string `json:"category"`
	Description  string `json:"description"`
	Icon         string `json:"icon"` // a path on this server, "" for none
	WeeklyActive *int   `json:"weekly_active,omitempty"`
}

// AppInfoJSON is an app's public information.
type AppInfoJSON struct {
	DirAppJSON
	Developer string `json:"developer"` // the developer's name
	Version   string `json:"version"`   // the released version, "" for none
	Live      bool   `json:"live"`
	Starred   bool   `json:"starred"`
}

func dirAppJSON(a miniprograms.App) DirAppJSON {
	j := DirAppJSON{AppID: a.AppID, Name: a.Name, Category: a.Category, Description: a.Description}
	if a.Icon != "" {
		j.Icon = miniprograms.IconURL(a.AppID)
	}
	return j
}

// dirAppsJSON are apps as JSON; counts (when not nil) adds their members
// this week.
func dirAppsJSON(list []miniprograms.App, counts map[string]int) []DirAppJSON {
	out := make([]DirAppJSON, 0, len(list))
	for _, a := range list {
		j := dirAppJSON(a)
		if counts != nil {
			n := counts[a.ID]
			j.WeeklyActive = &n
		}
		out = append(out, j)
	}
	return out
}

// apiDirectory is GET /directory: starred, recent and popular (with each
// app's members this week).
func (h handlers) apiDirectory(e *core.RequestEvent) error {
	me := memberOf(e)
	starred, err := h.mp.Starred(me)
	if err != nil {
		return web.APIError(e, err)
	}
	recent, err := h.mp.Recent(me, dirRecentMax)
	if err != nil {
		return web.APIError(e, err)
	}
	popular, err := h.mp.Popular(dirPopularMax)
	if err != nil {
		return web.APIError(e, err)
	}
	counts, err := h.mp.WeeklyActive(popular)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"starred": dirAppsJSON(starred, nil), "recent": dirAppsJSON(recent, nil),
		"popular": dirAppsJSON(popular, counts)})
}

// apiSearch is GET /search?q=&category=: live apps by name or
// description (any length), most used first.
func (h handlers) apiSearch(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	query, cat := q.Get("q"), q.Get("category")
	if utf8.RuneCountInString(query) > 100 {
		return web.APIError(e, problem.Invalid("q", "mp.dir_query_bad", map[string]any{"max": 100}))
	}
	if cat != "" && !slices.Contains(miniprograms.Categories, cat) {
		return web.APIError(e, problem.Invalid("category", "mp.category_bad", nil))
	}
	list, err := h.mp.Search(query, cat, dirSearchMax)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": dirAppsJSON(list, nil)})
}

// apiAppInfo is GET /apps/{appid}: an app's public information (a live
// app, or the developer's own).
func (h handlers) apiAppInfo(e *core.RequestEvent) error {
	a, err := h.liveApp(e, false)
	if err != nil {
		return web.APIError(e, err)
	}
	info := AppInfoJSON{DirAppJSON: dirAppJSON(a), Live: a.Live()}
	names, err := accounts.Names(e.App, []string{a.Developer})
	if err != nil {
		return web.APIError(e, err)
	}
	info.Developer = names[a.Developer]
	if a.Released != "" {
		v, err := h.mp.VersionOf(a, a.Released)
		if err != nil {
			return web.APIError(e, err)
		}
		info.Version = v.Version
	}
	if info.Starred, err = h.mp.IsStarred(memberOf(e), a); err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, info)
}

// apiShareApp is POST /apps/{appid}/share {conversation, client_id}: the
// live app's card into one of the member's chats; the answer is the
// message. A retry with the same client_id sends nothing twice.
func (h handlers) apiShareApp(e *core.RequestEvent) error {
	var in struct {
		Conversation string `json:"conversation"`
		ClientID     string `json:"client_id"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	a, err := h.liveApp(e, true)
	if err != nil {
		return web.APIError(e, err)
	}
	if in.Conversation == "" {
		return web.APIError(e, problem.Invalid("conversation", "mp.dir_share_pick_error", map[string]any{"max": 1}))
	}
	if len(in.ClientID) > 40 {
		return web.APIError(e, problem.Invalid("client_id", "errors.bad_request", nil))
	}
	if in.ClientID == "" {
		in.ClientID = core.GenerateDefaultRandomId()
	}
	res, err := h.shareCard(memberOf(e), in.Conversation, a.AppID, "mp:"+in.ClientID)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, res.Message)
}

// apiReportApp is POST /apps/{appid}/report {reason, note}: 204 once the
// report is in the moderators' queue.
func (h handlers) apiReportApp(e *core.RequestEvent) error {
	var in struct {
		Reason string `json:"reason"`
		Note   string `json:"note"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	if err := h.mp.Report(memberOf(e), appidOf(e), reports.Input{Reason: in.Reason, Note: in.Note}); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// apiConsents is GET /consents: the apps that may see the member's name
// and photo.
func (h handlers) apiConsents(e *core.RequestEvent) error {
	list, err := h.mp.Consents(memberOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"items": dirAppsJSON(list, nil)})
}

// apiRemoveConsent is DELETE /consents/{appid}: the app no longer sees
// the member's profile.
func (h handlers) apiRemoveConsent(e *core.RequestEvent) error {
	if err := h.revoke(memberOf(e), appidOf(e)); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
