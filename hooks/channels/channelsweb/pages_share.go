package channelsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"plaza/hooks/channels"
	"plaza/hooks/chat"
	"plaza/hooks/chat/chatweb"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/reports/reportsweb"
	"plaza/hooks/web"
	views "plaza/views/channels"
	chatviews "plaza/views/chat"
)

// Sharing a post into chats as its card (the registry's channel_post
// card, which chat builds from Channels' own data), and reporting a post
// or a comment with the shared report form into the one queue.

// shareMax is how many chats one share may go to (as many as a forward).
const shareMax = chat.ForwardTargetsMax

func (h handlers) registerSharePages(members *router.RouterGroup[*core.RequestEvent]) {
	members.GET("/channels/p/{id}/share", h.sharePage)
	members.POST("/channels/p/{id}/share", h.sharePage)
	members.GET("/channels/p/{id}/report", h.reportPostPage)
	members.POST("/channels/p/{id}/report", h.reportPostPage)
	members.GET("/channels/comments/{id}/report", h.reportCommentPage)
	members.POST("/channels/comments/{id}/report", h.reportCommentPage)
}

// sharePage is GET /channels/p/{id}/share (pick the chats) and its POST
// (to, token): the card goes into each chat picked, then the first chat
// opens. A resubmitted form sends nothing new (the token is the
// messages' client id).
func (h handlers) sharePage(e *core.RequestEvent) error {
	me := e.Auth.Id
	p, err := h.ch.PostFor(me, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	posts, err := pagePosts(e, []channels.Post{p}, "")
	if err != nil {
		return err
	}
	s := views.Share{Post: posts[0], Token: core.GenerateDefaultRandomId(), Max: shareMax}
	status := http.StatusOK
	if e.Request.Method == http.MethodPost {
		token := e.Request.PostFormValue("token")
		first, err := h.shareInto(e, p.ID, e.Request.PostForm["to"], token)
		if refused := pageRefusal(err); refused != nil {
			s.Error, s.Token, status = refusalText(e, refused), token, refused.Status
		} else if err != nil {
			return err
		} else {
			return web.Redirect(e, "/chats/"+first)
		}
	}
	picks, err := chatweb.ShareChoices(e, h.chat)
	if err != nil {
		return err
	}
	for _, p := range picks {
		s.Chats = append(s.Chats, views.Pick(p))
	}
	return memberScreen(e, status, web.T(e, "channels.share_title"), s.Post.URL, views.ShareView(s))
}

// shareInto sends post's card into the chats to and returns the first.
func (h handlers) shareInto(e *core.RequestEvent, postID string, to []string, token string) (string, error) {
	me := e.Auth.Id
	if len(to) == 0 || len(to) > shareMax || token == "" || len(token) > 20 {
		return "", problem.Invalid("to", "channels.share_pick_error", map[string]any{"max": shareMax})
	}
	first := ""
	for _, conv := range to {
		conv, err := chatweb.ShareInto(e, conv)
		if err != nil {
			return "", err
		}
		_, err = h.chat.Send(me, conv, chat.SendInput{ClientID: "channels:" + token, Kind: chat.MsgCard,
			Card: &chat.CardRequest{Type: channels.CardPost, Ref: postID}})
		if err != nil {
			return "", err
		}
		if first == "" {
			first = conv
		}
	}
	return first, nil
}

// reportPostPage shows and files a report about a post.
func (h handlers) reportPostPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	p, err := h.ch.PostFor(e.Auth.Id, id)
	if err != nil {
		return err
	}
	subject := p.Caption
	if subject == "" {
		subject = web.T(e, "channels.post_by", map[string]any{"name": p.Channel.Name})
	}
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: subject, Back: channels.PostPath(p.Channel.Handle, p.ID)}
	return h.reportScreen(e, m, func(in reports.Input) error { return h.ch.ReportPost(e.Auth.Id, id, in) })
}

// reportCommentPage shows and files a report about a comment.
func (h handlers) reportCommentPage(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: web.T(e, "channels.report_comment"), Back: "/channels"}
	return h.reportScreen(e, m, func(in reports.Input) error { return h.ch.ReportComment(e.Auth.Id, id, in) })
}

func (h handlers) reportScreen(e *core.RequestEvent, m chatviews.ReportForm, file func(reports.Input) error) error {
	status, m, err := reportsweb.Submit(e, m, file)
	if err != nil {
		return err
	}
	return memberScreen(e, status, web.T(e, "chat.report"), m.Back, chatviews.ReportPage(m))
}
