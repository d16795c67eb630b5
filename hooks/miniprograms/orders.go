package miniprograms

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

// Order statuses.
const (
	OrderCreated  = "created"
	OrderPaid     = "paid"
	OrderRefunded = "refunded"
)

// OrderTextMax is the longest order description.
const OrderTextMax = 100

var orderNoPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Order is an app's order: made by the app's server (CreateOrder), paid by
// the member on the host's pay sheet (PayOrder). Its amount is the
// server's, never what the app's page claims.
type Order struct {
	ID          string `json:"-" db:"id"`
	OrderNo     string `json:"order_no" db:"order_no"`
	OpenID      string `json:"openid" db:"openid"`
	Amount      int64  `json:"amount" db:"amount"`
	Refunded    int64  `json:"refunded" db:"refunded"`
	Description string `json:"description" db:"description"`
	Status      string `json:"status" db:"status"`
	Created     string `json:"created" db:"created"`
	PaidAt      string `json:"paid_at" db:"paid_at"`
	Member      string `json:"-" db:"member"`
	Entry       string `json:"-" db:"entry"`
}

// OrderInput is what the app's server sends.
type OrderInput struct {
	OrderNo     string `json:"order_no"`
	OpenID      string `json:"openid"`
	Amount      int64  `json:"amount"`
	Description string `json:"description"`
}

const orderColumns = `id, order_no, openid, amount, refunded, description, status, created, paid_at, member, entry`

func loadOrder(app core.App, appID, no string) (Order, error) {
	var o Order
	err := app.DB().NewQuery(`SELECT ` + orderColumns + ` FROM mp_orders WHERE app = {:a} AND order_no = {:n}`).
		Bind(dbx.Params{"a": appID, "n": no}).One(&o)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, problem.New(http.StatusNotFound, "mp.order_not_found")
	}
	if err != nil {
		return Order{}, fmt.Errorf("load order: %w", err)
	}
	return o, nil
}

// CreateOrder stores an order of app a for the member behind openid. The
// same order number again with the same content answers the stored order
// (a retry); with other content it is 409 mp.order_exists.
func (s *Service) CreateOrder(a App, in OrderInput) (Order, error) {
	in.Description = strings.TrimSpace(in.Description)
	switch {
	case !orderNoPattern.MatchString(in.OrderNo):
		return Order{}, problem.Invalid("order_no", "mp.order_no_bad", nil)
	case in.Amount <= 0 || in.Amount > wallet.MaxAmount:
		return Order{}, problem.Invalid("amount", "wallet.amount_bad", nil)
	case in.Description == "" || utf8.RuneCountInString(in.Description) > OrderTextMax || problem.HasNUL(in.Description):
		return Order{}, problem.Invalid("description", "mp.description_bad", map[string]any{"max": OrderTextMax})
	}
	var out Order
	err := s.app.RunInTransaction(func(txApp core.App) error {
		var member string
		err := txApp.DB().NewQuery(`SELECT member FROM mp_users WHERE app = {:a} AND openid = {:o}`).
			Bind(dbx.Params{"a": a.ID, "o": in.OpenID}).Row(&member)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.Invalid("openid", "mp.openid_bad", nil)
		}
		if err != nil {
			return fmt.Errorf("find member of openid: %w", err)
		}
		old, err := loadOrder(txApp, a.ID, in.OrderNo)
		if err == nil {
			if old.OpenID != in.OpenID || old.Amount != in.Amount || old.Description != in.Description {
				return problem.New(http.StatusConflict, "mp.order_exists")
			}
			out = old
			return nil
		}
		if p, ok := err.(*problem.Problem); !ok || p.Status != http.StatusNotFound {
			return err
		}
		_, err = txApp.DB().NewQuery(`INSERT INTO mp_orders (id, app, order_no, openid, member, amount, refunded, description, status, entry, paid_at, created)
			VALUES ({:id}, {:a}, {:n}, {:o}, {:m}, {:amt}, 0, {:d}, 'created', '', '', {:at})`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": a.ID, "n": in.OrderNo, "o": in.OpenID, "m": member,
				"amt": in.Amount, "d": in.Description, "at": s.stamp()}).Execute()
		if err != nil {
			return fmt.Errorf("store order: %w", err)
		}
		out, err = loadOrder(txApp, a.ID, in.OrderNo)
		return err
	})
	return out, err
}

// ServerOrder is one of app a's orders, for its server.
func (s *Service) ServerOrder(a App, no string) (Order, error) {
	return loadOrder(s.app, a.ID, no)
}

// PaySheet is what the host's pay sheet shows: the order as the server
// holds it, the app's name, and what this member paid this app today.
type PaySheet struct {
	App       App
	Order     Order
	PaidToday int64
	Cap       int64
}

// MemberOrder is the member's order in the app, for the host's pay
// sheet; an order of another member or another app is not found.
func (s *Service) MemberOrder(memberID, appid, no string) (PaySheet, error) {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return PaySheet{}, err
	}
	o, err := loadOrder(s.app, a.ID, no)
	if err != nil {
		return PaySheet{}, err
	}
	if o.Member != memberID {
		return PaySheet{}, problem.New(http.StatusNotFound, "mp.order_not_found")
	}
	paid, err := s.wallet.PaidMerchantToday(memberID, a.ID)
	if err != nil {
		return PaySheet{}, err
	}
	return PaySheet{App: a, Order: o, PaidToday: paid, Cap: a.DailyCap}, nil
}

