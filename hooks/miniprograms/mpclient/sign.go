package mpclient

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Headers of a signed server API call (docs/MINIPROGRAMS.md, "Signing a
// server API call") and of a webhook.
const (
	HeaderAppID     = "X-Plaza-AppId"
	HeaderTimestamp = "X-Plaza-Timestamp"
	HeaderNonce     = "X-Plaza-Nonce"
	HeaderSignature = "X-Plaza-Signature"
	HeaderEvent     = "X-Plaza-Event"
)

// MaxSkew is how far a call's or a webhook's timestamp may be from the
// receiver's clock, either way.
const MaxSkew = 300 * time.Second

// Scenes are how a member opened a mini program (the launch parameter
// "scene") as Plaza names them today. VerifyLaunch accepts any signed
// scene, so a scene Plaza adds later does not break an app.
var Scenes = []string{"directory", "card", "scan", "search", "menu", "share", "recent", "starred"}

// Errors of the verifiers; each wraps nothing and is compared with
// errors.Is.
var (
	ErrLaunchBad     = errors.New("mpclient: launch parameters missing or not signed by this app")
	ErrLaunchExpired = errors.New("mpclient: launch parameters too old (or from the future)")
	ErrWebhookBad    = errors.New("mpclient: webhook signature missing or wrong")
	ErrWebhookStale  = errors.New("mpclient: webhook timestamp too far from now")
)

// Sign is the X-Plaza-Signature of a server API call: hex HMAC-SHA256
// under the AppSecret of
//
//	METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA256(body))
//
// where PATH_WITH_QUERY is the request URI as sent (e.g.
// "/api/plaza/mp/server/orders/cafe-1"), TIMESTAMP unix seconds in
// decimal, and body the exact bytes sent (empty for a GET).
func Sign(secret, method, pathWithQuery, timestamp, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strings.ToUpper(method) + "\n" + pathWithQuery + "\n" + timestamp + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(m.Sum(nil))
}

// NewNonce returns a fresh random nonce: 32 characters of [A-Za-z0-9_-].
func NewNonce() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidNonce reports whether n is a nonce the server accepts: 16 to 64
// characters of [A-Za-z0-9_-].
func ValidNonce(n string) bool {
	if len(n) < 16 || len(n) > 64 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// SignRequest sets the four X-Plaza-* headers on req, whose body is body,
// signed at now with a fresh nonce.
func SignRequest(req *http.Request, appid, secret string, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.Unix(), 10)
	nonce := NewNonce()
	req.Header.Set(HeaderAppID, appid)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, Sign(secret, req.Method, req.URL.RequestURI(), ts, nonce, body))
}

// Launch is who opened a mini program and how, from verified launch
// parameters.
type Launch struct {
	AppID  string
	OpenID string
	Scene  string
	At     time.Time // the parameter ts: when the host opened the app
}

// LaunchString is the string the launch parameter sig signs:
// "appid=<appid>&openid=<openid>&scene=<scene>&ts=<ts>", each value
// query-escaped (url.QueryEscape), in exactly that order.
func LaunchString(appid, openid, scene string, ts int64) string {
	return "appid=" + url.QueryEscape(appid) + "&openid=" + url.QueryEscape(openid) +
		"&scene=" + url.QueryEscape(scene) + "&ts=" + strconv.FormatInt(ts, 10)
}

// LaunchSignature is the launch parameter sig: hex HMAC-SHA256 of
// LaunchString under the AppSecret.
func LaunchSignature(secret, appid, openid, scene string, ts int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(LaunchString(appid, openid, scene, ts)))
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyLaunch checks launch parameters (appid, openid, scene, ts, sig, as
// the host passed them) against the AppSecret: every one present, the
// signature right, ts at most maxAge old and not more than MaxSkew in
// the future. Check Launch.AppID is your own app's id.
func VerifyLaunch(secret string, values url.Values, now time.Time, maxAge time.Duration) (Launch, error) {
	appid, openid, scene := values.Get("appid"), values.Get("openid"), values.Get("scene")
	ts, err := strconv.ParseInt(values.Get("ts"), 10, 64)
	if err != nil || appid == "" || openid == "" || scene == "" || secret == "" {
		return Launch{}, ErrLaunchBad
	}
	want := LaunchSignature(secret, appid, openid, scene, ts)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(values.Get("sig")))) {
		return Launch{}, ErrLaunchBad
	}
	at := time.Unix(ts, 0)
	if now.Sub(at) > maxAge || at.Sub(now) > MaxSkew {
		return Launch{}, ErrLaunchExpired
	}
	return Launch{AppID: appid, OpenID: openid, Scene: scene, At: at}, nil
}

// WebhookSignature is a webhook's X-Plaza-Signature:
// "sha256=" + hex HMAC-SHA256(AppSecret, timestamp + "." + body), the
// format of Official Accounts' webhooks.
func WebhookSignature(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifyWebhook checks a webhook Plaza POSTed: X-Plaza-Signature is
// WebhookSignature of the raw body at X-Plaza-Timestamp, and that
// timestamp is within MaxSkew of now. Pass the body exactly as received,
// before any decoding.
func VerifyWebhook(secret string, header http.Header, body []byte, now time.Time) error {
	timestamp := header.Get(HeaderTimestamp)
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil || secret == "" {
		return ErrWebhookBad
	}
	if !hmac.Equal([]byte(WebhookSignature(secret, timestamp, body)), []byte(header.Get(HeaderSignature))) {
		return ErrWebhookBad
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return ErrWebhookStale
	}
	return nil
}
