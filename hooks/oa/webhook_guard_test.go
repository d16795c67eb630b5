package oa_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync/atomic"
	"testing"

	"plaza/hooks/oa"
)

// TestWebhookReachesOnlyThePublicInternet: the webhook client Plaza builds
// refuses the server's own network (a receiver on loopback gets nothing),
// and the address check sorts the ranges an operator could aim at.
func TestWebhookReachesOnlyThePublicInternet(t *testing.T) {
	t.Setenv("PLAZA_WEBHOOK_PRIVATE", "")
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"reply":"inside"}`))
	}))
	defer srv.Close()
	hook := oa.NewWebhook()
	hook.Tries, hook.Backoff = 1, 0
	reply, _, err := hook.Post(context.Background(), srv.URL, "secret", oa.WebhookMessage{ID: "m1", Text: "hi"})
	if err == nil || reply != "" || hits.Load() != 0 {
		t.Fatalf("a loopback receiver was reached: reply %q, err %v, hits %d", reply, err, hits.Load())
	}
	for addr, public := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1::1": true, "127.0.0.1": false, "::1": false, "10.1.2.3": false,
		"172.16.0.9": false, "192.168.1.1": false, "169.254.169.254": false, "100.64.0.1": false, "fd00::1": false,
		"fe80::1": false, "0.0.0.0": false, "::": false, "224.0.0.1": false, "::ffff:127.0.0.1": false, "::ffff:8.8.8.8": true,
	} {
		if got := oa.PublicAddr(netip.MustParseAddr(addr)); got != public {
			t.Errorf("%s: public %v, want %v", addr, got, public)
		}
	}
}

// TestWebhookMayReachAPrivateReceiverWhenAllowed: PLAZA_WEBHOOK_PRIVATE=1
// lets a community's own receivers on its network answer.
func TestWebhookMayReachAPrivateReceiverWhenAllowed(t *testing.T) {
	t.Setenv("PLAZA_WEBHOOK_PRIVATE", "1")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"reply":"inside"}`))
	}))
	defer srv.Close()
	reply, _, err := oa.NewWebhook().Post(context.Background(), srv.URL, "secret", oa.WebhookMessage{ID: "m1", Text: "hi"})
	if err != nil || reply != "inside" {
		t.Fatalf("reply %q, err %v", reply, err)
	}
}
