// Package mpclient is a small client for Plaza's Mini Programs server API
// (docs/MINIPROGRAMS.md), for a mini program's own server written in Go:
// it exchanges login codes, creates, reads and refunds orders, signs every
// call with the AppSecret, and verifies what Plaza sends the app (launch
// parameters, webhooks). It depends on nothing of Plaza, so a third-party
// developer can copy it; Plaza's demo mini programs use it too.
package mpclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Paths of the server API, under the Plaza server's base URL.
const (
	PathLogin  = "/api/plaza/mp/server/login"
	PathOrders = "/api/plaza/mp/server/orders"
)

// Order statuses.
const (
	StatusCreated  = "created"
	StatusPaid     = "paid"
	StatusRefunded = "refunded"
)

// Webhook events.
const (
	EventOrderPaid     = "order.paid"
	EventOrderRefunded = "order.refunded"
)

// Client calls one mini program's server API. It is safe for concurrent
// use.
type Client struct {
	base   string
	appid  string
	secret string
	hc     *http.Client
	// Now is the clock calls are signed with (time.Now unless a test sets
	// it before the first call).
	Now func() time.Time
}

// New returns a client of the Plaza server at baseURL (e.g.
// "https://plaza.example.org") for the app appid with its AppSecret; hc
// nil means a client with a 10-second timeout.
func New(baseURL, appid, secret string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), appid: appid, secret: secret, hc: hc, Now: time.Now}
}

// AppID is the app the client calls for.
func (c *Client) AppID() string { return c.appid }

// Session is who a login code stands for: the member's id in this app
// (OpenID) and across the developer's apps (UnionID). Neither is the
// member's Plaza id.
type Session struct {
	OpenID  string `json:"openid"`
	UnionID string `json:"unionid"`
}

// Order is an order of the app. Amount and Refunded are in minor units
// (cents); Created and PaidAt are the server's timestamps as it wrote them
// (PaidAt empty until paid).
type Order struct {
	OrderNo     string `json:"order_no"`
	OpenID      string `json:"openid"`
	Amount      int64  `json:"amount"`
	Refunded    int64  `json:"refunded,omitempty"`
	Description string `json:"description"`
	Status      string `json:"status,omitempty"`
	Created     string `json:"created,omitempty"`
	PaidAt      string `json:"paid_at,omitempty"`
}

// WebhookEvent is the body of a webhook: the event, the app it is for and
// the order as it is now.
type WebhookEvent struct {
	Event string `json:"event"`
	AppID string `json:"appid"`
	Order Order  `json:"order"`
}

// ParseWebhook decodes a webhook's body; call VerifyWebhook on the same
// bytes first.
func ParseWebhook(body []byte) (WebhookEvent, error) {
	var ev WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return WebhookEvent{}, fmt.Errorf("mpclient: webhook body: %w", err)
	}
	return ev, nil
}

// APIError is an error answer of the server API: its HTTP status, stable
// code (e.g. "mp.code_bad", "mp.order_exists") and message.
type APIError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	return fmt.Sprintf("plaza: %d %s: %s", e.Status, e.Code, e.Message)
}

// Login exchanges a code from plaza.login() (valid 5 minutes, once, and
// only for the app that asked for it) for the member's ids in this app.
func (c *Client) Login(ctx context.Context, code string) (Session, error) {
	var s Session
	err := c.call(ctx, http.MethodPost, PathLogin, map[string]string{"code": code}, &s)
	return s, err
}

// CreateOrder creates an order for the member o.OpenID (OrderNo 1–64
// characters of [A-Za-z0-9_-], Amount in cents, Description at most 100
// characters); the same OrderNo again with the same content answers the
// same order, with other content a 409 mp.order_exists.
func (c *Client) CreateOrder(ctx context.Context, o Order) (Order, error) {
	in := map[string]any{"order_no": o.OrderNo, "openid": o.OpenID, "amount": o.Amount, "description": o.Description}
	var out Order
	err := c.call(ctx, http.MethodPost, PathOrders, in, &out)
	return out, err
}

// Order reads an order of the app by its number.
func (c *Client) Order(ctx context.Context, orderNo string) (Order, error) {
	var out Order
	err := c.call(ctx, http.MethodGet, PathOrders+"/"+url.PathEscape(orderNo), nil, &out)
	return out, err
}

// Refund gives amount cents of a paid order back to the member who paid
// it; the order's Refunded grows, and its status is "refunded" once all
// is given back.
func (c *Client) Refund(ctx context.Context, orderNo string, amount int64) (Order, error) {
	var out Order
	err := c.call(ctx, http.MethodPost, PathOrders+"/"+url.PathEscape(orderNo)+"/refund", map[string]int64{"amount": amount}, &out)
	return out, err
}

// call sends one signed call with in as its JSON body (nil: none) and
// decodes a 2xx answer into out; any other answer is an *APIError.
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("mpclient: encode %s: %w", path, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("mpclient: %s %s: %w", method, path, err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	SignRequest(req, c.appid, c.secret, body, c.Now())
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("mpclient: %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("mpclient: read %s: %w", path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return apiError(res.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("mpclient: decode %s: %w", path, err)
	}
	return nil
}

// apiError reads an error answer ({status, code, message, data}); one
// that is not JSON keeps its status and the status's text.
func apiError(status int, data []byte) *APIError {
	e := &APIError{}
	if json.Unmarshal(data, e) != nil || e.Message == "" {
		e.Message = http.StatusText(status)
	}
	e.Status = status
	return e
}
