package oaweb

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/chat"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	shellweb "plaza/hooks/shell"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/oachat"
)

// Followers' chats with accounts and the operators' inbox: the
// "Message" button (/oa/{handle}/chat), Subscriptions, the inbox and a
// thread with its answer form, and their JSON twins.

// registerConversations adds followers' conversations with an account,
// the Subscriptions list and the operators' inbox.
func (h handlers) registerConversations(se *core.ServeEvent) {
	pages := web.Pages(se).BindFunc(web.RequireMember)
	pages.GET("/oa/{handle}/chat", h.chatPage)
	pages.GET("/oa/by-id", h.byIDPage)
	pages.GET("/oa/subscriptions", h.subscriptionsPage)
	pages.GET("/oa/{handle}/console/inbox", h.inboxPage)
	pages.GET("/oa/{handle}/console/inbox/{member}", h.threadPage)
	pages.POST("/oa/{handle}/console/inbox/{member}", h.threadReply)
	api := se.Router.Group("/api/plaza/oa").BindFunc(web.RequireMember)
	api.GET("/accounts/{handle}/chat", h.apiChat)
	api.GET("/subscriptions", h.apiSubscriptions)
	api.POST("/subscriptions/seen", h.apiSubscriptionsSeen)
	api.GET("/accounts/{handle}/inbox", h.apiInbox)
	api.GET("/accounts/{handle}/inbox/{member}", h.apiThread)
	api.POST("/accounts/{handle}/inbox/{member}", h.apiReply)
}

// account is the approved account a path names, as the member sees it.
func (h handlers) account(e *core.RequestEvent) (oa.Account, error) {
	return h.oa.AccountFor(web.Member(e).Id, e.Request.PathValue("handle"))
}

// chatPage is GET /oa/{handle}/chat[?text=]: the follower's chat with the
// account (a menu keyword waits in the composer); one who does not follow
// it lands on its profile.
func (h handlers) chatPage(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	conv, err := h.oa.ChatWith(web.Member(e).Id, a.ID)
	if p, ok := problem.As(err); ok && p.Status == http.StatusNotFound {
		return web.Redirect(e, "/oa/"+a.Handle) // not a follower: the profile, with its Follow button
	} else if err != nil {
		return err
	}
	to := "/chats/" + conv
	if text := e.Request.URL.Query().Get("text"); text != "" {
		to += "?text=" + url.QueryEscape(text)
	}
	return web.Redirect(e, to)
}

// byIDPage is GET /oa/by-id?id=: the profile of the account with that id
// (an account chat's avatars lead here: chat knows the id, not the handle).
func (h handlers) byIDPage(e *core.RequestEvent) error {
	a, err := h.oa.AccountByID(web.Member(e).Id, e.Request.URL.Query().Get("id"))
	if err != nil {
		return err
	}
	return web.Redirect(e, "/oa/"+a.Handle)
}

// subscriptionsPage is GET /oa/subscriptions: the subscription accounts
// the member follows, the newest article first; opening it puts out the
// chat list's dot.
func (h handlers) subscriptionsPage(e *core.RequestEvent) error {
	me := web.Member(e).Id
	list, err := h.oa.Followed(me)
	if err != nil {
		return err
	}
	var v views.Subscriptions
	for _, f := range list {
		if f.Kind != oa.KindSubscription {
			continue
		}
		it := views.Subscription{Handle: f.Handle, Name: f.Name, Initial: initialOf(f.Name), Latest: f.LatestTitle,
			Unread: f.Unread, ChatHref: "/oa/" + f.Handle + "/chat", When: rfc3339(f.LatestAt)}
		if f.HasAvatar {
			it.AvatarURL = "/oa/" + f.Handle + "/avatar"
		}
		if f.Latest != "" {
			it.LatestHref = "/oa/" + f.Handle + "/a/" + f.Latest
		}
		v.Items = append(v.Items, it)
	}
	if err := h.oa.SeeSubscriptions(me); err != nil {
		return err
	}
	s := accountsweb.ShellFor(e, web.T(e, "oa.conv_subscriptions"), layout.TabChats, layout.FocusDetail, "/chats")
	return web.Render(e, http.StatusOK, layout.AppShell(s, layout.PaneHeader(web.T(e, "tabs.chats")), views.SubscriptionsView(v)))
}

