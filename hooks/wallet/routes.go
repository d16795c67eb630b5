package wallet

import (
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	qrcode "github.com/skip2/go-qrcode"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/chat"
	"plaza/hooks/links"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/wallet"
)

func registerRoutes(app core.App, w *Wallet) {
	w.reg.AddScanKind(links.KindPay, "wallet")
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se).BindFunc(web.RequireMember)
		pages.GET("/wallet", w.homePage)
		pages.POST("/wallet/voucher", w.redeem)
		pages.GET("/wallet/pin", w.pinPage)
		pages.POST("/wallet/pin", w.savePIN)
		pages.GET("/wallet/transfer", w.transferPage)
		pages.POST("/wallet/transfer", w.sendTransfer)
		pages.GET("/wallet/transfers/{id}", w.transferDetail)
		pages.POST("/wallet/transfers/{id}/accept", w.settle(true))
		pages.POST("/wallet/transfers/{id}/return", w.settle(false))
		pages.GET("/wallet/packet", w.packetPage)
		pages.POST("/wallet/packet", w.sendPacket)
		pages.GET("/wallet/packets/{id}", w.packetDetail)
		pages.POST("/wallet/packets/{id}/open", w.openPacket)
		pages.GET("/wallet/collect", w.collectPage)
		pages.GET("/wallet/collect.png", w.collectQR)
		pages.POST("/wallet/collect/reset", w.resetCollect)
		pages.GET("/pay/{payee}", w.payPage)
		pages.POST("/wallet/pay", w.pay)
		pages.GET("/wallet/aa", w.aaPage)
		pages.POST("/wallet/aa", w.startAA)
		pages.GET("/wallet/aa/{id}", w.aaDetail)
		pages.POST("/wallet/aa/{id}/pay", w.payAA)
		pages.GET("/wallet/withdraw", w.withdrawPage)
		pages.POST("/wallet/withdraw", w.withdraw)
		pages.GET("/wallet/bills", w.billsPage)
		pages.GET("/wallet/bills.csv", w.billsCSV)
		pages.GET("/wallet/bills/{entry}", w.billPage)
		registerAPI(se, w)
		return se.Next()
	})
}

// NewKey makes a random idempotency key for a form.
func NewKey() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// money formats cents with the community's currency symbol.
func (w *Wallet) money(cents int64) string { return symbol(w.app) + FormatAmount(cents) }

func (w *Wallet) render(e *core.RequestEvent, status int, title string, c templ.Component) error {
	shell := accountsweb.ShellFor(e, title, layout.TabMe, layout.FocusDetail, "/wallet")
	return web.Render(e, status, layout.AppShell(shell, accountsweb.MenuFor(e, "wallet"), c))
}

// formProblem splits a refusal into a flash line and field messages; PIN
// problems belong to the PIN field.
func formProblem(e *core.RequestEvent, err error) (int, layout.Flash, []layout.FieldError, error) {
	p, ok := problem.As(err)
	if !ok {
		return 0, layout.Flash{}, nil, err
	}
	errs := web.FieldErrors(e, p)
	flash := layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}
	if strings.HasPrefix(p.Key, "wallet.pin_") || p.Key == "wallet.no_pin" {
		errs = append(errs, layout.FieldError{Field: "pin", Message: flash.Message})
	}
	if flash.Message == "" {
		flash.Message = web.T(e, "errors.check_fields")
	}
	return p.Status, flash, errs, nil
}

func (w *Wallet) payFields(e *core.RequestEvent, key string) views.PayFields {
	has, _ := w.HasPIN(e.Auth.Id)
	if key == "" || CheckKey(key) != nil {
		key = NewKey()
	}
	return views.PayFields{Key: key, HasPIN: has, Here: url.QueryEscape(e.Request.URL.RequestURI()), Symbol: symbol(w.app)}
}

func (w *Wallet) balanceText(memberID string) string {
	b, _ := Balance(w.app, memberID)
	return w.money(b)
}

// --- home, vouchers, PIN -------------------------------------------------

