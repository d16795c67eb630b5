package moments

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// Settings are a member's Moments settings.
type Settings struct {
	Range        string    `json:"range"`         // what friends may see of my posts: RangeAll, RangeHalfYear, RangeMonth, RangeThreeDay
	StrangersTen bool      `json:"strangers_ten"` // strangers may see my ten latest posts
	HasCover     bool      `json:"has_cover"`
	NotesRead    time.Time `json:"-"`
	FeedSeen     time.Time `json:"-"`
}

func (s *Service) settingsOf(memberID string) (Settings, error) {
	var row struct {
		Range     string `db:"range"`
		Strangers bool   `db:"strangers_ten"`
		Cover     string `db:"cover"`
		NotesRead string `db:"notes_read"`
		FeedSeen  string `db:"feed_seen"`
	}
	err := s.app.DB().NewQuery(`SELECT range, strangers_ten, cover, notes_read, feed_seen FROM moments_settings WHERE member = {:m}`).
		Bind(dbx.Params{"m": memberID}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{Range: RangeAll}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("read moments settings: %w", err)
	}
	out := Settings{Range: row.Range, StrangersTen: row.Strangers, HasCover: row.Cover != ""}
	if out.Range == "" {
		out.Range = RangeAll
	}
	for _, f := range []struct {
		raw string
		to  *time.Time
	}{{row.NotesRead, &out.NotesRead}, {row.FeedSeen, &out.FeedSeen}} {
		if f.raw == "" {
			continue
		}
		t, err := types.ParseDateTime(f.raw)
		if err != nil {
			return Settings{}, fmt.Errorf("moments settings time: %w", err)
		}
		*f.to = t.Time()
	}
	return out, nil
}

// SettingsOf are memberID's Moments settings.
func (s *Service) SettingsOf(memberID string) (Settings, error) { return s.settingsOf(memberID) }

// SaveSettings changes who may see memberID's posts: the range friends
// may see, and whether strangers may see ten. They apply at once, to old
// posts too.
func (s *Service) SaveSettings(memberID, rangeSetting string, strangersTen bool) error {
	switch rangeSetting {
	case RangeAll, RangeHalfYear, RangeMonth, RangeThreeDay:
	default:
		return problem.Invalid("range", "errors.bad_request", nil)
	}
	rec, err := s.settingsRecord(memberID)
	if err != nil {
		return err
	}
	rec.Set("range", rangeSetting)
	rec.Set("strangers_ten", strangersTen)
	if err := s.app.Save(rec); err != nil {
		return fmt.Errorf("save moments settings: %w", err)
	}
	return nil
}

// setSetting sets one field of memberID's settings row.
func (s *Service) setSetting(memberID, field string, value any) error {
	rec, err := s.settingsRecord(memberID)
	if err != nil {
		return err
	}
	rec.Set(field, value)
	if err := s.app.Save(rec); err != nil {
		return fmt.Errorf("save moments setting %s: %w", field, err)
	}
	return nil
}

// settingsRecord is memberID's settings row, new (unsaved) if none.
func (s *Service) settingsRecord(memberID string) (*core.Record, error) {
	rec, err := s.app.FindFirstRecordByData("moments_settings", "member", memberID)
	if err == nil {
		return rec, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("find moments settings: %w", err)
	}
	col, err := s.app.FindCachedCollectionByNameOrId("moments_settings")
	if err != nil {
		return nil, fmt.Errorf("moments settings collection: %w", err)
	}
	rec = core.NewRecord(col)
	rec.Set("member", memberID)
	rec.Set("range", RangeAll)
	return rec, nil
}
