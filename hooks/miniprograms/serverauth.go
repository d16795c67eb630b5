package miniprograms

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// The server API's signature (docs/MINIPROGRAMS.md, "Server API"): every
// call carries X-Plaza-AppId, X-Plaza-Timestamp (unix seconds, within
// ClockSkew), X-Plaza-Nonce (used once per app) and X-Plaza-Signature,
// the hex HMAC-SHA256 under the AppSecret of
//
//	METHOD \n PATH_WITH_QUERY \n TIMESTAMP \n NONCE \n hex(SHA256(body))
const ClockSkew = 5 * time.Minute

var noncePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// Signed is one request to the server API as it arrived.
type Signed struct {
	AppID, Timestamp, Nonce, Signature string
	Method, Path                       string // Path with its query
	Body                               []byte
}

// SignRequest is the X-Plaza-Signature of a server API request.
func SignRequest(secret, method, pathQuery, timestamp, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(method + "\n" + pathQuery + "\n" + timestamp + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(m.Sum(nil))
}

func badSignature() error { return problem.New(http.StatusUnauthorized, "mp.signature_bad") }

// Authenticate checks a server API request and returns its app: an
// unknown app or a wrong signature is 401 mp.signature_bad, a timestamp
// out of ClockSkew 401 mp.timestamp_bad, a nonce seen before 409
// mp.nonce_reused, a suspended app 403 mp.suspended.
func (s *Service) Authenticate(r Signed) (App, error) {
	a, err := s.Find(r.AppID)
	if err != nil {
		return App{}, badSignature()
	}
	ts, err := strconv.ParseInt(r.Timestamp, 10, 64)
	now := s.now()
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > ClockSkew {
		return App{}, problem.New(http.StatusUnauthorized, "mp.timestamp_bad")
	}
	if !noncePattern.MatchString(r.Nonce) {
		return App{}, badSignature()
	}
	want := SignRequest(a.secret, r.Method, r.Path, r.Timestamp, r.Nonce, r.Body)
	if a.secret == "" || !hmac.Equal([]byte(want), []byte(r.Signature)) {
		return App{}, badSignature()
	}
	if a.Suspended {
		return App{}, problem.New(http.StatusForbidden, "mp.suspended")
	}
	_, err = s.app.DB().NewQuery(`INSERT INTO mp_nonces (id, app, nonce, expires) VALUES ({:id}, {:a}, {:n}, {:e})`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": a.ID, "n": r.Nonce,
			"e": now.Add(2 * ClockSkew).Format("2006-01-02 15:04:05.000Z")}).Execute()
	if err != nil {
		var n int
		if cerr := s.app.DB().NewQuery(`SELECT COUNT(*) FROM mp_nonces WHERE app = {:a} AND nonce = {:n}`).
			Bind(dbx.Params{"a": a.ID, "n": r.Nonce}).Row(&n); cerr == nil && n > 0 {
			return App{}, problem.New(http.StatusConflict, "mp.nonce_reused")
		}
		return App{}, fmt.Errorf("store nonce: %w", err)
	}
	return a, nil
}

// Cleanup forgets login codes and nonces past their time.
func (s *Service) Cleanup() error {
	now := s.stamp()
	for _, q := range []string{`DELETE FROM mp_codes WHERE expires < {:now}`, `DELETE FROM mp_nonces WHERE expires < {:now}`} {
		if _, err := s.app.DB().NewQuery(q).Bind(dbx.Params{"now": now}).Execute(); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("clean up: %w", err)
		}
	}
	return nil
}
