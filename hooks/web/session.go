package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SessionCookie is the name of the HttpOnly cookie carrying the member's
// PocketBase auth token for the web app.
const SessionCookie = "plaza_session"

// MembersCollection is the auth collection of community members.
const MembersCollection = "users"

// sidClaim names a web session in its token: the id that signing out
// revokes on the server, kept when the token is renewed.
const sidClaim = "sid"

// StartSession starts a new web session for the member: a fresh auth token
// naming a new session id, in the session cookie (HttpOnly, SameSite=Lax,
// Secure behind TLS). The token is not refreshable through PocketBase's
// auth-refresh, so it cannot be traded for a token that outlives sign-out.
func StartSession(e *core.RequestEvent, member *core.Record) error {
	return startSession(e, member, security.RandomString(24))
}

func startSession(e *core.RequestEvent, member *core.Record, sid string) error {
	key := member.TokenKey() + member.Collection().AuthToken.Secret
	token, err := security.NewJWT(map[string]any{
		core.TokenClaimType:         core.TokenTypeAuth,
		core.TokenClaimId:           member.Id,
		core.TokenClaimCollectionId: member.Collection().Id,
		core.TokenClaimRefreshable:  false,
		sidClaim:                    sid,
	}, key, member.Collection().AuthToken.DurationTime())
	if err != nil {
		return err
	}
	e.SetCookie(sessionCookie(e, token, int(member.Collection().AuthToken.Duration)))
	return nil
}

// EndSession removes the session cookie (without revoking it: SignOut does).
func EndSession(e *core.RequestEvent) {
	e.SetCookie(sessionCookie(e, "", -1))
}

// SignOut revokes the credential this request is authenticated by (the
// session cookie or the Authorization token) on the server, so a copy of it
// stops working too, closes the member's sockets (their other sessions
// reconnect), and removes the cookie.
func SignOut(e *core.RequestEvent) error {
	if token := requestToken(e); token != "" {
		if err := revoke(e.App, token); err != nil {
			return err
		}
	}
	if m := Member(e); m != nil {
		Registry(e).SignedOut(m.Id)
	}
	EndSession(e)
	return nil
}

// requestToken is the token that authenticated e: the Authorization
// header's, else the session cookie's.
func requestToken(e *core.RequestEvent) string {
	if h := e.Request.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
			return h[7:]
		}
		return h
	}
	if c, err := e.Request.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// SessionKey names the session of the credential that authenticated e, for
// revocation checks later (socket tickets): its session id, or for a token
// without one (PocketBase's own API tokens) a hash of the token.
func SessionKey(e *core.RequestEvent) string {
	return sessionKey(requestToken(e))
}

func sessionKey(token string) string {
	if token == "" {
		return ""
	}
	if claims, err := security.ParseUnverifiedJWT(token); err == nil {
		if sid, _ := claims[sidClaim].(string); sid != "" {
			return "sid:" + sid
		}
	}
	sum := sha256.Sum256([]byte(token))
	return "tok:" + hex.EncodeToString(sum[:])
}

// SessionRevoked reports whether the session named by key (SessionKey) was
// signed out.
func SessionRevoked(app core.App, key string) bool {
	if key == "" {
		return false
	}
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM revoked_sessions WHERE sid = {:k}").Bind(dbx.Params{"k": key}).Row(&n); err != nil {
		app.Logger().Warn("session: revocation check failed", "error", err)
		return true // fail closed
	}
	return n > 0
}

var sweepMu sync.Mutex

// revoke records token's session as signed out until the token would have
// expired anyway, and forgets revocations past that.
func revoke(app core.App, token string) error {
	exp := time.Now().Add(366 * 24 * time.Hour)
	if claims, err := security.ParseUnverifiedJWT(token); err == nil {
		if v, ok := claims["exp"].(float64); ok {
			exp = time.Unix(int64(v), 0)
		}
	}
	const layout = types.DefaultDateLayout
	_, err := app.DB().NewQuery(`INSERT INTO revoked_sessions (sid, expires) VALUES ({:k}, {:x}) ON CONFLICT (sid) DO NOTHING`).
		Bind(dbx.Params{"k": sessionKey(token), "x": exp.UTC().Format(layout)}).Execute()
	if err != nil {
		return err
	}
	if sweepMu.TryLock() {
		defer sweepMu.Unlock()
		// Housekeeping only: a failed sweep is retried on the next sign-out.
		_, _ = app.DB().NewQuery("DELETE FROM revoked_sessions WHERE expires < {:now}").Bind(dbx.Params{"now": time.Now().UTC().Format(layout)}).Execute()
	}
	return nil
}

