package miniprograms

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// Version statuses: a superuser moves a version from review to approved
// or rejected (with a reason) in /_/; the developer may withdraw one in
// review.
const (
	StatusReview    = "review"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusWithdrawn = "withdrawn"
)

// Version is one uploaded bundle (or external URL) of an app.
type Version struct {
	ID       string   `json:"id"`
	App      string   `json:"-"`
	Version  string   `json:"version"`
	URL      string   `json:"url,omitempty"` // an external app
	Entry    string   `json:"entry,omitempty"`
	Perms    []string `json:"permissions"`
	Note     string   `json:"note,omitempty"`
	Status   string   `json:"status"`
	Reason   string   `json:"reason,omitempty"`
	Released bool     `json:"released"`
	Previous bool     `json:"previous"`
	Created  string   `json:"created"`
	bundle   string
}

func versionFrom(r *core.Record) Version {
	v := Version{ID: r.Id, App: r.GetString("app"), Version: r.GetString("version"), URL: r.GetString("url"),
		Note: r.GetString("note"), Status: r.GetString("status"), Reason: r.GetString("reason"),
		Created: r.GetString("created")}
	if name := r.GetString("bundle"); name != "" {
		v.bundle = r.BaseFilesPath() + "/" + name
	}
	var m Manifest
	if err := r.UnmarshalJSONField("manifest", &m); err == nil {
		v.Entry, v.Perms = m.Entry, m.Permissions
	}
	if v.Perms == nil {
		v.Perms = []string{}
	}
	return v
}

// NoteMax is the longest release note.
const NoteMax = 500

// UploadVersion checks a bundle (CheckBundle) and stores it as a new
// version in review. One version is in review at a time: withdraw it
// first (409 mp.review_pending).
func (s *Service) UploadVersion(memberID, appid string, bundle []byte, note string) (Version, error) {
	b, err := CheckBundle(bundle)
	if err != nil {
		return Version{}, err
	}
	f, err := filesystem.NewFileFromBytes(bundle, "bundle.zip")
	if err != nil {
		return Version{}, fmt.Errorf("store bundle: %w", err)
	}
	return s.addVersion(memberID, appid, note, func(r *core.Record) {
		r.Set("version", b.Manifest.Version)
		r.Set("manifest", b.Manifest)
		r.Set("bundle", f)
	})
}

// SubmitURL stores an external HTTPS app as a new version in review.
func (s *Service) SubmitURL(memberID, appid, rawURL, version, note string, perms []string) (Version, error) {
	rawURL = strings.TrimSpace(rawURL)
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(rawURL) > URLMax {
		return Version{}, problem.Invalid("url", "mp.url_bad", nil)
	}
	if !versionPattern.MatchString(version) {
		return Version{}, invalid("bundle_bad_manifest", map[string]any{"why": "version"})
	}
	for _, p := range perms {
		if !slices.Contains(Permissions, p) {
			return Version{}, invalid("bundle_bad_manifest", map[string]any{"why": "permissions"})
		}
	}
	m := Manifest{Version: version, Permissions: perms}
	return s.addVersion(memberID, appid, note, func(r *core.Record) {
		r.Set("version", version)
		r.Set("url", rawURL)
		r.Set("manifest", m)
	})
}

func (s *Service) addVersion(memberID, appid, note string, fill func(r *core.Record)) (Version, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > NoteMax {
		return Version{}, problem.Invalid("note", "profile.too_long", map[string]any{"max": NoteMax})
	}
	var out Version
	err := s.app.RunInTransaction(func(txApp core.App) error {
		a, err := txApp.FindFirstRecordByData("mp_apps", "appid", appid)
		if err != nil || a.GetString("developer") != memberID {
			return notFound()
		}
		var pending int
		if err := txApp.DB().NewQuery(`SELECT COUNT(*) FROM mp_versions WHERE app = {:a} AND status = 'review'`).
			Bind(dbx.Params{"a": a.Id}).Row(&pending); err != nil {
			return fmt.Errorf("count versions in review: %w", err)
		}
		if pending > 0 {
			return problem.New(http.StatusConflict, "mp.review_pending")
		}
		col, err := txApp.FindCollectionByNameOrId("mp_versions")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set("app", a.Id)
		r.Set("note", note)
		r.Set("status", StatusReview)
		fill(r)
		if err := txApp.Save(r); err != nil {
			return fmt.Errorf("save version: %w", err)
		}
		out = versionFrom(r)
		return nil
	})
	return out, err
}

// Versions are the developer's versions of their app, newest first.
func (s *Service) Versions(memberID, appid string) ([]Version, error) {
	a, err := s.Own(memberID, appid)
	if err != nil {
		return nil, err
	}
	recs, err := s.app.FindRecordsByFilter("mp_versions", "app = {:a}", "-created", 50, 0, dbx.Params{"a": a.ID})
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	out := make([]Version, len(recs))
	for i, r := range recs {
		out[i] = versionFrom(r)
		out[i].Released, out[i].Previous = r.Id == a.Released, r.Id == a.Previous
	}
	return out, nil
}

