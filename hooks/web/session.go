package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/security"
)

// SessionCookie is the name of the HttpOnly cookie carrying the member's
// PocketBase auth token for the web app.
const SessionCookie = "plaza_session"

// MembersCollection is the auth collection of community members.
const MembersCollection = "users"

// StartSession issues a fresh auth token for the member and stores it in the
// session cookie (HttpOnly, SameSite=Lax, Secure behind TLS).
func StartSession(e *core.RequestEvent, member *core.Record) error {
	token, err := member.NewAuthToken()
	if err != nil {
		return err
	}
	e.SetCookie(sessionCookie(e, token, int(member.Collection().AuthToken.Duration)))
	return nil
}

// EndSession removes the session cookie.
func EndSession(e *core.RequestEvent) {
	e.SetCookie(sessionCookie(e, "", -1))
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
// by their token alone and the cookie cannot be borrowed cross-site.
func sessionMiddleware() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "plazaSession",
		Priority: -1018, // after pbLoadAuthToken (-1020), before the rate limiter (-1000)
		Func: func(e *core.RequestEvent) error {
			if e.Auth != nil || e.Request.Header.Get("Authorization") != "" {
				return e.Next()
			}
			c, err := e.Request.Cookie(SessionCookie)
			if err != nil || c.Value == "" {
				return e.Next()
			}
			member, err := e.App.FindAuthRecordByToken(c.Value, core.TokenTypeAuth)
			if err != nil || member.Collection().Name != MembersCollection {
				EndSession(e) // expired, revoked or foreign: forget it
				return e.Next()
			}
			e.Auth = member
			if halfLifeOver(c.Value, member.Collection().AuthToken.Duration) {
				if err := StartSession(e, member); err != nil {
					e.App.Logger().Warn("session: refresh failed", "error", err)
				}
			}
			return e.Next()
		},
	}
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
