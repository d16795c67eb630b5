package walletweb

import (
	"net/http"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

// Transfers: the send form, a transfer's page, accepting and returning.

func (h pages) transferForm(e *core.RequestEvent) (views.TransferForm, error) {
	conv := e.Request.URL.Query().Get("c")
	peer, err := h.w.DirectPeer(e.Auth.Id, conv)
	if err != nil {
		return views.TransferForm{}, err
	}
	return views.TransferForm{PayFields: h.payFields(e, e.Request.FormValue("key")), Conv: conv, To: h.w.MemberName(peer), Balance: h.balanceText(e)}, nil
}

func (h pages) sendTransfer(e *core.RequestEvent) error {
	f, err := h.transferForm(e)
	if err != nil {
		return err
	}
	f.Amount, f.Note = e.Request.FormValue("amount"), e.Request.FormValue("note")
	amount, err := parseAmount("amount", f.Amount)
	if err == nil {
		_, err = h.w.SendTransfer(e.Auth.Id, f.Key, wallet.TransferInput{Conversation: f.Conv, Amount: amount, Note: f.Note}, wallet.WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/chats/"+f.Conv)
	}
	return h.refuseForm(e, err, web.T(e, "wallet.send_transfer"), func(flash layout.Flash, errs []layout.FieldError) templ.Component {
		f.Flash, f.Errors = flash, errs
		return views.TransferPage(f)
	})
}

func (h pages) transferDetail(e *core.RequestEvent) error {
	t, err := h.w.TransferFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return h.renderTransfer(e, http.StatusOK, t, layout.Flash{})
}

func (h pages) renderTransfer(e *core.RequestEvent, status int, t wallet.Transfer, flash layout.Flash) error {
	state := h.w.StateNow(t)
	v := views.TransferView{ID: t.ID, Amount: h.w.Money(t.Amount), Note: t.Note, StateKey: state,
		State: web.T(e, "wallet.transfer_state_"+state), From: h.w.MemberName(t.Sender), To: h.w.MemberName(t.Recipient),
		Conv: t.Conversation, CanAct: state == wallet.TransferPending && t.Recipient == e.Auth.Id,
		Expires: t.Expires.UTC().Format(time.RFC3339), Flash: flash}
	return h.render(e, status, web.T(e, "wallet.card_transfer"), views.TransferDetail(v))
}

// settleFunc is the recipient's answer to a transfer: accept or return.
func settleFunc(w *wallet.Wallet, accept bool) func(memberID, id string) (wallet.Transfer, error) {
	if accept {
		return w.AcceptTransfer
	}
	return w.ReturnTransfer
}

func (h pages) settle(accept bool) func(e *core.RequestEvent) error {
	settle := settleFunc(h.w, accept)
	return func(e *core.RequestEvent) error {
		id := e.Request.PathValue("id")
		_, err := settle(e.Auth.Id, id)
		if p, ok := problem.As(err); ok && p.Status == http.StatusConflict {
			t, terr := h.w.TransferFor(e.Auth.Id, id)
			if terr != nil {
				return terr
			}
			return h.renderTransfer(e, p.Status, t, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
		}
		if err != nil {
			return err
		}
		return web.Redirect(e, "/wallet/transfers/"+id)
	}
}
