package miniprograms

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// CodeTTL is how long a login code may be exchanged (once).
const CodeTTL = 5 * time.Minute

// Scenes: how a member opened an app.
var Scenes = []string{"directory", "card", "scan", "search", "menu", "share", "recent", "starred"}

// User is a member as one app knows them.
type User struct {
	ID       string
	OpenID   string // per app: never the member's id
	UnionID  string // per developer: the same in all their apps
	Consent  bool   // may see the member's name and photo
	Starred  bool
	LastUsed string
}

func randomID(prefix string) string {
	b := make([]byte, 14)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// userFor is the member's row for app a, made on first use (in txApp).
// A new row gets a fresh openid, and the unionid the member already has
// with another app of the same developer, or a fresh one.
func userFor(txApp core.App, a App, memberID string) (User, error) {
	var u struct {
		ID       string `db:"id"`
		OpenID   string `db:"openid"`
		UnionID  string `db:"unionid"`
		Consent  bool   `db:"consent"`
		Starred  bool   `db:"starred"`
		LastUsed string `db:"last_used"`
	}
	err := txApp.DB().NewQuery(`SELECT id, openid, unionid, consent, starred, last_used FROM mp_users WHERE app = {:a} AND member = {:m}`).
		Bind(dbx.Params{"a": a.ID, "m": memberID}).One(&u)
	if err == nil {
		return User(u), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("find app user: %w", err)
	}
	var union string
	err = txApp.DB().NewQuery(`SELECT u.unionid FROM mp_users u JOIN mp_apps a ON a.id = u.app
		WHERE a.developer = {:d} AND u.member = {:m} LIMIT 1`).Bind(dbx.Params{"d": a.Developer, "m": memberID}).Row(&union)
	if errors.Is(err, sql.ErrNoRows) {
		union, err = randomID("u"), nil
	}
	if err != nil {
		return User{}, fmt.Errorf("find union id: %w", err)
	}
	out := User{ID: core.GenerateDefaultRandomId(), OpenID: randomID("o"), UnionID: union}
	_, err = txApp.DB().NewQuery(`INSERT INTO mp_users (id, app, member, openid, unionid, consent, starred, last_used, storage_used, created)
		VALUES ({:id}, {:a}, {:m}, {:o}, {:u}, FALSE, FALSE, '', 0, strftime('%Y-%m-%d %H:%M:%fZ'))`).
		Bind(dbx.Params{"id": out.ID, "a": a.ID, "m": memberID, "o": out.OpenID, "u": union}).Execute()
	if err != nil {
		return User{}, fmt.Errorf("add app user: %w", err)
	}
	return out, nil
}

// UserOf is the member as app a knows them (made on first use).
func (s *Service) UserOf(a App, memberID string) (User, error) {
	var u User
	err := s.app.RunInTransaction(func(txApp core.App) error {
		var err error
		u, err = userFor(txApp, a, memberID)
		return err
	})
	return u, err
}

// Launch is what the host hands an app when it opens: who opened it, how,
// and when, signed with the AppSecret so an app can check it.
type Launch struct {
	AppID  string
	OpenID string
	Scene  string
	TS     int64
	Sig    string
}

// launchPayload is the exact string signed.
func launchPayload(appid, openid, scene string, ts int64) string {
	v := url.QueryEscape
	return "appid=" + v(appid) + "&openid=" + v(openid) + "&scene=" + v(scene) + "&ts=" + strconv.FormatInt(ts, 10)
}

// SignLaunch is the hex HMAC-SHA256 of the launch under secret.
func SignLaunch(secret, appid, openid, scene string, ts int64) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(launchPayload(appid, openid, scene, ts)))
	return hex.EncodeToString(m.Sum(nil))
}

// Query is the launch as the query string the bridge reads.
func (l Launch) Query() string {
	return launchPayload(l.AppID, l.OpenID, l.Scene, l.TS) + "&sig=" + l.Sig
}

