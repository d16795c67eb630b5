package walletweb

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

// AA collections: the start form, a collection's page and paying a share.

func (h pages) aaForm(e *core.RequestEvent) (views.AAForm, error) {
	conv := e.Request.URL.Query().Get("c")
	ids, err := h.w.AAMembers(e.Auth.Id, conv)
	if err != nil {
		return views.AAForm{}, err
	}
	f := views.AAForm{Conv: conv, Key: formKey(e.Request.FormValue("key"))}
	chosen := map[string]bool{}
	for _, m := range e.Request.Form["m"] {
		chosen[m] = true
	}
	for _, id := range ids {
		f.Members = append(f.Members, views.Option{Value: id, Label: h.w.MemberName(id), Selected: chosen[id] || e.Request.Method == http.MethodGet})
	}
	return f, nil
}

func (h pages) startAA(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	f, err := h.aaForm(e)
	if err != nil {
		return err
	}
	f.Title, f.Each = e.Request.FormValue("title"), e.Request.FormValue("each")
	each, err := parseAmount("each", f.Each)
	if err == nil {
		_, err = h.w.StartAA(e.Auth.Id, f.Key, wallet.AAInput{Conversation: f.Conv, Title: f.Title, Each: each, Members: e.Request.Form["m"]})
	}
	if err == nil {
		return web.Redirect(e, "/chats/"+f.Conv)
	}
	return h.refuseForm(e, err, web.T(e, "wallet.aa_new"), func(flash layout.Flash, errs []layout.FieldError) templ.Component {
		f.Flash, f.Errors = flash, errs
		return views.AAPage(f)
	})
}

func (h pages) renderAA(e *core.RequestEvent, status int, id string, flash layout.Flash, errs []layout.FieldError) error {
	a, err := h.w.AAFor(e.Auth.Id, id)
	if err != nil {
		return err
	}
	v := views.AAView{PayFields: h.payFields(e, ""), ID: a.ID, Title: a.Title, Organiser: h.w.MemberName(a.Organiser), Conv: a.Conversation, Flash: flash, Errors: errs}
	for _, s := range a.Shares {
		row := views.AAShareRow{Name: h.w.MemberName(s.Member), Amount: h.w.Money(s.Amount), Paid: s.Paid(), Mine: s.Member == e.Auth.Id}
		if row.Paid {
			v.PaidCount++
		} else if row.Mine {
			v.CanPay, v.MyAmount = true, row.Amount
		}
		v.Shares = append(v.Shares, row)
	}
	return h.render(e, status, web.T(e, "wallet.card_aa"), views.AADetail(v))
}

func (h pages) aaDetail(e *core.RequestEvent) error {
	return h.renderAA(e, http.StatusOK, e.Request.PathValue("id"), layout.Flash{}, nil)
}

func (h pages) payAA(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := h.w.PayAA(e.Auth.Id, e.Request.FormValue("key"), id, wallet.WithPIN(e.Request.FormValue("pin")))
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		var errs []layout.FieldError // a PIN refusal reopens the PIN sheet, the message inside it
		if strings.HasPrefix(p.Key, "wallet.pin_") {
			errs = []layout.FieldError{{Field: "pin", Message: web.ProblemMessage(e, p)}}
		}
		return h.renderAA(e, p.Status, id, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}, errs)
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/wallet/aa/"+id)
}
