package oaweb

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/accounts"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// The console's settings: keyword auto-replies and the account's texts
// (description, welcome, default reply), the custom menu (pages_menu.go),
// the operators and the webhook (owner only), and the stats
// (pages_stats.go).

func (h handlers) registerSettingsPages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/oa/{handle}/console/replies", h.repliesPage)
	members.POST("/oa/{handle}/console/replies", h.addReplyPage)
	members.POST("/oa/{handle}/console/replies/{id}/remove", h.removeReplyPage)
	members.POST("/oa/{handle}/console/texts", h.textsPage)
	members.GET("/oa/{handle}/console/menu", h.menuPage)
	members.POST("/oa/{handle}/console/menu", h.menuPage)
	members.GET("/oa/{handle}/console/team", h.teamPage)
	members.POST("/oa/{handle}/console/operators", h.addOperatorPage)
	members.POST("/oa/{handle}/console/operators/{member}/remove", h.removeOperatorPage)
	members.POST("/oa/{handle}/console/webhook", h.webhookPage)
	members.GET("/oa/{handle}/console/stats", h.statsPage)
}

// repliesModel is the auto-replies page of a.
func (h handlers) repliesModel(e *core.RequestEvent, a oa.Account) (views.Replies, error) {
	rules, err := h.oa.AutoReplies(e.Auth.Id, a.ID)
	if err != nil {
		return views.Replies{}, err
	}
	texts, err := h.oa.ConsoleTexts(e.Auth.Id, a.ID)
	if err != nil {
		return views.Replies{}, err
	}
	v := views.Replies{Nav: nav(a, "replies"), Match: oa.MatchExact, Description: texts.Description, Welcome: texts.Welcome,
		DefaultReply: texts.DefaultReply}
	for _, r := range rules {
		v.Rules = append(v.Rules, views.Rule{Keyword: r.Keyword, Match: web.T(e, "oa.match_"+r.Match), Reply: r.Reply,
			Remove: consoleBase(a.Handle) + "/replies/" + url.PathEscape(r.ID) + "/remove"})
	}
	return v, nil
}

// repliesPage is GET /oa/{handle}/console/replies.
func (h handlers) repliesPage(e *core.RequestEvent) error {
	return h.renderReplies(e, nil, nil)
}

// renderReplies shows the auto-replies page; refused (with edit, the
// form's values) shows beside the form.
func (h handlers) renderReplies(e *core.RequestEvent, refused *problem.Problem, edit func(*views.Replies)) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	v, err := h.repliesModel(e, a)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if refused != nil {
		edit(&v)
		v.Errors, v.Flash, status = web.FieldErrors(e, refused), refusalFlash(e, refused), refused.Status
	} else {
		v.Flash = pageFlash(e, "rule_added", "rule_removed", "texts_saved")
	}
	return memberScreen(e, status, web.T(e, "oa.console_replies"), consoleBase(a.Handle), views.RepliesView(v))
}

// addReplyPage is POST /oa/{handle}/console/replies (keyword, match,
// reply).
func (h handlers) addReplyPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	r := oa.AutoReplyRule{Keyword: e.Request.FormValue("keyword"), Match: e.Request.FormValue("match"), Reply: e.Request.FormValue("reply")}
	_, err = h.oa.SetAutoReply(e.Auth.Id, a.ID, r)
	if refused := pageRefusal(err); refused != nil {
		return h.renderReplies(e, refused, func(v *views.Replies) { v.Keyword, v.Match, v.Reply = r.Keyword, r.Match, r.Reply })
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/replies?done=rule_added")
}

// removeReplyPage is POST /oa/{handle}/console/replies/{id}/remove.
func (h handlers) removeReplyPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	if err := h.oa.RemoveAutoReply(e.Auth.Id, a.ID, e.Request.PathValue("id")); err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/replies?done=rule_removed")
}

// textsPage is POST /oa/{handle}/console/texts (description, welcome,
// default_reply).
func (h handlers) textsPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	desc, welcome, def := e.Request.FormValue("description"), e.Request.FormValue("welcome"), e.Request.FormValue("default_reply")
	err = h.oa.SetTexts(e.Auth.Id, a.ID, oa.Texts{Description: &desc, Welcome: &welcome, DefaultReply: &def})
	if refused := pageRefusal(err); refused != nil {
		return h.renderReplies(e, refused, func(v *views.Replies) { v.Description, v.Welcome, v.DefaultReply = desc, welcome, def })
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/replies?done=texts_saved")
}