// PayOrder pays the member's order of the app with their PIN (the host's
// pay sheet): the server's amount, to the app's merchant account, within
// the app's daily cap, once (key). The order is marked paid in the same
// transaction, then the app's server hears of it by its webhook.
func (s *Service) PayOrder(memberID, appid, no, key, pin string) (Order, error) {
	sheet, err := s.MemberOrder(memberID, appid, no)
	if err != nil {
		return Order{}, err
	}
	a, o := sheet.App, sheet.Order
	if o.Status != OrderCreated {
		return Order{}, problem.New(http.StatusConflict, "mp.order_paid")
	}
	if err := s.permitted(memberID, a, "payment"); err != nil {
		return Order{}, err
	}
	charge := wallet.Charge{Merchant: a.Merchant(), Amount: o.Amount, Memo: clipText(o.Description, wallet.NoteMax), Ref: "mp_order:" + o.ID, DailyCap: a.DailyCap}
	_, err = s.wallet.PayMerchant(memberID, key, charge, func(txApp core.App, entry string) error {
		res, err := txApp.DB().NewQuery(`UPDATE mp_orders SET status = 'paid', entry = {:e}, paid_at = {:at} WHERE id = {:id} AND status = 'created'`).
			Bind(dbx.Params{"e": entry, "at": s.stamp(), "id": o.ID}).Execute()
		if err != nil {
			return fmt.Errorf("mark order paid: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return problem.New(http.StatusConflict, "mp.order_paid")
		}
		return nil
	}, wallet.WithPIN(pin))
	if err != nil {
		return Order{}, err
	}
	paid, err := loadOrder(s.app, a.ID, no)
	if err != nil {
		return Order{}, err
	}
	s.notifyServer(a, "order.paid", paid)
	return paid, nil
}

// RefundOrder gives back amount of a paid order (its server asked, or
// its developer in the console): a reversing ledger entry from the app's
// account, never more than was paid and not refunded.
func (s *Service) RefundOrder(a App, no string, amount int64) (Order, error) {
	o, err := loadOrder(s.app, a.ID, no)
	if err != nil {
		return Order{}, err
	}
	switch {
	case o.Status == OrderCreated:
		return Order{}, problem.New(http.StatusConflict, "mp.order_unpaid")
	case amount <= 0:
		return Order{}, problem.Invalid("amount", "wallet.amount_bad", nil)
	case amount > o.Amount-o.Refunded:
		return Order{}, problem.New(http.StatusConflict, "mp.refund_too_much")
	}
	_, err = s.wallet.RefundMerchant(a.Merchant(), o.Member, o.Entry, amount, func(txApp core.App, _ string) error {
		res, err := txApp.DB().NewQuery(`UPDATE mp_orders SET refunded = refunded + {:amt},
			status = CASE WHEN refunded + {:amt} >= amount THEN 'refunded' ELSE status END
			WHERE id = {:id} AND refunded + {:amt} <= amount`).Bind(dbx.Params{"amt": amount, "id": o.ID}).Execute()
		if err != nil {
			return fmt.Errorf("mark order refunded: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return problem.New(http.StatusConflict, "mp.refund_too_much")
		}
		return nil
	})
	if err != nil {
		return Order{}, err
	}
	out, err := loadOrder(s.app, a.ID, no)
	if err == nil {
		s.notifyServer(a, "order.refunded", out)
	}
	return out, err
}

// DeveloperRefund is RefundOrder from the developer's console.
func (s *Service) DeveloperRefund(memberID, appid, no string, amount int64) (Order, error) {
	a, err := s.Own(memberID, appid)
	if err != nil {
		return Order{}, err
	}
	return s.RefundOrder(a, no, amount)
}

// Orders are the app's newest orders, for its developer.
func (s *Service) Orders(memberID, appid string, limit int) ([]Order, error) {
	a, err := s.Own(memberID, appid)
	if err != nil {
		return nil, err
	}
	var out []Order
	err = s.app.DB().NewQuery(`SELECT ` + orderColumns + ` FROM mp_orders WHERE app = {:a} ORDER BY created DESC LIMIT {:n}`).
		Bind(dbx.Params{"a": a.ID, "n": limit}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	return out, nil
}

// Balance is what the app's account holds.
func (s *Service) Balance(memberID, appid string) (int64, error) {
	a, err := s.Own(memberID, appid)
	if err != nil {
		return 0, err
	}
	return wallet.MerchantBalance(s.app, a.ID)
}

// Payout moves amount from the app's account to its developer's wallet.
func (s *Service) Payout(memberID, appid string, amount int64) (string, error) {
	a, err := s.Own(memberID, appid)
	if err != nil {
		return "", err
	}
	return s.wallet.PayoutMerchant(a.Merchant(), memberID, amount)
}