func sessionCookie(e *core.RequestEvent, token string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     SessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   isHTTPS(e),
		SameSite: http.SameSiteLaxMode,
	}
}

func isHTTPS(e *core.RequestEvent) bool {
	return e.IsTLS() || e.Request.Header.Get("X-Forwarded-Proto") == "https"
}

// sessionMiddleware turns the session cookie into e.Auth, right after
// PocketBase has looked at the Authorization header. A request that carries
// an Authorization header never uses the cookie, so API clients are judged
// by their token alone and the cookie cannot be borrowed cross-site. A
// signed-out session (SignOut) is refused on both paths.
func sessionMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaSession",
		Priority: -1018, // after pbLoadAuthToken (-1020), before the rate limiter (-1000)
		Func: func(e *core.RequestEvent) error {
			if e.Request.Header.Get("Authorization") != "" {
				if e.Auth != nil && SessionRevoked(e.App, SessionKey(e)) {
					e.Auth = nil // signed out: as good as no token
				}
				return e.Next()
			}
			if e.Auth != nil {
				return e.Next()
			}
			c, err := e.Request.Cookie(SessionCookie)
			if err != nil || c.Value == "" || foreignAPICall(e) {
				return e.Next()
			}
			member, err := e.App.FindAuthRecordByToken(c.Value, core.TokenTypeAuth)
			if err != nil || member.Collection().Name != MembersCollection || SessionRevoked(e.App, sessionKey(c.Value)) {
				EndSession(e) // expired, revoked or foreign: forget it
				return e.Next()
			}
			e.Auth = member
			if halfLifeOver(c.Value, member.Collection().AuthToken.Duration) {
				// Renewed under the same session id, so signing out later
				// revokes the old token as well.
				sid := strings.TrimPrefix(sessionKey(c.Value), "sid:")
				if strings.HasPrefix(sid, "tok:") {
					sid = security.RandomString(24)
				}
				if err := startSession(e, member, sid); err != nil {
					e.App.Logger().Warn("session: refresh failed", "error", err)
				}
			}
			return e.Next()
		},
	}
}

// foreignAPICall reports whether a JSON call comes from another site or
// an opaque origin (a sandboxed mini program: Origin "null"): the session
// cookie never speaks for those, even on a GET.
func foreignAPICall(e *core.RequestEvent) bool {
	if !IsAPI(e) {
		return false
	}
	return e.Request.Header.Get("Origin") == "null" || e.Request.Header.Get("Sec-Fetch-Site") == "cross-site"
}

// halfLifeOver reports whether a token has less than half its life left,
// so an active member is never signed out while using the app.
func halfLifeOver(token string, duration int64) bool {
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return false
	}
	exp, ok := claims["exp"].(float64)
	if !ok {
		return false
	}
	left := time.Until(time.Unix(int64(exp), 0))
	return left < time.Duration(duration)*time.Second/2
}

// Member returns the signed-in member, or nil for a guest (or a superuser,
// who uses /_/ and not the member app).
func Member(e *core.RequestEvent) *core.Record {
	if e.Auth == nil || e.Auth.Collection().Name != MembersCollection {
		return nil
	}
	return e.Auth
}

// RequireMember lets only signed-in members through: pages send guests to
// the sign-in page (and back afterwards), other requests get a 401.
func RequireMember(e *core.RequestEvent) error {
	if Member(e) != nil {
		return e.Next()
	}
	if e.Request.Method == http.MethodGet && !IsAPI(e) {
		return Redirect(e, "/login?next="+url.QueryEscape(e.Request.URL.RequestURI()))
	}
	return e.UnauthorizedError("Please sign in first.", nil)
}