// versionOf is one version of the app a (not found otherwise).
func versionOf(app core.App, a App, versionID string) (Version, error) {
	r, err := app.FindRecordById("mp_versions", versionID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && r.GetString("app") != a.ID) {
		return Version{}, notFound()
	}
	if err != nil {
		return Version{}, fmt.Errorf("find version: %w", err)
	}
	v := versionFrom(r)
	v.Released, v.Previous = r.Id == a.Released, r.Id == a.Previous
	return v, nil
}

// WithdrawVersion takes the developer's version out of review.
func (s *Service) WithdrawVersion(memberID, appid, versionID string) error {
	return s.moveVersion(memberID, appid, versionID, func(v Version, _ *core.Record, r *core.Record) error {
		if v.Status != StatusReview {
			return problem.New(http.StatusConflict, "mp.version_state")
		}
		r.Set("status", StatusWithdrawn)
		return nil
	})
}

// Release makes an approved version the one members open; the one live
// before becomes the version Rollback returns to.
func (s *Service) Release(memberID, appid, versionID string) error {
	return s.moveVersion(memberID, appid, versionID, func(v Version, a *core.Record, _ *core.Record) error {
		if v.Status != StatusApproved {
			return problem.New(http.StatusConflict, "mp.version_state")
		}
		if v.Released {
			return nil
		}
		a.Set("previous", a.GetString("released"))
		a.Set("released", v.ID)
		return nil
	})
}

// Rollback makes the previous released version live again.
func (s *Service) Rollback(memberID, appid string) error {
	return s.app.RunInTransaction(func(txApp core.App) error {
		a, err := txApp.FindFirstRecordByData("mp_apps", "appid", appid)
		if err != nil || a.GetString("developer") != memberID {
			return notFound()
		}
		if a.GetString("previous") == "" {
			return problem.New(http.StatusConflict, "mp.no_previous")
		}
		a.Set("released", a.GetString("previous"))
		a.Set("previous", "")
		return txApp.Save(a)
	})
}

// moveVersion runs change on the developer's app and version records in
// one transaction and saves both.
func (s *Service) moveVersion(memberID, appid, versionID string, change func(v Version, a, r *core.Record) error) error {
	return s.app.RunInTransaction(func(txApp core.App) error {
		a, err := txApp.FindFirstRecordByData("mp_apps", "appid", appid)
		if err != nil || a.GetString("developer") != memberID {
			return notFound()
		}
		v, err := versionOf(txApp, appFrom(a), versionID)
		if err != nil {
			return err
		}
		r, err := txApp.FindRecordById("mp_versions", versionID)
		if err != nil {
			return err
		}
		if err := change(v, a, r); err != nil {
			return err
		}
		if err := txApp.Save(r); err != nil {
			return err
		}
		return txApp.Save(a)
	})
}

// Review records a superuser's decision on a version, as they make it in
// /_/: for tools that act as the superuser (the demo, tests). Nothing a
// member can reach calls it.
func Review(app core.App, versionID string, approve bool, reason string) error {
	r, err := app.FindRecordById("mp_versions", versionID)
	if err != nil {
		return fmt.Errorf("review version: %w", err)
	}
	r.Set("status", StatusRejected)
	if approve {
		r.Set("status", StatusApproved)
	}
	r.Set("reason", reason)
	if err := app.Save(r); err != nil {
		return fmt.Errorf("review version: %w", err)
	}
	return nil
}

// registerReview checks every change of a version's status however it is
// made (/_/ or Review): only review → approved | rejected (a rejection
// needs a reason) or review → withdrawn, and stamps when it was decided.
func registerReview(app core.App, _ *Service) {
	app.OnRecordUpdate("mp_versions").BindFunc(func(e *core.RecordEvent) error {
		before, after := e.Record.Original().GetString("status"), e.Record.GetString("status")
		if before == after {
			return e.Next()
		}
		if before != StatusReview {
			return errors.New("miniprograms: a decided version cannot change its status")
		}
		if after == StatusRejected && strings.TrimSpace(e.Record.GetString("reason")) == "" {
			return errors.New("miniprograms: a rejection needs a reason")
		}
		e.Record.Set("reviewed", types.NowDateTime())
		return e.Next()
	})
}

// PreviewToken is what a preview URL of an unreleased version carries: an
// HMAC of the version under the app's secret, given only to its developer.
func (a App) PreviewToken(versionID string) string {
	m := hmac.New(sha256.New, []byte(a.secret))
	m.Write([]byte("preview\x00" + versionID))
	return hex.EncodeToString(m.Sum(nil)[:12])
}
