package oaweb

import (
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/chat/chatweb"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
	"plaza/hooks/web"
	chatviews "plaza/views/chat"
	views "plaza/views/oa"
)

// Sharing an article into chats as its card (the registry's oa_article
// card, built from Official Accounts' own data) or into Moments, and
// reporting an article or a comment with the shared report form.

// shareMax is how many chats one share may go to (as many as a forward).
const shareMax = chat.ForwardTargetsMax

// sharePage is GET /oa/{handle}/a/{article}/share (pick the chats) and its
// POST (to, token): the card goes into each chat picked, then the first
// chat opens. A resubmitted form sends nothing new (the token is the
// messages' client id).
func (h handlers) sharePage(e *core.RequestEvent) error {
	a, art, err := h.articleIn(e)
	if err != nil {
		return err
	}
	if art.PublishedAt == "" {
		return notFoundProblem()
	}
	href := oa.ArticlePath(a.Handle, art.ID)
	s := views.Share{Article: pageArticleItem(a.Handle, art), Account: a.Name, Action: href + "/share", Max: shareMax,
		Moments: "/moments/new?share_type=" + oa.CardArticle + "&share_ref=" + url.QueryEscape(art.ID),
		Token:   core.GenerateDefaultRandomId()}
	status := http.StatusOK
	if e.Request.Method == http.MethodPost {
		token := e.Request.PostFormValue("token")
		first, err := h.shareInto(e, art.ID, e.Request.PostForm["to"], token)
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
	return memberScreen(e, status, web.T(e, "oa.share_title"), href, views.ShareView(s))
}

// shareInto sends the article's card into the chats to and returns the
// first.
func (h handlers) shareInto(e *core.RequestEvent, articleID string, to []string, token string) (string, error) {
	me := e.Auth.Id
	if len(to) == 0 || len(to) > shareMax || token == "" || len(token) > 20 {
		return "", problem.Invalid("to", "oa.share_pick_error", map[string]any{"max": shareMax})
	}
	first := ""
	for _, conv := range to {
		conv, err := chatweb.ShareInto(e, conv)
		if err != nil {
			return "", err
		}
		_, err = h.chat.Send(me, conv, chat.SendInput{ClientID: "oa:" + token, Kind: chat.MsgCard,
			Card: &chat.CardRequest{Type: oa.CardArticle, Ref: articleID}})
		if err != nil {
			return "", err
		}
		if first == "" {
			first = conv
		}
	}
	return first, nil
}

// reportArticlePage shows and files a report about an article.
func (h handlers) reportArticlePage(e *core.RequestEvent) error {
	a, art, err := h.articleIn(e)
	if err != nil {
		return err
	}
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: art.Title, Back: oa.ArticlePath(a.Handle, art.ID)}
	return h.reportScreen(e, m, func(in reports.Input) error { return h.oa.ReportArticle(e.Auth.Id, art.ID, in) })
}

// reportCommentPage shows and files a report about a comment.
func (h handlers) reportCommentPage(e *core.RequestEvent) error {
	a, art, err := h.articleIn(e)
	if err != nil {
		return err
	}
	id := e.Request.PathValue("id")
	m := chatviews.ReportForm{Action: e.Request.URL.Path, Subject: web.T(e, "oa.report_comment"), Back: oa.ArticlePath(a.Handle, art.ID)}
	return h.reportScreen(e, m, func(in reports.Input) error { return h.oa.ReportComment(e.Auth.Id, id, in) })
}