func (w *Wallet) homeView(e *core.RequestEvent) (views.Home, error) {
	has, _ := w.HasPIN(e.Auth.Id)
	h := views.Home{Balance: w.balanceText(e.Auth.Id), HasPIN: has, Key: NewKey()}
	if until, _ := w.LockedUntil(e.Auth.Id); !until.IsZero() {
		h.Locked = until.UTC().Format(time.RFC3339) // shown in the member's time zone
	}
	var ws []struct {
		Amount  int64  `db:"amount"`
		State   string `db:"state"`
		Created string `db:"created"`
	}
	if err := w.app.DB().NewQuery(`SELECT amount, state, created FROM wallet_withdrawals WHERE member = {:m} ORDER BY created DESC LIMIT 10`).
		Bind(dbx.Params{"m": e.Auth.Id}).All(&ws); err != nil {
		return h, fmt.Errorf("list withdrawals: %w", err)
	}
	for _, x := range ws {
		h.Withdraws = append(h.Withdraws, views.Withdrawal{Amount: w.money(x.Amount), State: web.T(e, "wallet.withdraw_"+x.State), At: x.Created})
	}
	switch e.Request.URL.Query().Get("ok") {
	case "voucher":
		h.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "wallet.voucher_ok")}
	case "pin":
		h.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "wallet.pin_saved")}
	case "withdraw":
		h.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "wallet.withdraw_ok")}
	}
	return h, nil
}

