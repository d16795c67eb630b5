package mpdemoweb

import (
	"io"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/demo/mpdemo"
)

// menu is GET /mp-demo/coffee/api/menu: the café's drinks and prices.
func (h handlers) menu(e *core.RequestEvent) error {
	return answer(e, map[string]any{"menu": mpdemo.Menu}, nil)
}

// session is POST /mp-demo/coffee/api/session {code}: the café's session
// for the member a plaza.login() code stands for.
func (h handlers) session(e *core.RequestEvent) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := bind(e, &in); err != nil {
		return answer(e, nil, err)
	}
	token, expires, err := h.srv.OpenSession(e.Request.Context(), in.Code)
	return answer(e, map[string]any{"session": token, "expires_in": int(mpdemo.SessionTTL.Seconds()), "expires": expires}, err)
}

// order is POST /mp-demo/coffee/api/orders {session, items:[{id, qty}]}:
// the café prices it and creates it at Plaza → {order_no, amount,
// description, status}.
func (h handlers) order(e *core.RequestEvent) error {
	var in struct {
		Session string        `json:"session"`
		Items   []mpdemo.Line `json:"items"`
	}
	if err := bind(e, &in); err != nil {
		return answer(e, nil, err)
	}
	o, err := h.srv.PlaceOrder(e.Request.Context(), in.Session, in.Items)
	return answer(e, o, err)
}

// confirm is POST /mp-demo/coffee/api/orders/{no}/confirm {session}: the
// café asks Plaza whether the order was paid → the order as the café now
// keeps it (status "paid" once Plaza says so).
func (h handlers) confirm(e *core.RequestEvent) error {
	var in struct {
		Session string `json:"session"`
	}
	if err := bind(e, &in); err != nil {
		return answer(e, nil, err)
	}
	o, err := h.srv.Confirm(e.Request.Context(), in.Session, e.Request.PathValue("no"))
	return answer(e, o, err)
}

// webhook is POST /mp-demo/coffee/api/webhook: Plaza's signed order
// events.
func (h handlers) webhook(e *core.RequestEvent) error {
	body, err := io.ReadAll(io.LimitReader(e.Request.Body, bodyMax+1))
	if err != nil || len(body) > bodyMax {
		return answer(e, nil, &mpdemo.Error{Status: http.StatusRequestEntityTooLarge, Code: "demo.bad_request", Message: "Too large.", Data: map[string]any{}})
	}
	err = h.srv.Webhook(e.Request.Header, body)
	return answer(e, map[string]bool{"ok": true}, err)
}

// results is GET /mp-demo/poll/api/results: the question and the counts.
func (h handlers) results(e *core.RequestEvent) error {
	r, err := h.srv.Results()
	return answer(e, r, err)
}

// vote is POST /mp-demo/poll/api/vote {code, choice}: one vote per
// member (409 demo.already_voted) → the results with "voted".
func (h handlers) vote(e *core.RequestEvent) error {
	var in struct {
		Code   string `json:"code"`
		Choice string `json:"choice"`
	}
	if err := bind(e, &in); err != nil {
		return answer(e, nil, err)
	}
	r, err := h.srv.Vote(e.Request.Context(), in.Code, in.Choice)
	return answer(e, r, err)
}

// me is POST /mp-demo/poll/api/me {launch}: the vote of the member the
// signed launch parameters name → {voted: choice | null}.
func (h handlers) me(e *core.RequestEvent) error {
	var in struct {
		Launch string `json:"launch"`
	}
	if err := bind(e, &in); err != nil {
		return answer(e, nil, err)
	}
	voted, err := h.srv.Me(in.Launch)
	return answer(e, map[string]any{"voted": voted}, err)
}
