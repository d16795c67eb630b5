package mpdemo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms/mpclient"
)

func orderNotFound() *Error {
	return refuse(http.StatusNotFound, "demo.order_not_found", "The café has no such order.")
}

// cafeOrder is one of the café's kept orders.
func (s *Servers) cafeOrder(no string) (*core.Record, error) {
	r, err := s.app.FindFirstRecordByData("mpdemo_orders", "order_no", no)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, orderNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("read order: %w", err)
	}
	return r, nil
}

func cafeOrderFrom(r *core.Record) CafeOrder {
	return CafeOrder{OrderNo: r.GetString("order_no"), Amount: int64(r.GetInt("amount")), Description: r.GetString("description"),
		Status: r.GetString("status"), PaidAt: r.GetString("paid_at")}
}

// Confirm is the bundle's "I paid" after plaza.requestPayment: the café
// does not take the page's word for it but asks Plaza (the signed order
// query) and marks its order paid only if Plaza says so. Only the member
// whose session placed the order may ask.
func (s *Servers) Confirm(ctx context.Context, token, no string) (CafeOrder, error) {
	openid, err := s.openidOf(token)
	if err != nil {
		return CafeOrder{}, err
	}
	r, err := s.cafeOrder(no)
	if err != nil {
		return CafeOrder{}, err
	}
	if r.GetString("openid") != openid {
		return CafeOrder{}, orderNotFound()
	}
	if r.GetString("status") != mpclient.StatusCreated {
		return cafeOrderFrom(r), nil
	}
	c, _, err := s.client(Coffee)
	if err != nil {
		return CafeOrder{}, err
	}
	o, err := c.Order(ctx, no)
	if err != nil {
		return CafeOrder{}, fmt.Errorf("query order at Plaza: %w", err)
	}
	if err := s.settle(r, o); err != nil {
		return CafeOrder{}, err
	}
	return cafeOrderFrom(r), nil
}

// settle copies Plaza's word on an order (paid, refunded) onto the café's
// own, if it is the same order (member and amount); a created order stays
// as it is.
func (s *Servers) settle(r *core.Record, o mpclient.Order) error {
	if o.OpenID != r.GetString("openid") || o.Amount != int64(r.GetInt("amount")) {
		return refuse(http.StatusConflict, "demo.order_mismatch", "Plaza's order does not match the café's.")
	}
	if o.Status != mpclient.StatusPaid && o.Status != mpclient.StatusRefunded || o.Status == r.GetString("status") {
		return nil
	}
	r.Set("status", o.Status)
	if r.GetString("paid_at") == "" {
		paid := o.PaidAt
		if paid == "" {
			paid = stamp(s.now())
		}
		r.Set("paid_at", paid)
	}
	if err := s.app.Save(r); err != nil {
		return fmt.Errorf("mark order %s: %w", o.Status, err)
	}
	return nil
}

// Webhook takes Plaza's signed order.paid / order.refunded POST: a wrong
// signature, an old timestamp or another app's event is refused (401),
// an order the café does not know is acknowledged and ignored.
func (s *Servers) Webhook(header http.Header, body []byte) error {
	c, secret, err := s.client(Coffee)
	if err != nil {
		return err
	}
	if err := mpclient.VerifyWebhook(secret, header, body, s.now()); err != nil {
		return refuse(http.StatusUnauthorized, "demo.webhook_bad", "The webhook is not signed by Plaza for this app.")
	}
	ev, err := mpclient.ParseWebhook(body)
	if err != nil || ev.AppID != c.AppID() {
		return refuse(http.StatusUnauthorized, "demo.webhook_bad", "The webhook is not for this app.")
	}
	if ev.Event != mpclient.EventOrderPaid && ev.Event != mpclient.EventOrderRefunded {
		return nil
	}
	r, err := s.cafeOrder(ev.Order.OrderNo)
	var e *Error
	if errors.As(err, &e) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.settle(r, ev.Order)
}

// CafeOrders are the café's orders of a member, newest first (tests and
// the demo's checks).
func CafeOrders(app core.App, openid string) ([]CafeOrder, error) {
	recs, err := app.FindRecordsByFilter("mpdemo_orders", "openid = {:o}", "-created", 50, 0, dbx.Params{"o": openid})
	if err != nil {
		return nil, fmt.Errorf("list orders: %w", err)
	}
	out := make([]CafeOrder, len(recs))
	for i, r := range recs {
		out[i] = cafeOrderFrom(r)
	}
	return out, nil
}
