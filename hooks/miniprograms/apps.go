package miniprograms

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

// Categories of the directory (pb_migrations.MPCategories keeps the same).
var Categories = []string{"food", "shopping", "tools", "games", "education", "life", "social", "other"}

// Limits of an app's fields.
const (
	DescriptionMax = 500
	URLMax         = 300
	ScreenshotsMax = 5
	// DefaultDailyCap is what one member may pay one app a day unless the
	// developer sets a lower cap (cents).
	DefaultDailyCap int64 = 50000
	// MaxDailyCap is the highest cap a developer may set (cents).
	MaxDailyCap int64 = 200000
)

// App is a mini program as its pages and its developer see it.
type App struct {
	ID          string   `json:"-"`
	AppID       string   `json:"appid"`
	Developer   string   `json:"-"`
	Name        string   `json:"name"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	Icon        string   `json:"-"` // file name
	Screenshots []string `json:"-"`
	ServerURL   string   `json:"server_url,omitempty"`
	WebhookURL  string   `json:"webhook_url,omitempty"`
	DailyCap    int64    `json:"daily_cap"`
	Released    string   `json:"-"` // version record id
	Previous    string   `json:"-"`
	Suspended   bool     `json:"suspended,omitempty"`
	Created     string   `json:"created"`
	secret      string
}

// Live reports whether members can open the app: a released version and
// not suspended.
func (a App) Live() bool { return a.Released != "" && !a.Suspended }

// Merchant is the app's account in the wallet.
func (a App) Merchant() wallet.Merchant {
	return wallet.Merchant{Owner: a.ID, Ref: "mp:" + a.AppID, Name: a.Name}
}

// AppInput is what a developer fills in.
type AppInput struct {
	Name, Category, Description string
	ServerURL, WebhookURL       string
	DailyCap                    int64 // 0: DefaultDailyCap
	// Local lets the URLs be paths on this server ("/mp-demo/…"): set
	// only by `plaza demo` for the demo apps, never from a form.
	Local       bool
	Icon        *filesystem.File
	Screenshots []*filesystem.File
}

func appFrom(r *core.Record) App {
	return App{ID: r.Id, AppID: r.GetString("appid"), Developer: r.GetString("developer"), Name: r.GetString("name"),
		Category: r.GetString("category"), Description: r.GetString("description"), Icon: r.GetString("icon"),
		Screenshots: r.GetStringSlice("screenshots"), ServerURL: r.GetString("server_url"), WebhookURL: r.GetString("webhook_url"),
		DailyCap: int64(r.GetInt("daily_cap")), Released: r.GetString("released"), Previous: r.GetString("previous"),
		Suspended: r.GetBool("suspended"), Created: r.GetString("created"), secret: r.GetString("secret")}
}

// check validates the input; urls of a demo app may be paths on this
// server ("/mp-demo/…"), any other must be https.
func (in *AppInput) check() error {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	in.ServerURL, in.WebhookURL = strings.TrimSpace(in.ServerURL), strings.TrimSpace(in.WebhookURL)
	var p *problem.Problem
	add := func(field, key string, args map[string]any) {
		if p == nil {
			p = problem.Invalid(field, key, args)
			return
		}
		p.Add(field, key, args)
	}
	if in.Name == "" || utf8.RuneCountInString(in.Name) > NameMax {
		add("name", "mp.name_bad", map[string]any{"max": NameMax})
	}
	if !slices.Contains(Categories, in.Category) {
		add("category", "mp.category_bad", nil)
	}
	if utf8.RuneCountInString(in.Description) > DescriptionMax {
		add("description", "profile.too_long", map[string]any{"max": DescriptionMax})
	}
	for field, u := range map[string]string{"server_url": in.ServerURL, "webhook_url": in.WebhookURL} {
		if u != "" && !goodURL(u, in.Local) {
			add(field, "mp.url_bad", nil)
		}
	}
	if in.DailyCap == 0 {
		in.DailyCap = DefaultDailyCap
	}
	if in.DailyCap < 0 || in.DailyCap > MaxDailyCap {
		add("daily_cap", "mp.cap_bad", map[string]any{"max": wallet.FormatAmount(MaxDailyCap)})
	}
	if len(in.Screenshots) > ScreenshotsMax {
		add("screenshots", "mp.screenshots_too_many", map[string]any{"max": ScreenshotsMax})
	}
	if p != nil {
		return p
	}
	return nil
}

// goodURL: an https URL with a host, or (local) a demo path on this server.
func goodURL(s string, local bool) bool {
	if len(s) > URLMax {
		return false
	}
	if local && strings.HasPrefix(s, "/mp-demo/") && !strings.Contains(s, "..") && !strings.ContainsAny(s, "?#\\ ") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != "" && u.User == nil && u.Fragment == ""
}

// newSecret is a fresh AppSecret: 32 random bytes in hex.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newAppID is a fresh AppID: "mp" and 16 hex digits.
func newAppID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "mp" + hex.EncodeToString(b)
}

// IsDeveloper reports whether the member turned developer mode on.
func (s *Service) IsDeveloper(memberID string) (bool, error) {
	var n int
	err := s.app.DB().NewQuery(`SELECT COUNT(*) FROM mp_developers WHERE member = {:m}`).Bind(dbx.Params{"m": memberID}).Row(&n)
	if err != nil {
		return false, fmt.Errorf("read developer mode: %w", err)
	}
	return n > 0, nil
}

// SetDeveloper turns the member's developer mode on or off. Off keeps
// their apps (they go on running); it only hides the console.
func (s *Service) SetDeveloper(memberID string, on bool) error {
	q := `DELETE FROM mp_developers WHERE member = {:m}`
	if on {
		q = `INSERT INTO mp_developers (id, member, created) VALUES ({:id}, {:m}, {:at}) ON CONFLICT (member) DO NOTHING`
	}
	_, err := s.app.DB().NewQuery(q).Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "m": memberID, "at": s.stamp()}).Execute()
	if err != nil {
		return fmt.Errorf("set developer mode: %w", err)
	}
	return nil
}

// CreateApp registers a mini program for a member in developer mode and
// returns it with its AppSecret, which is shown this once.
func (s *Service) CreateApp(memberID string, in AppInput) (App, string, error) {
	if ok, err := s.IsDeveloper(memberID); err != nil {
		return App{}, "", err
	} else if !ok {
		return App{}, "", problem.New(http.StatusForbidden, "mp.developer_only")
	}
	if err := in.check(); err != nil {
		return App{}, "", err
	}
	col, err := s.app.FindCollectionByNameOrId("mp_apps")
	if err != nil {
		return App{}, "", fmt.Errorf("create app: %w", err)
	}
	secret := newSecret()
	r := core.NewRecord(col)
	r.Set("appid", newAppID())
	r.Set("developer", memberID)
	r.Set("secret", secret)
	setInput(r, in)
	if err := s.app.Save(r); err != nil {
		return App{}, "", fmt.Errorf("create app: %w", err)
	}
	return appFrom(r), secret, nil
}

func setInput(r *core.Record, in AppInput) {
	r.Set("name", in.Name)
	r.Set("category", in.Category)
	r.Set("description", in.Description)
	r.Set("server_url", in.ServerURL)
	r.Set("webhook_url", in.WebhookURL)
	r.Set("daily_cap", in.DailyCap)
	if in.Icon != nil {
		r.Set("icon", in.Icon)
	}
	if len(in.Screenshots) > 0 {
		r.Set("screenshots", in.Screenshots)
	}
}

// UpdateApp changes the developer's app (a missing icon or screenshots
// keep the old ones).
func (s *Service) UpdateApp(memberID, appid string, in AppInput) (App, error) {
	r, err := s.ownRecord(memberID, appid)
	if err != nil {
		return App{}, err
	}
	if err := in.check(); err != nil {
		return App{}, err
	}
	setInput(r, in)
	if err := s.app.Save(r); err != nil {
		return App{}, fmt.Errorf("update app: %w", err)
	}
	return appFrom(r), nil
}

// RotateSecret gives the app a new AppSecret (shown this once); the old
// one stops working at once.
func (s *Service) RotateSecret(memberID, appid string) (string, error) {
	r, err := s.ownRecord(memberID, appid)
	if err != nil {
		return "", err
	}
	secret := newSecret()
	r.Set("secret", secret)
	if err := s.app.Save(r); err != nil {
		return "", fmt.Errorf("rotate secret: %w", err)
	}
	return secret, nil
}

// ownRecord is the developer's app record; anyone else's is not found.
func (s *Service) ownRecord(memberID, appid string) (*core.Record, error) {
	r, err := s.app.FindFirstRecordByData("mp_apps", "appid", appid)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && r.GetString("developer") != memberID) {
		return nil, notFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find app: %w", err)
	}
	return r, nil
}

// Own is the developer's app.
func (s *Service) Own(memberID, appid string) (App, error) {
	r, err := s.ownRecord(memberID, appid)
	if err != nil {
		return App{}, err
	}
	return appFrom(r), nil
}

// Find is an app by its AppID, live or not: callers check who may see it.
func (s *Service) Find(appid string) (App, error) {
	return findApp(s.app, appid)
}

func findApp(app core.App, appid string) (App, error) {
	r, err := app.FindFirstRecordByData("mp_apps", "appid", appid)
	if errors.Is(err, sql.ErrNoRows) {
		return App{}, notFound()
	}
	if err != nil {
		return App{}, fmt.Errorf("find app: %w", err)
	}
	return appFrom(r), nil
}

// Visible is the app a member may open or see in the directory: live, or
// the developer's own.
func (s *Service) Visible(memberID, appid string) (App, error) {
	a, err := s.Find(appid)
	if err != nil {
		return App{}, err
	}
	if !a.Live() && a.Developer != memberID {
		return App{}, notFound()
	}
	return a, nil
}

// Mine are the developer's apps, newest first.
func (s *Service) Mine(memberID string) ([]App, error) {
	recs, err := s.app.FindRecordsByFilter("mp_apps", "developer = {:m}", "-created", 100, 0, dbx.Params{"m": memberID})
	if err != nil {
		return nil, fmt.Errorf("list my apps: %w", err)
	}
	out := make([]App, len(recs))
	for i, r := range recs {
		out[i] = appFrom(r)
	}
	return out, nil
}

// Record is the app's record (its icon and screenshots are served from
// it after the caller's check).
func (s *Service) Record(appid string) (*core.Record, error) {
	r, err := s.app.FindFirstRecordByData("mp_apps", "appid", appid)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound()
	}
	if err != nil {
		return nil, fmt.Errorf("find app: %w", err)
	}
	return r, nil
}

func (s *Service) stamp() string { return s.now().Format("2006-01-02 15:04:05.000Z") }