func (w *Wallet) homePage(e *core.RequestEvent) error {
	h, err := w.homeView(e)
	if err != nil {
		return err
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.title"), views.HomePage(h))
}

func (w *Wallet) redeem(e *core.RequestEvent) error {
	code := e.Request.FormValue("code")
	_, err := w.RedeemVoucher(e.Auth.Id, e.Request.FormValue("key"), code)
	if err == nil {
		return web.Redirect(e, "/wallet?ok=voucher")
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	h, err := w.homeView(e)
	if err != nil {
		return err
	}
	h.Code, h.Errors, h.Flash, h.Key = code, errs, flash, e.Request.FormValue("key")
	return w.render(e, status, web.T(e, "wallet.title"), views.HomePage(h))
}

func (w *Wallet) pinPage(e *core.RequestEvent) error {
	has, err := w.HasPIN(e.Auth.Id)
	if err != nil {
		return err
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.pin_title"), views.PINPage(views.PINForm{Change: has, Next: e.Request.URL.Query().Get("next")}))
}

func (w *Wallet) savePIN(e *core.RequestEvent) error {
	has, err := w.HasPIN(e.Auth.Id)
	if err != nil {
		return err
	}
	newPIN, confirm := e.Request.FormValue("new_pin"), e.Request.FormValue("confirm")
	next := web.SafeNext(e.Request.FormValue("next"), "")
	switch {
	case !ValidPIN(newPIN):
		err = problem.Invalid("new_pin", "wallet.pin_format", nil)
	case newPIN != confirm:
		err = problem.Invalid("confirm", "wallet.pin_mismatch", nil)
	case has:
		err = w.ChangePIN(e.Auth.Id, e.Request.FormValue("old_pin"), e.Request.FormValue("password"), newPIN)
	default:
		err = w.SetPIN(e.Auth.Id, newPIN)
	}
	if err == nil {
		if next != "" {
			return web.Redirect(e, next)
		}
		return web.Redirect(e, "/wallet?ok=pin")
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f := views.PINForm{Change: has, Next: next, Flash: flash, Errors: errs}
	return w.render(e, status, web.T(e, "wallet.pin_title"), views.PINPage(f))
}

// --- transfers -----------------------------------------------------------

func (w *Wallet) transferForm(e *core.RequestEvent) (views.TransferForm, error) {
	conv := e.Request.URL.Query().Get("c")
	peer, err := directPeer(w.app, e.Auth.Id, conv)
	if err != nil {
		return views.TransferForm{}, err
	}
	return views.TransferForm{PayFields: w.payFields(e, e.Request.FormValue("key")), Conv: conv, To: memberName(w.app, peer), Balance: w.balanceText(e.Auth.Id)}, nil
}

func (w *Wallet) transferPage(e *core.RequestEvent) error {
	f, err := w.transferForm(e)
	if err != nil {
		return err
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.send_transfer"), views.TransferPage(f))
}

func (w *Wallet) sendTransfer(e *core.RequestEvent) error {
	f, err := w.transferForm(e)
	if err != nil {
		return err
	}
	f.Amount, f.Note = e.Request.FormValue("amount"), e.Request.FormValue("note")
	amount, err := ParseAmount(f.Amount)
	if err != nil {
		err = problem.Invalid("amount", "wallet.amount_bad", nil)
	} else {
		_, err = w.SendTransfer(e.Auth.Id, f.Key, TransferInput{Conversation: f.Conv, Amount: amount, Note: f.Note}, WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/chats/"+f.Conv)
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f.Flash, f.Errors = flash, errs
	return w.render(e, status, web.T(e, "wallet.send_transfer"), views.TransferPage(f))
}

func (w *Wallet) transferDetail(e *core.RequestEvent) error {
	t, err := w.TransferFor(e.Auth.Id, e.Request.PathValue("id"))
	if err != nil {
		return err
	}
	return w.renderTransfer(e, http.StatusOK, t, layout.Flash{})
}

func (w *Wallet) renderTransfer(e *core.RequestEvent, status int, t Transfer, flash layout.Flash) error {
	state := t.State
	if state == TransferPending && !w.Now().Before(t.Expires) {
		state = TransferRefunded // due: the sweep refunds it within a minute
	}
	v := views.TransferView{ID: t.ID, Amount: w.money(t.Amount), Note: t.Note, StateKey: state,
		State: web.T(e, "wallet.transfer_state_"+state), From: memberName(w.app, t.Sender), To: memberName(w.app, t.Recipient),
		Conv: t.Conversation, CanAct: state == TransferPending && t.Recipient == e.Auth.Id,
		Expires: t.Expires.UTC().Format(time.RFC3339), Flash: flash}
	return w.render(e, status, web.T(e, "wallet.card_transfer"), views.TransferDetail(v))
}

func (w *Wallet) settle(accept bool) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		id := e.Request.PathValue("id")
		var err error
		if accept {
			_, err = w.AcceptTransfer(e.Auth.Id, id)
		} else {
			_, err = w.ReturnTransfer(e.Auth.Id, id)
		}
		if p, ok := problem.As(err); ok && p.Status == http.StatusConflict {
			t, terr := w.TransferFor(e.Auth.Id, id)
			if terr != nil {
				return terr
			}
			return w.renderTransfer(e, p.Status, t, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
		}
		if err != nil {
			return err
		}
		return web.Redirect(e, "/wallet/transfers/"+id)
	}
}

// --- red packets ---------------------------------------------------------

func (w *Wallet) packetForm(e *core.RequestEvent) (views.PacketForm, error) {
	conv := e.Request.URL.Query().Get("c")
	c, err := chatOf(w.app, e.Auth.Id, conv)
	if err != nil {
		return views.PacketForm{}, err
	}
	f := views.PacketForm{PayFields: w.payFields(e, e.Request.FormValue("key")), Conv: conv, Group: c.Kind == chat.KindGroup,
		Members: c.Members, Kind: PacketLucky, Balance: w.balanceText(e.Auth.Id)}
	if f.Group {
		var ids []string
		if err := w.app.DB().NewQuery(`SELECT member FROM conversation_members WHERE conversation = {:c} AND member != {:m} ORDER BY created`).
			Bind(dbx.Params{"c": conv, "m": e.Auth.Id}).Column(&ids); err != nil {
			return views.PacketForm{}, fmt.Errorf("list packet targets: %w", err)
		}
		for _, id := range ids {
			f.Targets = append(f.Targets, views.Option{Value: id, Label: memberName(w.app, id), Selected: id == e.Request.FormValue("target")})
		}
	}
	return f, nil
}

func (w *Wallet) packetPage(e *core.RequestEvent) error {
	f, err := w.packetForm(e)
	if err != nil {
		return err
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.send_packet"), views.PacketPage(f))
}

func (w *Wallet) sendPacket(e *core.RequestEvent) error {
	f, err := w.packetForm(e)
	if err != nil {
		return err
	}
	f.Kind, f.Count, f.Amount, f.Greeting = e.Request.FormValue("kind"), e.Request.FormValue("count"), e.Request.FormValue("amount"), e.Request.FormValue("greeting")
	in := PacketInput{Conversation: f.Conv, Kind: f.Kind, Greeting: strings.TrimSpace(f.Greeting), Target: e.Request.FormValue("target")}
	if in.Greeting == "" {
		in.Greeting = web.T(e, "wallet.greeting_default")
	}
	if in.Kind == PacketExclusive && in.Target == "" {
		err = problem.Invalid("target", "wallet.packet_target", nil)
	} else if in.Count, err = strconv.Atoi(strings.TrimSpace(f.Count)); err != nil && in.Kind != PacketExclusive {
		err = problem.Invalid("count", "wallet.packet_count", map[string]any{"max": f.Members})
	} else if in.Amount, err = ParseAmount(f.Amount); err != nil {
		err = problem.Invalid("amount", "wallet.amount_bad", nil)
	} else {
		_, err = w.SendPacket(e.Auth.Id, f.Key, in, WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/chats/"+f.Conv)
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f.Flash, f.Errors = flash, errs
	return w.render(e, status, web.T(e, "wallet.send_packet"), views.PacketPage(f))
}

func (w *Wallet) packetDetail(e *core.RequestEvent) error {
	return w.renderPacket(e, http.StatusOK, e.Request.PathValue("id"), layout.Flash{})
}

func (w *Wallet) renderPacket(e *core.RequestEvent, status int, id string, flash layout.Flash) error {
	p, err := w.PacketFor(e.Auth.Id, id)
	if err != nil {
		return err
	}
	v := views.PacketView{ID: p.ID, Greeting: p.Greeting, From: memberName(w.app, p.Sender), Kind: p.Kind, State: p.State,
		Total: w.money(p.Total), Count: p.Count, Claimed: p.ClaimedCount, Commitment: p.Commitment, Seed: p.Seed, Conv: p.Conversation, Flash: flash}
	if p.Mine != nil {
		v.Mine = w.money(p.Mine.Amount)
	}
	var kind string // "" when the chat is gone
	if err := w.app.DB().NewQuery(`SELECT kind FROM conversations WHERE id = {:c}`).Bind(dbx.Params{"c": p.Conversation}).Row(&kind); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("load packet chat: %w", err)
	}
	expired := p.State == PacketExpired || (p.State == PacketOpen && !w.Now().Before(p.Expires))
	switch {
	case p.Mine != nil:
	case kind == chat.KindDirect && p.Sender == e.Auth.Id:
		v.Note = web.T(e, "wallet.packet_waiting")
	case p.Kind == PacketExclusive && p.Target != e.Auth.Id:
		v.Note = web.T(e, "wallet.packet_for_name", map[string]any{"name": memberName(w.app, p.Target)})
	case expired:
		v.Note = web.T(e, "wallet.packet_expired")
	case p.State == PacketFinished:
		v.Note = web.T(e, "wallet.packet_empty")
	default:
		v.CanOpen = true
	}
	for _, c := range p.Claims {
		v.Claims = append(v.Claims, views.ClaimRow{Name: memberName(w.app, c.Member), Amount: w.money(c.Amount),
			At: c.At.Format(time.RFC3339), Luckiest: c.Member == p.Luckiest})
	}
	return w.render(e, status, web.T(e, "wallet.card_packet"), views.PacketDetail(v))
}

func (w *Wallet) openPacket(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := w.ClaimPacket(e.Auth.Id, id)
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		return w.renderPacket(e, p.Status, id, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)})
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/wallet/packets/"+id)
}

// --- collect codes and paying --------------------------------------------

func (w *Wallet) collectPage(e *core.RequestEvent) error {
	me := accounts.AsMember(e.Auth)
	v := views.CollectView{QR: "/wallet/collect.png", Name: me.DisplayName(), AvatarURL: me.AvatarURL("96x96"), Initial: me.Initial()}
	if a := strings.TrimSpace(e.Request.URL.Query().Get("a")); a != "" {
		cents, err := ParseAmount(a)
		if err != nil {
			v.Errors = []layout.FieldError{{Field: "a", Message: web.T(e, "wallet.amount_bad")}}
		} else {
			v.QR += "?a=" + strconv.FormatInt(cents, 10)
			v.Amount = w.money(cents)
		}
	}
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return w.render(e, status, web.T(e, "wallet.receive"), views.CollectPage(v))
}

func (w *Wallet) collectQR(e *core.RequestEvent) error {
	var cents int64
	if a := e.Request.URL.Query().Get("a"); a != "" {
		var err error
		if cents, err = strconv.ParseInt(a, 10, 64); err != nil || cents <= 0 || cents > MaxAmount {
			return problem.New(http.StatusBadRequest, "wallet.amount_bad")
		}
	}
	path, err := w.CollectLink(e.Auth.Id, cents)
	if err != nil {
		return err
	}
	png, err := qrcode.Encode(web.SiteURL(e.App, path), qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("collect qr: %w", err)
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return e.Blob(http.StatusOK, "image/png", png)
}

func (w *Wallet) resetCollect(e *core.RequestEvent) error {
	if err := w.ResetCollect(e.Auth.Id); err != nil {
		return err
	}
	return web.Redirect(e, "/wallet/collect")
}

func (w *Wallet) payForm(e *core.RequestEvent, link string) (views.PayForm, Collect, error) {
	c, err := w.ParseCollect(link, e.Request.Host)
	if err != nil {
		return views.PayForm{}, c, err
	}
	m := accounts.AsMember(c.Payee)
	f := views.PayForm{PayFields: w.payFields(e, e.Request.FormValue("key")), Payee: m.DisplayName(), PayeeID: m.PlazaID(),
		AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial(), Link: link, Balance: w.balanceText(e.Auth.Id)}
	f.Here = url.QueryEscape(link)
	if c.Amount > 0 {
		f.Fixed = w.money(c.Amount)
	}
	return f, c, nil
}

func (w *Wallet) payPage(e *core.RequestEvent) error {
	f, _, err := w.payForm(e, e.Request.URL.RequestURI())
	if p, ok := problem.As(err); ok {
		return web.Fail(e, p.Status, p.Key)
	}
	if err != nil {
		return err
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.pay_title"), views.PayPage(f))
}

func (w *Wallet) pay(e *core.RequestEvent) error {
	f, c, err := w.payForm(e, e.Request.FormValue("link"))
	if p, ok := problem.As(err); ok {
		return web.Fail(e, p.Status, p.Key)
	}
	if err != nil {
		return err
	}
	f.Amount, f.Memo = e.Request.FormValue("amount"), e.Request.FormValue("memo")
	var amount int64
	var r Receipt
	if c.Amount == 0 {
		amount, err = ParseAmount(f.Amount)
		if err != nil {
			err = problem.Invalid("amount", "wallet.amount_bad", nil)
		}
	}
	if err == nil {
		r, err = w.Pay(e.Auth.Id, f.Key, c, amount, f.Memo, WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/wallet/bills/"+r.Entry+"?paid=1")
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f.Flash, f.Errors = flash, errs
	return w.render(e, status, web.T(e, "wallet.pay_title"), views.PayPage(f))
}

// --- AA ------------------------------------------------------------------

func (w *Wallet) aaForm(e *core.RequestEvent) (views.AAForm, error) {
	conv := e.Request.URL.Query().Get("c")
	if c, err := chatOf(w.app, e.Auth.Id, conv); err != nil {
		return views.AAForm{}, err
	} else if c.Kind != chat.KindGroup {
		return views.AAForm{}, notFound()
	}
	key := e.Request.FormValue("key")
	if CheckKey(key) != nil {
		key = NewKey()
	}
	f := views.AAForm{Conv: conv, Key: key}
	chosen := map[string]bool{}
	for _, m := range e.Request.Form["m"] {
		chosen[m] = true
	}
	var ids []string
	if err := w.app.DB().NewQuery(`SELECT member FROM conversation_members WHERE conversation = {:c} AND member != {:m} ORDER BY created`).
		Bind(dbx.Params{"c": conv, "m": e.Auth.Id}).Column(&ids); err != nil {
		return f, fmt.Errorf("list AA members: %w", err)
	}
	for _, id := range ids {
		f.Members = append(f.Members, views.Option{Value: id, Label: memberName(w.app, id), Selected: chosen[id] || e.Request.Method == http.MethodGet})
	}
	return f, nil
}

func (w *Wallet) aaPage(e *core.RequestEvent) error {
	f, err := w.aaForm(e)
	if err != nil {
		return err
	}
	return w.render(e, http.StatusOK, web.T(e, "wallet.aa_new"), views.AAPage(f))
}

func (w *Wallet) startAA(e *core.RequestEvent) error {
	if err := e.Request.ParseForm(); err != nil {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	f, err := w.aaForm(e)
	if err != nil {
		return err
	}
	f.Title, f.Each = e.Request.FormValue("title"), e.Request.FormValue("each")
	each, err := ParseAmount(f.Each)
	if err != nil {
		err = problem.Invalid("each", "wallet.amount_bad", nil)
	} else {
		_, err = w.StartAA(e.Auth.Id, f.Key, AAInput{Conversation: f.Conv, Title: f.Title, Each: each, Members: e.Request.Form["m"]})
	}
	if err == nil {
		return web.Redirect(e, "/chats/"+f.Conv)
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f.Flash, f.Errors = flash, errs
	return w.render(e, status, web.T(e, "wallet.aa_new"), views.AAPage(f))
}

func (w *Wallet) renderAA(e *core.RequestEvent, status int, id string, flash layout.Flash, errs []layout.FieldError) error {
	a, err := w.AAFor(e.Auth.Id, id)
	if err != nil {
		return err
	}
	v := views.AAView{PayFields: w.payFields(e, ""), ID: a.ID, Title: a.Title, Organiser: memberName(w.app, a.Organiser), Conv: a.Conversation, Flash: flash, Errors: errs}
	for _, s := range a.Shares {
		row := views.AAShareRow{Name: memberName(w.app, s.Member), Amount: w.money(s.Amount), Paid: s.Paid(), Mine: s.Member == e.Auth.Id}
		if row.Paid {
			v.PaidCount++
		} else if row.Mine {
			v.CanPay, v.MyAmount = true, row.Amount
		}
		v.Shares = append(v.Shares, row)
	}
	return w.render(e, status, web.T(e, "wallet.card_aa"), views.AADetail(v))
}

func (w *Wallet) aaDetail(e *core.RequestEvent) error {
	return w.renderAA(e, http.StatusOK, e.Request.PathValue("id"), layout.Flash{}, nil)
}

func (w *Wallet) payAA(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	_, err := w.PayAA(e.Auth.Id, e.Request.FormValue("key"), id, WithPIN(e.Request.FormValue("pin")))
	if p, ok := problem.As(err); ok && p.Status != http.StatusNotFound {
		var errs []layout.FieldError // a PIN refusal reopens the PIN sheet, the message inside it
		if strings.HasPrefix(p.Key, "wallet.pin_") {
			errs = []layout.FieldError{{Field: "pin", Message: web.ProblemMessage(e, p)}}
		}
		return w.renderAA(e, p.Status, id, layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}, errs)
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, "/wallet/aa/"+id)
}

// --- withdrawals ---------------------------------------------------------

func (w *Wallet) withdrawPage(e *core.RequestEvent) error {
	f := views.WithdrawForm{PayFields: w.payFields(e, ""), Balance: w.balanceText(e.Auth.Id)}
	return w.render(e, http.StatusOK, web.T(e, "wallet.withdraw"), views.WithdrawPage(f))
}

func (w *Wallet) withdraw(e *core.RequestEvent) error {
	f := views.WithdrawForm{PayFields: w.payFields(e, e.Request.FormValue("key")), Balance: w.balanceText(e.Auth.Id),
		Amount: e.Request.FormValue("amount"), Details: e.Request.FormValue("details")}
	amount, err := ParseAmount(f.Amount)
	if err != nil {
		err = problem.Invalid("amount", "wallet.amount_bad", nil)
	} else {
		_, err = w.RequestWithdrawal(e.Auth.Id, f.Key, amount, f.Details, WithPIN(e.Request.FormValue("pin")))
	}
	if err == nil {
		return web.Redirect(e, "/wallet?ok=withdraw")
	}
	status, flash, errs, err := formProblem(e, err)
	if err != nil {
		return err
	}
	f.Flash, f.Errors = flash, errs
	return w.render(e, status, web.T(e, "wallet.withdraw"), views.WithdrawPage(f))
}
