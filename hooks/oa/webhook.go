package oa

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// A follower's message to an account with a webhook is POSTed to it as
// JSON, signed (docs/OFFICIAL_ACCOUNTS.md, "Webhook"):
//
//	X-Plaza-Timestamp: <unix seconds>
//	X-Plaza-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//
// and the answer's {"reply": "..."} is the account's reply. Each message
// id is POSTed once (oa_webhook_log), with up to Tries tries.

// Webhook POSTs followers' messages; its fields are exported so tests can
// shorten them.
type Webhook struct {
	Client  *http.Client
	Timeout time.Duration // one try's limit
	Tries   int
	Backoff time.Duration // the wait before the second try, doubled before each next one
}

// NewWebhook is the client with Plaza's limits: 5 s a try, 3 tries, 1 s
// then 2 s between them, public addresses only (webhook_guard.go).
func NewWebhook() *Webhook {
	return &Webhook{Client: guardedClient(), Timeout: 5 * time.Second, Tries: 3, Backoff: time.Second}
}

// WebhookMessage is the JSON body POSTed.
type WebhookMessage struct {
	ID        string `json:"id"`       // the message's id: the same on every try
	Account   string `json:"account"`  // the account's handle
	Follower  string `json:"follower"` // FollowerKey: stable per account, not the member's id
	Text      string `json:"text"`
	Timestamp int64  `json:"timestamp"` // unix seconds, as in X-Plaza-Timestamp
}

// Sign is the X-Plaza-Signature of body sent at timestamp.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "." + string(body)))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// FollowerKey is how an account's webhook knows a follower: an HMAC of the
// member's id under the account's secret, so two accounts cannot match
// their followers and neither learns the member's id.
func FollowerKey(secret, memberID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("follower\x00" + memberID))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// errNoRetry marks an answer another try would not change (a 4xx).
var errNoRetry = errors.New("oa webhook: refused")

// Post sends msg to url signed with secret, trying up to w.Tries times
// (after a network error, a timeout, a 429 or a 5xx), and returns the
// reply it answered.
func (w *Webhook) Post(ctx context.Context, url, secret string, msg WebhookMessage) (reply string, tries int, err error) {
	body, err := json.Marshal(msg)
	if err != nil {
		return "", 0, fmt.Errorf("encode webhook message: %w", err)
	}
	wait := w.Backoff
	for tries = 1; ; tries++ {
		reply, err = w.try(ctx, url, secret, strconv.FormatInt(msg.Timestamp, 10), body)
		if err == nil || errors.Is(err, errNoRetry) || tries >= max(w.Tries, 1) {
			return reply, tries, err
		}
		select {
		case <-ctx.Done():
			return "", tries, ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (w *Webhook) try(ctx context.Context, url, secret, timestamp string, body []byte) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("%w: %v", errNoRetry, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Plaza-Webhook/1")
	req.Header.Set("X-Plaza-Timestamp", timestamp)
	req.Header.Set("X-Plaza-Signature", Sign(secret, timestamp, body))
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("oa webhook: %w", err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return "", fmt.Errorf("oa webhook: read answer: %w", err)
	}
	switch {
	case res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests:
		return "", fmt.Errorf("oa webhook: answered %d", res.StatusCode)
	case res.StatusCode >= 300:
		return "", fmt.Errorf("%w: answered %d", errNoRetry, res.StatusCode)
	}
	var out struct {
		Reply string `json:"reply"`
	}
	if len(bytes.TrimSpace(data)) > 0 && json.Unmarshal(data, &out) != nil {
		return "", fmt.Errorf("%w: answer is not JSON", errNoRetry)
	}
	return clip(strings.TrimSpace(out.Reply), TextMax), nil
}

// clip cuts s to n characters (and valid UTF-8).
func clip(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// SetWebhook sets the account's webhook address ("" turns it off) and
// returns its signing secret; only its owner may.
func (s *Service) SetWebhook(ownerID, accountID, url string) (secret string, err error) {
	url = strings.TrimSpace(url)
	if url != "" && (!isWebURL(url) || len(url) > MenuURLMax) {
		return "", problem.Invalid("url", "oa.bad_webhook", nil)
	}
	if _, err := s.owned(ownerID, accountID); err != nil {
		return "", err
	}
	if err := s.app.DB().NewQuery(`UPDATE oa_accounts SET webhook_url = {:u} WHERE id = {:a} RETURNING webhook_secret`).
		Bind(dbx.Params{"u": url, "a": accountID}).Row(&secret); err != nil {
		return "", fmt.Errorf("save webhook: %w", err)
	}
	return secret, nil
}

// Forward hands a follower's message to the account's webhook, once per
// message id, and returns its reply (ok false when the account has no
// webhook, it gave no reply, failed, or the message was handed over
// already and not answered).
func (s *Service) Forward(followerID, accountID, messageID, text string) (reply string, ok bool, err error) {
	var acct struct {
		Handle string `db:"handle"`
		URL    string `db:"webhook_url"`
		Secret string `db:"webhook_secret"`
	}
	err = s.app.DB().NewQuery(`SELECT a.handle, a.webhook_url, a.webhook_secret FROM oa_accounts a
		JOIN oa_follows f ON f.account = a.id AND f.member = {:m} WHERE a.id = {:a} AND a.status = 'approved'`).
		Bind(dbx.Params{"m": followerID, "a": accountID}).One(&acct)
	if err != nil {
		return "", false, notFound()
	}
	if acct.URL == "" {
		return "", false, nil
	}
	follower := FollowerKey(acct.Secret, followerID)
	params := dbx.Params{"id": core.GenerateDefaultRandomId(), "a": accountID, "msg": messageID, "f": follower, "at": s.stamp()}
	res, err := s.app.DB().NewQuery(`INSERT INTO oa_webhook_log (id, account, message, follower, status, reply, tries, created, updated)
		VALUES ({:id}, {:a}, {:msg}, {:f}, 'sending', '', 0, {:at}, {:at}) ON CONFLICT (account, message) DO NOTHING`).Bind(params).Execute()
	if err != nil {
		return "", false, fmt.Errorf("log webhook message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 { // handed over before: its stored answer, if any (to the same follower only)
		var prev []string
		err := s.app.DB().NewQuery(`SELECT reply FROM oa_webhook_log
			WHERE account = {:a} AND message = {:msg} AND follower = {:f} AND status = 'answered'`).
			Bind(params).Column(&prev)
		return strings.Join(prev, ""), len(prev) > 0 && prev[0] != "", err
	}
	msg := WebhookMessage{ID: messageID, Account: acct.Handle, Follower: follower, Text: text,
		Timestamp: s.now().Unix()}
	reply, tries, postErr := s.hook.Post(context.Background(), acct.URL, acct.Secret, msg)
	status := "answered"
	if postErr != nil {
		status, reply = "failed", ""
	}
	if _, err := s.app.DB().NewQuery(`UPDATE oa_webhook_log SET status = {:st}, reply = {:r}, tries = {:n}, updated = {:at}
		WHERE account = {:a} AND message = {:msg}`).
		Bind(dbx.Params{"st": status, "r": reply, "n": tries, "at": s.stamp(), "a": accountID, "msg": messageID}).Execute(); err != nil {
		return "", false, fmt.Errorf("log webhook answer: %w", err)
	}
	return reply, reply != "", nil
}
