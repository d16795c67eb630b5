package mpclient

import (
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// The vectors were computed outside Go (Python's hmac and hashlib) from
// the formats in docs/MINIPROGRAMS.md.
const (
	vecSecret = "test-secret"
	vecTS     = "1764700000"
	vecNonce  = "nonce_0123456789ab"
)

func TestSignKnownVectors(t *testing.T) {
	cases := []struct {
		method, path string
		body         string
		want         string
	}{
		{"POST", "/api/plaza/mp/server/login", `{"code":"abc"}`, "fa3e3fe976ddb984850b522d7ec8c2547bed6fb2b68fae68fbbb9119f414dc1b"},
		{"GET", "/api/plaza/mp/server/orders/cafe-1?x=1", "", "4fbe8281ff3145af17e36d20ff196acb4b989341738c4d331e72f9e03ba65942"},
		{"get", "/api/plaza/mp/server/orders/cafe-1?x=1", "", "4fbe8281ff3145af17e36d20ff196acb4b989341738c4d331e72f9e03ba65942"},
	}
	for _, c := range cases {
		if got := Sign(vecSecret, c.method, c.path, vecTS, vecNonce, []byte(c.body)); got != c.want {
			t.Errorf("Sign(%s %s) = %s, want %s", c.method, c.path, got, c.want)
		}
	}
	if Sign("other", "POST", "/api/plaza/mp/server/login", vecTS, vecNonce, []byte(`{"code":"abc"}`)) == cases[0].want {
		t.Error("another secret signs the same")
	}
}

func TestSignRequestSetsHeaders(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "http://plaza.internal/api/plaza/mp/server/orders/cafe-1?x=1", nil)
	SignRequest(req, "mp0123456789abcdef", vecSecret, nil, time.Unix(1764700000, 0))
	h := req.Header
	if h.Get(HeaderAppID) != "mp0123456789abcdef" || h.Get(HeaderTimestamp) != vecTS || !ValidNonce(h.Get(HeaderNonce)) {
		t.Fatalf("headers %v", h)
	}
	want := Sign(vecSecret, "GET", "/api/plaza/mp/server/orders/cafe-1?x=1", vecTS, h.Get(HeaderNonce), nil)
	if h.Get(HeaderSignature) != want {
		t.Fatalf("signature %s, want %s", h.Get(HeaderSignature), want)
	}
}

func TestNonces(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		n := NewNonce()
		if !ValidNonce(n) || seen[n] {
			t.Fatalf("nonce %q invalid or repeated", n)
		}
		seen[n] = true
	}
	for _, bad := range []string{"", "short", "has space in it!!", "ünïcödé-ünïcödé-ünïcödé", string(make([]byte, 65))} {
		if ValidNonce(bad) {
			t.Errorf("ValidNonce(%q)", bad)
		}
	}
}

func launchValues() url.Values {
	return url.Values{"appid": {"mp0123456789abcdef"}, "openid": {"o_abc-123"}, "scene": {"card"}, "ts": {vecTS},
		"sig": {"f8751e821efc18957f6b14e8e628c414326d516da03740db7e64b3be7798e5e7"}}
}

