package chatweb

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/web"
)

// ticketTTL is how long a socket ticket may wait to be spent.
const ticketTTL = 30 * time.Second

// tickets are single-use, short-lived socket credentials for API clients
// that cannot send the session cookie (never a long-lived token in a URL).
type tickets struct {
	mu sync.Mutex
	m  map[string]ticket
}

// A ticket dies with the session it was issued to: it remembers that
// session (web.SessionKey) and the member's token key, and is refused once
// that session signed out or the member signed out everywhere.
type ticket struct {
	member   string
	session  string // web.SessionKey of the credential that asked for it
	tokenKey string // the member's token key then
	expires  time.Time
}

func (t *tickets) issue(member, session, tokenKey string, now time.Time) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	id := base64.RawURLEncoding.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, v := range t.m { // sweep expired ones
		if now.After(v.expires) {
			delete(t.m, k)
		}
	}
	t.m[id] = ticket{member: member, session: session, tokenKey: tokenKey, expires: now.Add(ticketTTL)}
	return id
}

func (t *tickets) redeem(id string, now time.Time) (ticket, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[id]
	delete(t.m, id)
	if !ok || now.After(v.expires) {
		return ticket{}, false
	}
	return v, true
}

// redeemTicket spends a ticket and returns its member, or "" when the
// ticket is unknown, spent, expired, or its session has ended since.
func (s *site) redeemTicket(id string) string {
	t, ok := s.tickets.redeem(id, time.Now())
	if !ok || web.SessionRevoked(s.app, t.session) {
		return ""
	}
	m, err := s.app.FindRecordById(accounts.Collection, t.member)
	if err != nil || m.TokenKey() != t.tokenKey {
		return "" // signed out everywhere (or a new password) since
	}
	return t.member
}

// issueTicket is POST /api/plaza/ws-ticket: a single-use credential for
// GET /ws?ticket=…, valid 30 seconds.
func (s *site) issueTicket(e *core.RequestEvent) error {
	m := web.Member(e)
	return e.JSON(http.StatusOK, map[string]any{"ticket": s.tickets.issue(m.Id, web.SessionKey(e), m.TokenKey(), time.Now()), "expires_in": int(ticketTTL.Seconds())})
}
