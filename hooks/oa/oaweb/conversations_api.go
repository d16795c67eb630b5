package oaweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/oa"
	"plaza/hooks/web"
)

// apiChat is GET /api/plaza/oa/accounts/{handle}/chat: the follower's
// chat with the account ({"conversation"}: send into it with chat's API).
func (h handlers) apiChat(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	conv, err := h.oa.ChatWith(web.Member(e).Id, a.ID)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]string{"conversation": conv})
}

// apiSubscriptions is GET /api/plaza/oa/subscriptions: the subscription
// accounts the member follows with their newest article and whether it
// is unread (nothing is marked seen: POST …/subscriptions/seen does).
func (h handlers) apiSubscriptions(e *core.RequestEvent) error {
	list, err := h.oa.Followed(web.Member(e).Id)
	if err != nil {
		return err
	}
	items := []oa.Followed{}
	for _, f := range list {
		if f.Kind == oa.KindSubscription {
			items = append(items, f)
		}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// apiSubscriptionsSeen is POST /api/plaza/oa/subscriptions/seen: the
// member has looked; the chat list's dot goes out on every tab.
func (h handlers) apiSubscriptionsSeen(e *core.RequestEvent) error {
	if err := h.oa.SeeSubscriptions(web.Member(e).Id); err != nil {
		return err
	}
	return e.NoContent(http.StatusNoContent)
}

// apiInbox is GET /api/plaza/oa/accounts/{handle}/inbox: the followers
// who wrote, the latest first, each with until when it may be answered.
func (h handlers) apiInbox(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	threads, err := h.oa.Inbox(web.Member(e).Id, a.ID)
	if err != nil {
		return err
	}
	if threads == nil {
		threads = []oa.Thread{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": threads})
}

// apiThread is GET /api/plaza/oa/accounts/{handle}/inbox/{member}: the
// latest 100 messages of a follower's chat ("sender" empty: the account).
func (h handlers) apiThread(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	msgs, err := h.oa.ThreadMessages(web.Member(e).Id, a.ID, e.Request.PathValue("member"))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"items": msgs})
}

// apiReply is POST /api/plaza/oa/accounts/{handle}/inbox/{member}
// {"text"}: an operator's answer inside the 48-hour window.
func (h handlers) apiReply(e *core.RequestEvent) error {
	a, err := h.account(e)
	if err != nil {
		return err
	}
	var body struct {
		Text string `json:"text"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return err
	}
	m, err := h.oa.Reply(web.Member(e).Id, a.ID, e.Request.PathValue("member"), body.Text)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, m)
}