// ownerConsole is the console when the member owns the account (the team
// and webhook are the owner's; anyone else gets oa.not_found).
func (h handlers) ownerConsole(e *core.RequestEvent) (oa.Account, error) {
	a, err := h.consoleOf(e)
	if err == nil && !a.Mine {
		err = notFoundProblem()
	}
	return a, err
}

// teamPage is GET /oa/{handle}/console/team: the operators and the
// webhook.
func (h handlers) teamPage(e *core.RequestEvent) error {
	return h.renderTeam(e, http.StatusOK, func(*views.Team) {})
}

// renderTeam shows the team page as edit leaves it.
func (h handlers) renderTeam(e *core.RequestEvent, status int, edit func(*views.Team)) error {
	a, err := h.ownerConsole(e)
	if err != nil {
		return err
	}
	ops, err := h.oa.Operators(e.Auth.Id, a.ID)
	if err != nil {
		return err
	}
	ids := make([]string, len(ops))
	for i, o := range ops {
		ids[i] = o.Member
	}
	faces, err := accounts.Faces(e.App, ids)
	if err != nil {
		return err
	}
	t := views.Team{Nav: nav(a, "team"), Flash: pageFlash(e, "operator_added", "operator_removed", "webhook_saved")}
	if t.Webhook, err = h.oa.WebhookURL(e.Auth.Id, a.ID); err != nil {
		return err
	}
	for _, o := range ops {
		row := views.OperatorRow{Name: "?", Owner: o.Owner,
			Remove: consoleBase(a.Handle) + "/operators/" + url.PathEscape(o.Member) + "/remove"}
		if m, ok := faces[o.Member]; ok {
			row.Name, row.PlazaID = m.DisplayName(), m.PlazaID()
		}
		t.Operators = append(t.Operators, row)
	}
	edit(&t)
	return memberScreen(e, status, web.T(e, "oa.console_team"), consoleBase(a.Handle), views.TeamView(t))
}

// addOperatorPage is POST /oa/{handle}/console/operators (member: a Plaza
// ID).
func (h handlers) addOperatorPage(e *core.RequestEvent) error {
	a, err := h.ownerConsole(e)
	if err != nil {
		return err
	}
	err = problem.Invalid("member", "oa.bad_operator", nil)
	if rec, ferr := accounts.FindByPlazaID(e.App, strings.TrimSpace(e.Request.FormValue("member"))); ferr == nil {
		err = h.oa.AddOperator(e.Auth.Id, a.ID, rec.Id)
	}
	if refused := pageRefusal(err); refused != nil {
		return h.renderTeam(e, refused.Status, func(t *views.Team) {
			t.Errors, t.Flash = web.FieldErrors(e, refused), refusalFlash(e, refused)
		})
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/team?done=operator_added")
}

// removeOperatorPage is POST /oa/{handle}/console/operators/{member}/remove.
func (h handlers) removeOperatorPage(e *core.RequestEvent) error {
	a, err := h.ownerConsole(e)
	if err != nil {
		return err
	}
	if err := h.oa.RemoveOperator(e.Auth.Id, a.ID, e.Request.PathValue("member")); err != nil {
		return err
	}
	return web.Redirect(e, consoleBase(a.Handle)+"/team?done=operator_removed")
}

// webhookPage is POST /oa/{handle}/console/webhook (url; "" turns it
// off): the team page again, with the secret shown this once.
func (h handlers) webhookPage(e *core.RequestEvent) error {
	a, err := h.ownerConsole(e)
	if err != nil {
		return err
	}
	address := e.Request.FormValue("url")
	secret, err := h.oa.SetWebhook(e.Auth.Id, a.ID, address)
	if refused := pageRefusal(err); refused != nil {
		return h.renderTeam(e, refused.Status, func(t *views.Team) {
			t.Webhook, t.Errors, t.Flash = address, web.FieldErrors(e, refused), refusalFlash(e, refused)
		})
	}
	if err != nil {
		return err
	}
	return h.renderTeam(e, http.StatusOK, func(t *views.Team) {
		t.Flash.Kind, t.Flash.Message = "ok", web.T(e, "oa.done_webhook_saved")
		if address != "" {
			t.Secret = secret
		}
	})
}