// consoleScreen shows a console page under Discover.
func consoleScreen(e *core.RequestEvent, status int, title, back string, body templ.Component) error {
	s := accountsweb.ShellFor(e, title, layout.TabDiscover, layout.FocusDetail, back)
	return web.Render(e, status, layout.AppShell(s, shellweb.DiscoverMenu(e, "oa"), body))
}

// inboxPage is GET /oa/{handle}/console/inbox: the followers who wrote,
// the latest first (operators only: 404 for anyone else).
func (h handlers) inboxPage(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	threads, err := h.oa.Inbox(web.Member(e).Id, a.ID)
	if err != nil {
		return err
	}
	ids := make([]string, len(threads))
	for i, t := range threads {
		ids[i] = t.Member
	}
	faces, err := accounts.Faces(e.App, ids)
	if err != nil {
		return err
	}
	v := views.Inbox{Account: a.Name, Handle: a.Handle}
	for _, t := range threads {
		th := views.Thread{Member: t.Member, Name: "?", Initial: "?", Preview: t.Preview, When: rfc3339(t.LastAt), Open: !t.ReplyUntil.IsZero(),
			Href: "/oa/" + a.Handle + "/console/inbox/" + t.Member}
		if f, ok := faces[t.Member]; ok {
			th.Name, th.Initial, th.AvatarURL = f.DisplayName(), f.Initial(), f.AvatarURL("96x96")
		}
		if t.LastKind == chat.MsgCard {
			th.Preview = web.T(e, "oa.conv_preview_article")
		}
		v.Threads = append(v.Threads, th)
	}
	return consoleScreen(e, http.StatusOK, web.T(e, "oa.conv_inbox_of", map[string]any{"name": a.Name}), "/oa/"+a.Handle+"/console", views.InboxView(v))
}

// threadPage is GET /oa/{handle}/console/inbox/{member}: a follower's chat
// with the answer form while the window is open.
func (h handlers) threadPage(e *core.RequestEvent) error {
	return h.renderThread(e, http.StatusOK, layout.Flash{})
}

// renderThread draws a thread with flash above its form.
func (h handlers) renderThread(e *core.RequestEvent, status int, flash layout.Flash) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	me, member := web.Member(e).Id, e.Request.PathValue("member")
	msgs, err := h.oa.ThreadMessages(me, a.ID, member)
	if err != nil {
		return err
	}
	faces, err := accounts.Faces(e.App, []string{member})
	if err != nil {
		return err
	}
	v := views.ThreadPage{Account: a.Name, Handle: a.Handle, Name: "?", Flash: flash,
		Action: "/oa/" + a.Handle + "/console/inbox/" + member}
	if f, ok := faces[member]; ok {
		v.Name = f.DisplayName()
	}
	for _, m := range msgs {
		text := m.Text
		if m.Kind == chat.MsgCard && m.Card != nil {
			text = m.Card.Title
		} else if m.Kind != chat.MsgText {
			text = web.T(e, "chat.preview_image")
		}
		v.Lines = append(v.Lines, views.Line{FromFollower: m.Sender != "", Text: text, When: m.At.UTC().Format(time.RFC3339)})
	}
	if until, err := h.oa.CanReply(me, a.ID, member); err == nil {
		v.Until = until.UTC().Format(time.RFC3339)
	}
	return consoleScreen(e, status, v.Name, "/oa/"+a.Handle+"/console/inbox", views.ThreadView(v))
}

// threadReply is POST /oa/{handle}/console/inbox/{member}: an operator's
// answer; a refusal (the window closed, an empty text) shows on the page.
func (h handlers) threadReply(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	member := e.Request.PathValue("member")
	_, err = h.oa.Reply(web.Member(e).Id, a.ID, member, e.Request.FormValue("text"))
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		return h.renderThread(e, p.Status, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/oa/"+a.Handle+"/console/inbox/"+member)
}

// initialOf is the first letter of a name, drawn where an account has no
// avatar.
func initialOf(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// rfc3339 is a stored time in RFC 3339 ("" for none).
func rfc3339(stored string) string {
	t, err := types.ParseDateTime(stored)
	if err != nil || t.IsZero() {
		return ""
	}
	return t.Time().UTC().Format(time.RFC3339)
}