func TestVerifyLaunch(t *testing.T) {
	now := time.Unix(1764700000+60, 0)
	if s := LaunchString("mp0123456789abcdef", "o_abc-123", "card", 1764700000); s != "appid=mp0123456789abcdef&openid=o_abc-123&scene=card&ts=1764700000" {
		t.Fatalf("LaunchString = %q", s)
	}
	l, err := VerifyLaunch(vecSecret, launchValues(), now, 10*time.Minute)
	if err != nil || l.AppID != "mp0123456789abcdef" || l.OpenID != "o_abc-123" || l.Scene != "card" || l.At.Unix() != 1764700000 {
		t.Fatalf("VerifyLaunch = %+v, %v", l, err)
	}
	tampered := map[string]string{"appid": "mp0123456789abcdee", "openid": "o_abc-124", "scene": "scan", "ts": "1764700001", "sig": "00"}
	for field, v := range tampered {
		vals := launchValues()
		vals.Set(field, v)
		if _, err := VerifyLaunch(vecSecret, vals, now, 10*time.Minute); !errors.Is(err, ErrLaunchBad) {
			t.Errorf("tampered %s: %v", field, err)
		}
		vals.Del(field)
		if _, err := VerifyLaunch(vecSecret, vals, now, 10*time.Minute); !errors.Is(err, ErrLaunchBad) {
			t.Errorf("missing %s: %v", field, err)
		}
	}
	if _, err := VerifyLaunch("wrong-secret", launchValues(), now, 10*time.Minute); !errors.Is(err, ErrLaunchBad) {
		t.Errorf("wrong secret: %v", err)
	}
	if _, err := VerifyLaunch("", launchValues(), now, 10*time.Minute); !errors.Is(err, ErrLaunchBad) {
		t.Errorf("empty secret: %v", err)
	}
	if _, err := VerifyLaunch(vecSecret, launchValues(), now.Add(time.Hour), 10*time.Minute); !errors.Is(err, ErrLaunchExpired) {
		t.Errorf("old ts: %v", err)
	}
	if _, err := VerifyLaunch(vecSecret, launchValues(), time.Unix(1764700000-301, 0), 10*time.Minute); !errors.Is(err, ErrLaunchExpired) {
		t.Errorf("ts from the future: %v", err)
	}
	// A scene Plaza adds later, signed, is accepted: the signature is what counts.
	vals := launchValues()
	vals.Set("scene", "elsewhere")
	vals.Set("sig", LaunchSignature(vecSecret, "mp0123456789abcdef", "o_abc-123", "elsewhere", 1764700000))
	if l, err := VerifyLaunch(vecSecret, vals, now, 10*time.Minute); err != nil || l.Scene != "elsewhere" {
		t.Errorf("a new scene: %+v %v", l, err)
	}
	// The launch Plaza's host builds (extra parameters such as path are
	// not signed and are ignored).
	q, _ := url.ParseQuery("appid=mp0123456789abcdef&openid=o_abc-123&scene=card&ts=1764700000&sig=f8751e821efc18957f6b14e8e628c414326d516da03740db7e64b3be7798e5e7&path=%2Fmenu")
	if _, err := VerifyLaunch(vecSecret, q, now, 10*time.Minute); err != nil {
		t.Errorf("the host's query: %v", err)
	}
}

func TestLaunchStringEscapes(t *testing.T) {
	if s := LaunchString("a b", "x&y=z", "card", 1); s != "appid=a+b&openid=x%26y%3Dz&scene=card&ts=1" {
		t.Fatalf("LaunchString = %q", s)
	}
}

func TestVerifyWebhook(t *testing.T) {
	body := []byte(`{"event":"order.paid"}`)
	h := http.Header{}
	h.Set(HeaderTimestamp, vecTS)
	h.Set(HeaderSignature, "sha256=ebc7a2fc0a7467fb93f16334d5e6d628006c69f632a61d4f7edb26f23479b69e")
	now := time.Unix(1764700000+10, 0)
	if got := WebhookSignature(vecSecret, vecTS, body); got != h.Get(HeaderSignature) {
		t.Fatalf("WebhookSignature = %s", got)
	}
	if err := VerifyWebhook(vecSecret, h, body, now); err != nil {
		t.Fatalf("VerifyWebhook: %v", err)
	}
	if err := VerifyWebhook(vecSecret, h, []byte(`{"event":"order.refunded"}`), now); !errors.Is(err, ErrWebhookBad) {
		t.Errorf("tampered body: %v", err)
	}
	if err := VerifyWebhook("wrong-secret", h, body, now); !errors.Is(err, ErrWebhookBad) {
		t.Errorf("wrong secret: %v", err)
	}
	if err := VerifyWebhook(vecSecret, h, body, now.Add(10*time.Minute)); !errors.Is(err, ErrWebhookStale) {
		t.Errorf("old: %v", err)
	}
	other := h.Clone()
	other.Set(HeaderTimestamp, "1764700001")
	if err := VerifyWebhook(vecSecret, other, body, now); !errors.Is(err, ErrWebhookBad) {
		t.Errorf("other timestamp: %v", err)
	}
	other.Del(HeaderTimestamp)
	if err := VerifyWebhook(vecSecret, other, body, now); !errors.Is(err, ErrWebhookBad) {
		t.Errorf("no timestamp: %v", err)
	}
	other = h.Clone()
	other.Set(HeaderSignature, "ebc7a2fc0a7467fb93f16334d5e6d628006c69f632a61d4f7edb26f23479b69e")
	if err := VerifyWebhook(vecSecret, other, body, now); !errors.Is(err, ErrWebhookBad) {
		t.Errorf("signature without sha256=: %v", err)
	}
}
