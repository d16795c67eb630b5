package oa_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"plaza/hooks/oa"
)

// verify is the receiver's recipe of docs/OFFICIAL_ACCOUNTS.md, written
// without calling oa.Sign.
func verify(secret string, r *http.Request, body []byte) bool {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(r.Header.Get("X-Plaza-Timestamp") + "." + string(body)))
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	return hmac.Equal([]byte(want), []byte(r.Header.Get("X-Plaza-Signature")))
}

func fastHook() *oa.Webhook {
	return &oa.Webhook{Client: &http.Client{}, Timeout: 200 * time.Millisecond, Tries: 3, Backoff: 10 * time.Millisecond}
}

func TestWebhookRetriesAndTimeouts(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		if !verify("s3cret", r, body) {
			http.Error(rw, "bad signature", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/flaky":
			if n == 1 {
				http.Error(rw, "down", http.StatusInternalServerError)
				return
			}
		case "/slow":
			time.Sleep(400 * time.Millisecond)
		case "/refuses":
			http.Error(rw, "no", http.StatusForbidden)
			return
		}
		_ = json.NewEncoder(rw).Encode(map[string]string{"reply": "got it"})
	}))
	defer srv.Close()
	msg := oa.WebhookMessage{ID: "m1", Account: "cafe", Follower: "f", Text: "hi", Timestamp: time.Now().Unix()}
	h := fastHook()

	calls.Store(0)
	if reply, tries, err := h.Post(context.Background(), srv.URL+"/flaky", "s3cret", msg); err != nil || reply != "got it" || tries != 2 {
		t.Fatalf("a 500 then 200: %q %d %v", reply, tries, err)
	}
	calls.Store(0)
	start := time.Now()
	if _, tries, err := h.Post(context.Background(), srv.URL+"/slow", "s3cret", msg); err == nil || tries != 3 || calls.Load() != 3 {
		t.Fatalf("a slow server: tries %d, calls %d, %v", tries, calls.Load(), err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the timeout did not cut the slow tries: %v", d)
	}
	calls.Store(0)
	if _, tries, err := h.Post(context.Background(), srv.URL+"/refuses", "s3cret", msg); err == nil || tries != 1 {
		t.Fatalf("a 403 is not retried: tries %d, %v", tries, err)
	}
	calls.Store(0)
	if _, _, err := h.Post(context.Background(), srv.URL+"/ok", "wrong", msg); err == nil {
		t.Fatal("a wrong secret's signature verified")
	}
}

func TestForwardSignsOnceByMessageID(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("cafe", oa.KindService, true)
	bo, cy := w.member("bo"), w.member("cy")
	var calls atomic.Int32
	var got oa.WebhookMessage
	var secret string
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		if !verify(secret, r, body) || json.Unmarshal(body, &got) != nil {
			http.Error(rw, "bad", http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(rw).Encode(map[string]string{"reply": "Echo: " + got.Text})
	}))
	defer srv.Close()
	_, err := w.svc.SetWebhook(bo, acct.ID, srv.URL)
	wantCode(t, "a stranger setting the webhook", err, 404, "oa.not_found")
	if secret, err = w.svc.SetWebhook(owner, acct.ID, srv.URL); err != nil || len(secret) != 64 {
		t.Fatalf("set webhook: %q %v", secret, err)
	}
	*w.svc.Webhook() = *fastHook()
	if _, _, err := w.svc.Forward(bo, acct.ID, "msg-1", "hello"); err == nil {
		t.Fatal("a non-follower's message was forwarded")
	}
	if _, err := w.svc.Follow(bo, acct.ID); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		reply, ok, err := w.svc.Forward(bo, acct.ID, "msg-1", "hello")
		if err != nil || !ok || reply != "Echo: hello" {
			t.Fatalf("forward: %q %v %v", reply, ok, err)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("the same message id was POSTed %d times", calls.Load())
	}
	if got.Follower == bo || got.Follower != oa.FollowerKey(secret, bo) || got.Account != "cafe" || got.ID != "msg-1" {
		t.Fatalf("the message: %+v", got)
	}
	if _, err := w.svc.Follow(cy, acct.ID); err != nil {
		t.Fatal(err)
	}
	// A message id is POSTed once per account; another follower reusing
	// one gets nothing, and never the first follower's reply.
	if reply, ok, err := w.svc.Forward(cy, acct.ID, "msg-1", "other"); err != nil || ok || reply != "" || calls.Load() != 1 {
		t.Fatalf("a reused id: %q %v, calls %d, %v", reply, ok, calls.Load(), err)
	}
}
