package accounts

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The typed reads other modules use instead of naming the users table
// (docs/ARCHITECTURE.md, "Each table has one owner").

// Members loads the members with the given ids in one query, by id; ids
// with no member are left out.
func Members(app core.App, ids []string) (map[string]*Member, error) {
	out := make(map[string]*Member, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := app.FindRecordsByIds(Collection, ids)
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	for _, r := range recs {
		out[r.Id] = AsMember(r)
	}
	return out, nil
}

// Faces loads what a list shows of each member (Plaza ID, name,
// avatar: DisplayName, AvatarURL and Initial work; nothing else is
// loaded) in one light query, by id; ids with no member are left out.
// Pages that name many people (a post's commenters) use it instead of
// Members, which loads whole records through PocketBase's record hooks
// (docs/PERFORMANCE.md, "Channels").
func Faces(app core.App, ids []string) (map[string]*Member, error) {
	out := make(map[string]*Member, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	col, err := app.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return nil, fmt.Errorf("load faces: %w", err)
	}
	// One column per row (the driver's cost is per column): the four
	// fields joined by the unit separator, which no field holds.
	var rows []string
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, fmt.Errorf("load faces: %w", err)
	}
	if err := app.DB().NewQuery(`SELECT id || char(31) || plaza_id || char(31) || name || char(31) || avatar FROM ` + Collection +
		` WHERE id IN (SELECT value FROM json_each({:ids}))`).Bind(dbx.Params{"ids": string(list)}).Column(&rows); err != nil {
		return nil, fmt.Errorf("load faces: %w", err)
	}
	for _, row := range rows {
		f := strings.SplitN(row, "\x1f", 4)
		if len(f) != 4 {
			continue
		}
		rec := core.NewRecord(col)
		rec.Id = f[0]
		rec.Set(FieldPlazaID, f[1])
		rec.Set(FieldName, f[2])
		rec.Set(FieldAvatar, f[3])
		out[rec.Id] = AsMember(rec)
	}
	return out, nil
}

// Names maps the ids of existing members to their display names (their
// chosen name, else their Plaza ID), in one query.
func Names(app core.App, ids []string) (map[string]string, error) {
	ms, err := Members(app, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for id, m := range ms {
		out[id] = m.DisplayName()
	}
	return out, nil
}

// Flag reads one of a member's boolean fields (a privacy switch); false
// for an unknown member.
func Flag(app core.App, memberID, field string) (bool, error) {
	var on bool
	err := app.DB().NewQuery("SELECT " + field + " FROM " + Collection + " WHERE id = {:id}").Bind(dbx.Params{"id": memberID}).Row(&on)
	return on, err
}

// LastSeen is when the member was last seen online (zero when unknown).
func LastSeen(app core.App, memberID string) (time.Time, error) {
	var t string
	err := app.DB().NewQuery("SELECT last_seen FROM " + Collection + " WHERE id = {:id}").Bind(dbx.Params{"id": memberID}).Row(&t)
	if err != nil {
		return time.Time{}, err
	}
	seen, _ := time.Parse(types.DefaultDateLayout, t) // never set: the zero time
	return seen, nil
}

// SetLastSeen records when the member went offline.
func SetLastSeen(app core.App, memberID string, at time.Time) error {
	_, err := app.DB().NewQuery("UPDATE " + Collection + " SET last_seen = {:t} WHERE id = {:id}").
		Bind(dbx.Params{"t": at.UTC().Format(types.DefaultDateLayout), "id": memberID}).Execute()
	return err
}
