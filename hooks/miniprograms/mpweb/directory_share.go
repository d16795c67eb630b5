package mpweb

import (
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/chat/chatweb"
	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	views "plaza/views/mp"
)

// Sharing a live app into chats as its card (the registry's "mp" card,
// built by the server from the app's own data: name, description, icon;
// it opens the app with scene card).

// dirShareMax is how many chats one share may go to (as a forward).
const dirShareMax = chat.ForwardTargetsMax

// sharePage is GET /mp/{appid}/share[?title=&back=] (pick the chats) and
// its POST (to, token, back): the card goes into each chat picked, then
// the app opens again with a toast. A resubmitted form sends nothing new
// (the token is the messages' client id). plaza.share()'s title shows as
// a note only: the card is the server's.
func (h handlers) sharePage(e *core.RequestEvent) error {
	a, err := h.liveApp(e, true)
	if err != nil {
		return err
	}
	q := e.Request.URL.Query()
	title := q.Get("title")
	if utf8.RuneCountInString(title) > 60 {
		title = ""
	}
	s := views.DirSharePage{App: dirApp(e, a), Action: "/mp/" + a.AppID + "/share", Title: title, Max: dirShareMax,
		Back: web.SafeNext(q.Get("back"), ""), Token: core.GenerateDefaultRandomId()}
	status := http.StatusOK
	if e.Request.Method == http.MethodPost {
		token := e.Request.PostFormValue("token")
		err := h.shareInto(e, a.AppID, e.Request.PostForm["to"], token)
		if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound && p.Status < 500 {
			s.Error, s.Token, status = dirRefusalText(e, p), token, p.Status
		} else if err != nil {
			return err
		} else {
			back := miniprograms.OpenPath(a.AppID, "share")
			if b := web.SafeNext(e.Request.PostFormValue("back"), ""); b != "" {
				back += "&back=" + url.QueryEscape(b)
			}
			return web.Redirect(e, back)
		}
	}
	picks, err := chatweb.ShareChoices(e, h.chat)
	if err != nil {
		return err
	}
	for _, p := range picks {
		s.Chats = append(s.Chats, views.DirPick(p))
	}
	return dirScreen(e, status, web.T(e, "mp.dir_share_title"), "/mp/"+a.AppID+"/about", views.ShareView(s))
}

// dirRefusalText is a refusal's message: its own, else its first field's.
func dirRefusalText(e *core.RequestEvent, p *problem.Problem) string {
	if msg := web.ProblemMessage(e, p); msg != "" {
		return msg
	}
	if errs := web.FieldErrors(e, p); len(errs) > 0 {
		return errs[0].Message
	}
	return web.T(e, "errors.bad_request")
}

// shareInto sends the app's card into the chats to.
func (h handlers) shareInto(e *core.RequestEvent, appid string, to []string, token string) error {
	me := memberOf(e)
	if len(to) == 0 || len(to) > dirShareMax || token == "" || len(token) > 20 {
		return problem.Invalid("to", "mp.dir_share_pick_error", map[string]any{"max": dirShareMax})
	}
	for _, conv := range to {
		conv, err := chatweb.ShareInto(e, conv)
		if err != nil {
			return err
		}
		if _, err := h.shareCard(me, conv, appid, "mp:"+token); err != nil {
			return err
		}
	}
	return nil
}

// shareCard sends app appid's card into one chat of the member's.
func (h handlers) shareCard(me, conv, appid, clientID string) (chat.SendResult, error) {
	return h.chat.Send(me, conv, chat.SendInput{ClientID: clientID, Kind: chat.MsgCard,
		Card: &chat.CardRequest{Type: miniprograms.CardApp, Ref: appid}})
}
