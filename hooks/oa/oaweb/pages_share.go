package oaweb

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
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
	if s.Chats, err = h.shareChoices(e); err != nil {
		return err
	}
	return memberScreen(e, status, web.T(e, "oa.share_title"), href, views.ShareView(s))
}

// friendPick is the value of a friend without a 1:1 chat yet: sharing
// opens it (chat.OpenDirect).
const friendPick = "friend:"

// shareInto sends the article's card into the chats to and returns the
// first.
func (h handlers) shareInto(e *core.RequestEvent, articleID string, to []string, token string) (string, error) {
	me := e.Auth.Id
	if len(to) == 0 || len(to) > shareMax || token == "" || len(token) > 20 {
		return "", problem.Invalid("to", "oa.share_pick_error", map[string]any{"max": shareMax})
	}
	first := ""
	for _, conv := range to {
		if friend, ok := strings.CutPrefix(conv, friendPick); ok {
			var err error
			if conv, err = chat.OpenDirect(e.App, me, friend); err != nil {
				return "", err
			}
		}
		_, err := h.chat.Send(me, conv, chat.SendInput{ClientID: "oa:" + token, Kind: chat.MsgCard,
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

// shareChoices are the member's chats that can take a card, in the chat
// list's order, then their friends they have no chat with yet, by name.
func (h handlers) shareChoices(e *core.RequestEvent) ([]views.Pick, error) {
	me := e.Auth.Id
	list, faces, err := h.chat.ChatList(me)
	if err != nil {
		return nil, err
	}
	var out []views.Pick
	withChat := map[string]bool{}
	for _, c := range list {
		pick := views.Pick{ID: c.ID}
		switch c.Kind {
		case chat.KindDirect:
			f, ok := faces.People[c.Peer]
			if !ok {
				continue
			}
			withChat[c.Peer] = true
			pick.Label, pick.Avatar, pick.Initial = f.Name, f.AvatarURL, f.Initial
		case chat.KindGroup:
			pick.Label = h.chat.GroupTitle(me, c.ID, c.Name)
			pick.Initial = letterOf(pick.Label)
		default: // Plaza's own chats and accounts' chats take nothing
			continue
		}
		out = append(out, pick)
	}
	friends, err := contacts.Friends(e.App, e.Auth)
	if err != nil {
		return nil, err
	}
	var more []views.Pick
	for _, f := range friends {
		if withChat[f.Member.Id] {
			continue
		}
		m := accounts.AsMember(f.Member)
		more = append(more, views.Pick{ID: friendPick + f.Member.Id, Label: f.Label(), Avatar: m.AvatarURL("96x96"), Initial: m.Initial()})
	}
	slices.SortFunc(more, func(a, b views.Pick) int { return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	return append(out, more...), nil
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