// Open records that the member opened the app (recent use, a daily
// visit for the stats and the directory's popularity) and returns the
// signed launch. An unknown scene counts as "directory".
func (s *Service) Open(memberID string, a App, scene string) (Launch, error) {
	if !slices.Contains(Scenes, scene) {
		scene = "directory"
	}
	now := s.now()
	var u User
	err := s.app.RunInTransaction(func(txApp core.App) error {
		var err error
		if u, err = userFor(txApp, a, memberID); err != nil {
			return err
		}
		at := now.Format("2006-01-02 15:04:05.000Z")
		if _, err := txApp.DB().NewQuery(`UPDATE mp_users SET last_used = {:at} WHERE id = {:id}`).
			Bind(dbx.Params{"at": at, "id": u.ID}).Execute(); err != nil {
			return fmt.Errorf("note use: %w", err)
		}
		_, err = txApp.DB().NewQuery(`INSERT INTO mp_visits (id, app, member, day) VALUES ({:id}, {:a}, {:m}, {:d})
			ON CONFLICT (app, day, member) DO NOTHING`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": a.ID, "m": memberID, "d": now.Format(time.DateOnly)}).Execute()
		return err
	})
	if err != nil {
		return Launch{}, fmt.Errorf("open app: %w", err)
	}
	l := Launch{AppID: a.AppID, OpenID: u.OpenID, Scene: scene, TS: now.Unix()}
	l.Sig = SignLaunch(a.secret, l.AppID, l.OpenID, l.Scene, l.TS)
	return l, nil
}

func hashCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// Login is plaza.login(): a one-time code for the member and this app,
// valid CodeTTL, that the app's server exchanges (Exchange) with its
// AppSecret. Only its hash is stored.
func (s *Service) Login(memberID, appid string) (string, error) {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return "", err
	}
	code := randomID("c")
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := userFor(txApp, a, memberID); err != nil {
			return err
		}
		_, err := txApp.DB().NewQuery(`INSERT INTO mp_codes (id, hash, app, member, expires, used) VALUES ({:id}, {:h}, {:a}, {:m}, {:e}, FALSE)`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "h": hashCode(code), "a": a.ID, "m": memberID,
				"e": s.now().Add(CodeTTL).Format("2006-01-02 15:04:05.000Z")}).Execute()
		return err
	})
	if err != nil {
		return "", fmt.Errorf("make login code: %w", err)
	}
	return code, nil
}

// Session is what the app's server learns from a login code.
type Session struct {
	OpenID  string `json:"openid"`
	UnionID string `json:"unionid"`
}

// Exchange spends a login code of app a (the caller has checked the
// app's signature): unknown, expired, used or another app's codes are
// all 400 mp.code_bad, and a code works once even when two exchanges race.
func (s *Service) Exchange(a App, code string) (Session, error) {
	var out Session
	err := s.app.RunInTransaction(func(txApp core.App) error {
		var member string
		err := txApp.DB().NewQuery(`UPDATE mp_codes SET used = TRUE WHERE hash = {:h} AND app = {:a} AND used = FALSE AND expires > {:now}
			RETURNING member`).Bind(dbx.Params{"h": hashCode(code), "a": a.ID, "now": s.stamp()}).Row(&member)
		if errors.Is(err, sql.ErrNoRows) {
			return problem.New(http.StatusBadRequest, "mp.code_bad")
		}
		if err != nil {
			return fmt.Errorf("spend login code: %w", err)
		}
		u, err := userFor(txApp, a, member)
		out = Session{OpenID: u.OpenID, UnionID: u.UnionID}
		return err
	})
	return out, err
}

// Profile is what a member lets an app see.
type Profile struct {
	Nickname string `json:"nickname"`
	Avatar   string `json:"avatar"` // a URL on this server, "" without a photo
}

// HasConsent reports whether the member let app a see their profile.
func (s *Service) HasConsent(memberID string, a App) (bool, error) {
	u, err := s.UserOf(a, memberID)
	return u.Consent, err
}

// SetConsent gives (or takes back) app a's sight of the member's name
// and photo.
func (s *Service) SetConsent(memberID string, a App, allow bool) error {
	return s.app.RunInTransaction(func(txApp core.App) error {
		u, err := userFor(txApp, a, memberID)
		if err != nil {
			return err
		}
		_, err = txApp.DB().NewQuery(`UPDATE mp_users SET consent = {:c} WHERE id = {:id}`).Bind(dbx.Params{"c": allow, "id": u.ID}).Execute()
		return err
	})
}

// Consents are the apps the member let see their profile (Settings).
func (s *Service) Consents(memberID string) ([]App, error) {
	return s.appsWhere(`JOIN mp_users u ON u.app = a.id WHERE u.member = {:m} AND u.consent = TRUE ORDER BY a.name`, dbx.Params{"m": memberID})
}

// appsWhere are the apps a query over "mp_apps a" selects, in its order.
func (s *Service) appsWhere(tail string, params dbx.Params) ([]App, error) {
	var rows []struct {
		ID string `db:"id"`
	}
	if err := s.app.DB().NewQuery(`SELECT a.id FROM mp_apps a ` + tail).Bind(params).All(&rows); err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	recs, err := s.app.FindRecordsByIds("mp_apps", ids)
	if err != nil {
		return nil, fmt.Errorf("load apps: %w", err)
	}
	byID := make(map[string]*core.Record, len(recs))
	for _, r := range recs {
		byID[r.Id] = r
	}
	out := make([]App, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			out = append(out, appFrom(r))
		}
	}
	return out, nil
}
