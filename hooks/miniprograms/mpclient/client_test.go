package mpclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakePlaza checks each call's signature as the server API does and
// answers from a map of orders.
type fakePlaza struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	nonces map[string]bool
	orders map[string]Order
	calls  []string
}

func (f *fakePlaza) fail(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "code": code, "message": "refused: " + code, "data": map[string]any{}})
}

func (f *fakePlaza) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.RequestURI())
	ts, nonce := r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderNonce)
	if r.Header.Get(HeaderAppID) != "mpapp" || r.Header.Get(HeaderSignature) != Sign(f.secret, r.Method, r.URL.RequestURI(), ts, nonce, body) {
		f.fail(w, http.StatusUnauthorized, "mp.signature_bad")
		return
	}
	if sec, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(sec, 0)).Abs() > MaxSkew {
		f.fail(w, http.StatusUnauthorized, "mp.timestamp_bad")
		return
	}
	if !ValidNonce(nonce) || f.nonces[nonce] {
		f.fail(w, http.StatusUnauthorized, "mp.nonce_reused")
		return
	}
	f.nonces[nonce] = true
	var out any
	switch r.Method + " " + r.URL.Path {
	case "POST " + PathLogin:
		var in struct{ Code string }
		_ = json.Unmarshal(body, &in)
		if in.Code != "good" {
			f.fail(w, http.StatusBadRequest, "mp.code_bad")
			return
		}
		out = Session{OpenID: "o1", UnionID: "u1"}
	case "POST " + PathOrders:
		var o Order
		_ = json.Unmarshal(body, &o)
		if prev, ok := f.orders[o.OrderNo]; ok && prev.Amount != o.Amount {
			f.fail(w, http.StatusConflict, "mp.order_exists")
			return
		}
		o.Status = StatusCreated
		f.orders[o.OrderNo] = o
		out = o
	case "GET " + PathOrders + "/a b", "POST " + PathOrders + "/a b/refund":
		o, ok := f.orders["a b"]
		if !ok {
			f.fail(w, http.StatusNotFound, "mp.order_not_found")
			return
		}
		if r.Method == http.MethodPost {
			var in struct{ Amount int64 }
			_ = json.Unmarshal(body, &in)
			o.Refunded += in.Amount
		}
		out = o
	default:
		http.Error(w, "no such route", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func newFake(t *testing.T) (*fakePlaza, *Client) {
	f := &fakePlaza{t: t, secret: "s3cret", nonces: map[string]bool{}, orders: map[string]Order{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, New(srv.URL+"/", "mpapp", "s3cret", srv.Client())
}

func TestClientCalls(t *testing.T) {
	f, c := newFake(t)
	ctx := context.Background()
	s, err := c.Login(ctx, "good")
	if err != nil || s.OpenID != "o1" || s.UnionID != "u1" {
		t.Fatalf("Login = %+v, %v", s, err)
	}
	o, err := c.CreateOrder(ctx, Order{OrderNo: "a b", OpenID: "o1", Amount: 1800, Description: "Flat white ☕"})
	if err != nil || o.Status != StatusCreated || o.Amount != 1800 || o.Description != "Flat white ☕" {
		t.Fatalf("CreateOrder = %+v, %v", o, err)
	}
	if o, err = c.Order(ctx, "a b"); err != nil || o.OrderNo != "a b" {
		t.Fatalf("Order = %+v, %v", o, err)
	}
	if o, err = c.Refund(ctx, "a b", 500); err != nil || o.Refunded != 500 {
		t.Fatalf("Refund = %+v, %v", o, err)
	}
	want := []string{"POST /api/plaza/mp/server/login", "POST /api/plaza/mp/server/orders", "GET /api/plaza/mp/server/orders/a%20b",
		"POST /api/plaza/mp/server/orders/a%20b/refund"}
	for i, w := range want {
		if f.calls[i] != w {
			t.Errorf("call %d = %s, want %s", i, f.calls[i], w)
		}
	}
}

func TestClientErrors(t *testing.T) {
	_, c := newFake(t)
	ctx := context.Background()
	var apiErr *APIError
	if _, err := c.Login(ctx, "bad"); !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Code != "mp.code_bad" || apiErr.Message == "" {
		t.Fatalf("bad code: %v", err)
	}
	if _, err := c.CreateOrder(ctx, Order{OrderNo: "n1", OpenID: "o1", Amount: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateOrder(ctx, Order{OrderNo: "n1", OpenID: "o1", Amount: 200}); !errors.As(err, &apiErr) || apiErr.Code != "mp.order_exists" {
		t.Fatalf("other content: %v", err)
	}
	if _, err := c.Order(ctx, "a b"); !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != "mp.order_not_found" {
		t.Fatalf("unknown order: %v", err)
	}
	wrong := New(c.base, "mpapp", "wrong", c.hc)
	if _, err := wrong.Login(ctx, "good"); !errors.As(err, &apiErr) || apiErr.Code != "mp.signature_bad" {
		t.Fatalf("wrong secret: %v", err)
	}
	late := New(c.base, "mpapp", "s3cret", c.hc)
	late.Now = func() time.Time { return time.Now().Add(-10 * time.Minute) }
	if _, err := late.Login(ctx, "good"); !errors.As(err, &apiErr) || apiErr.Code != "mp.timestamp_bad" {
		t.Fatalf("old timestamp: %v", err)
	}
	plain := New(c.base+"/nowhere", "mpapp", "s3cret", c.hc)
	if _, err := plain.Login(ctx, "good"); !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != "" {
		t.Fatalf("a plain-text 404: %v", err)
	}
}

func TestAPIErrorNotJSON(t *testing.T) {
	e := apiError(502, []byte("<html>bad gateway</html>"))
	if e.Status != 502 || e.Code != "" || e.Message != "Bad Gateway" {
		t.Fatalf("%+v", e)
	}
}

func TestParseWebhook(t *testing.T) {
	ev, err := ParseWebhook([]byte(`{"event":"order.paid","appid":"mpapp","order":{"order_no":"n1","openid":"o1","amount":1800,"refunded":0,"description":"x","status":"paid","created":"2025-12-01 10:00:00.000Z","paid_at":"2025-12-01 10:00:05.000Z"}}`))
	if err != nil || ev.Event != EventOrderPaid || ev.AppID != "mpapp" || ev.Order.Status != StatusPaid || ev.Order.Amount != 1800 || ev.Order.PaidAt == "" {
		t.Fatalf("%+v %v", ev, err)
	}
	if _, err := ParseWebhook([]byte("nope")); err == nil {
		t.Fatal("not JSON parsed")
	}
}
