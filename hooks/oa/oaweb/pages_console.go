package oaweb

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// The operators' console: the articles (drafts and published) with their
// broadcasts, writing and editing, broadcasting now or at a time,
// cancelling a scheduled broadcast, deleting. Anyone who does not run the
// account gets the one 404 the domain gives (oa.not_found).

func (h handlers) registerConsolePages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/oa/{handle}/console", h.consolePage)
	members.GET("/oa/{handle}/console/write", h.writePage)
	members.POST("/oa/{handle}/console/write", h.writePage).Bind(apisBodyLimit())
	members.GET("/oa/{handle}/console/a/{article}", h.editPage)
	members.POST("/oa/{handle}/console/a/{article}", h.editPage).Bind(apisBodyLimit())
	members.POST("/oa/{handle}/console/a/{article}/delete", h.deletePage)
	members.POST("/oa/{handle}/console/a/{article}/broadcast", h.broadcastPage)
	members.POST("/oa/{handle}/console/broadcasts/{id}/cancel", h.cancelPage)
	members.GET("/oa/{handle}/console/a/{article}/comments", h.moderationPage)
	members.POST("/oa/{handle}/console/comments/{id}/show", h.showCommentPage)
	members.POST("/oa/{handle}/console/comments/{id}/reply", h.replyCommentPage)
}

// consoleOf is the approved account the path names when the member runs
// it (oa.not_found otherwise).
func (h handlers) consoleOf(e *core.RequestEvent) (oa.Account, error) {
	a, err := h.oa.AccountFor(e.Auth.Id, e.Request.PathValue("handle"))
	if err != nil {
		return a, err
	}
	if !a.Operator || a.Status != oa.StatusApproved {
		return a, notFoundProblem()
	}
	return a, nil
}

// consoleBase is an account's console.
func consoleBase(handle string) string { return oa.AccountPath(handle) + "/console" }

// nav is the console's header for the section current.
func nav(a oa.Account, current string) views.Nav {
	return views.Nav{Handle: a.Handle, Name: a.Name, Base: consoleBase(a.Handle), Current: current, Owner: a.Mine}
}

// consolePage is GET /oa/{handle}/console: the articles and broadcasts.
func (h handlers) consolePage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	v, err := h.consoleModel(e, a)
	if err != nil {
		return err
	}
	v.Flash = pageFlash(e, "deleted", "broadcast", "scheduled", "cancelled")
	return memberScreen(e, http.StatusOK, web.T(e, "oa.console"), oa.AccountPath(a.Handle), views.ConsoleView(v))
}

// consoleModel is the console's first page for the account.
func (h handlers) consoleModel(e *core.RequestEvent, a oa.Account) (views.Console, error) {
	me := e.Auth.Id
	list, err := h.oa.Articles(me, a.ID)
	if err != nil {
		return views.Console{}, err
	}
	bs, err := h.oa.Broadcasts(me, a.ID)
	if err != nil {
		return views.Console{}, err
	}
	v := views.Console{Nav: nav(a, "articles"), Quota: quotaText(e, a.Kind)}
	titles, state := map[string]string{}, map[string]string{}
	for _, art := range list {
		titles[art.ID] = art.Title
	}
	for _, b := range bs {
		if b.Status == oa.BroadcastCancelled {
			continue
		}
		item := views.BroadcastItem{ID: b.ID, Title: titles[b.Article], Status: web.T(e, "oa.broadcast_"+b.Status)}
		item.ISO, item.Date = stamp(b.ScheduledAt)
		if b.Status == oa.BroadcastScheduled {
			item.Cancel = consoleBase(a.Handle) + "/broadcasts/" + url.PathEscape(b.ID) + "/cancel"
		}
		if _, ok := state[b.Article]; !ok {
			state[b.Article] = item.Status
		}
		v.Broadcasts = append(v.Broadcasts, item)
	}
	for _, art := range list {
		item := pageArticleItem(a.Handle, art)
		item.Broadcast, item.EditURL = state[art.ID], consoleBase(a.Handle)+"/a/"+url.PathEscape(art.ID)
		v.Articles = append(v.Articles, item)
	}
	return v, nil
}

// quotaText states the community's broadcast quota for an account's kind.
func quotaText(e *core.RequestEvent, kind string) string {
	s := settings.Get(e.App)
	if kind == oa.KindService {
		return web.T(e, "oa.quota_service", map[string]any{"count": s.OAServicePerMonth})
	}
	return web.T(e, "oa.quota_subscription", map[string]any{"count": s.OASubscriptionPerDay})
}

// broadcastPage is POST /oa/{handle}/console/a/{article}/broadcast (when
// now|later, at as datetime-local, tz the browser's offset in minutes):
// then the console; a refusal (over the quota, too far ahead, broadcast
// already) shows on the article's form.
func (h handlers) broadcastPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	at, err := broadcastTime(e)
	if err == nil {
		_, err = h.oa.Broadcast(e.Auth.Id, e.Request.PathValue("article"), at)
	}
	if refused := pageRefusal(err); refused != nil {
		return h.renderEditor(e, a, e.Request.PathValue("article"), refused)
	}
	if err != nil {
		return err
	}
	done := "broadcast"
	if !at.IsZero() {
		done = "scheduled"
	}
	return web.Redirect(e, withDone(consoleBase(a.Handle), done))
}

// broadcastTime is the form's time: zero for now; a datetime-local in the
// browser's zone (tz: minutes behind UTC, as JavaScript's
// getTimezoneOffset; UTC without script) for later.
func broadcastTime(e *core.RequestEvent) (time.Time, error) {
	if e.Request.FormValue("when") != "later" {
		return time.Time{}, nil
	}
	local, err := time.Parse("2006-01-02T15:04", e.Request.FormValue("at"))
	if err != nil {
		return time.Time{}, problem.Invalid("at", "oa.bad_time", nil)
	}
	tz, _ := strconv.Atoi(e.Request.FormValue("tz"))
	if tz < -14*60 || tz > 14*60 {
		tz = 0
	}
	return local.Add(time.Duration(tz) * time.Minute).UTC(), nil
}

// cancelPage is POST /oa/{handle}/console/broadcasts/{id}/cancel.
func (h handlers) cancelPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	err = h.oa.CancelBroadcast(e.Auth.Id, e.Request.PathValue("id"))
	if refused := pageRefusal(err); refused != nil {
		v, merr := h.consoleModel(e, a)
		if merr != nil {
			return merr
		}
		v.Flash = refusalFlash(e, refused)
		return memberScreen(e, refused.Status, web.T(e, "oa.console"), oa.AccountPath(a.Handle), views.ConsoleView(v))
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, withDone(consoleBase(a.Handle), "cancelled"))
}

// deletePage is POST /oa/{handle}/console/a/{article}/delete: then the
// console, which says so.
func (h handlers) deletePage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	if err := h.oa.DeleteArticle(e.Auth.Id, e.Request.PathValue("article")); err != nil {
		return err
	}
	return web.Redirect(e, withDone(consoleBase(a.Handle), "deleted"))
}
