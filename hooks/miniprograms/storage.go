package miniprograms

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Storage limits: per app, per member.
const (
	StorageQuota  = 64 << 10 // bytes of keys and values together
	StorageKeyMax = 64
)

// StorageUse is how much of the quota a member's data in an app takes.
type StorageUse struct {
	Keys  []string `json:"keys"`
	Used  int      `json:"used"`
	Quota int      `json:"quota"`
}

func checkKey(key string) error {
	if key == "" || len(key) > StorageKeyMax || !utf8.ValidString(key) || problem.HasNUL(key) {
		return problem.Invalid("key", "mp.storage_key_bad", map[string]any{"max": StorageKeyMax})
	}
	return nil
}

// StorageGet is one value the app stored for the member (404 when none).
func (s *Service) StorageGet(memberID, appid, key string) (string, error) {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return "", err
	}
	if err := s.permitted(memberID, a, "storage"); err != nil {
		return "", err
	}
	if err := checkKey(key); err != nil {
		return "", err
	}
	var v string
	err = s.app.DB().NewQuery(`SELECT value FROM mp_storage WHERE app = {:a} AND member = {:m} AND key = {:k}`).
		Bind(dbx.Params{"a": a.ID, "m": memberID, "k": key}).Row(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", problem.New(http.StatusNotFound, "mp.storage_missing")
	}
	if err != nil {
		return "", fmt.Errorf("read storage: %w", err)
	}
	return v, nil
}

// StorageSet stores a value for the member in the app; what would pass
// StorageQuota is refused (413 mp.storage_full) and nothing changes.
func (s *Service) StorageSet(memberID, appid, key, value string) (StorageUse, error) {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return StorageUse{}, err
	}
	if err := s.permitted(memberID, a, "storage"); err != nil {
		return StorageUse{}, err
	}
	if err := checkKey(key); err != nil {
		return StorageUse{}, err
	}
	if !utf8.ValidString(value) || problem.HasNUL(value) {
		return StorageUse{}, problem.Invalid("value", "mp.storage_value_bad", nil)
	}
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := userFor(txApp, a, memberID); err != nil {
			return err
		}
		var used int
		err := txApp.DB().NewQuery(`SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))), 0) FROM mp_storage
			WHERE app = {:a} AND member = {:m} AND key != {:k}`).Bind(dbx.Params{"a": a.ID, "m": memberID, "k": key}).Row(&used)
		if err != nil {
			return fmt.Errorf("measure storage: %w", err)
		}
		if used+len(key)+len(value) > StorageQuota {
			return problem.New(http.StatusRequestEntityTooLarge, "mp.storage_full")
		}
		_, err = txApp.DB().NewQuery(`INSERT INTO mp_storage (id, app, member, key, value) VALUES ({:id}, {:a}, {:m}, {:k}, {:v})
			ON CONFLICT (app, member, key) DO UPDATE SET value = excluded.value`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": a.ID, "m": memberID, "k": key, "v": value}).Execute()
		return err
	})
	if err != nil {
		return StorageUse{}, err
	}
	return s.StorageKeys(memberID, appid)
}

// StorageRemove deletes one key (nothing when it is not there).
func (s *Service) StorageRemove(memberID, appid, key string) error {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return err
	}
	if err := s.permitted(memberID, a, "storage"); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	_, err = s.app.DB().NewQuery(`DELETE FROM mp_storage WHERE app = {:a} AND member = {:m} AND key = {:k}`).
		Bind(dbx.Params{"a": a.ID, "m": memberID, "k": key}).Execute()
	return err
}

// StorageKeys are the member's keys in the app and the quota's use.
func (s *Service) StorageKeys(memberID, appid string) (StorageUse, error) {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return StorageUse{}, err
	}
	if err := s.permitted(memberID, a, "storage"); err != nil {
		return StorageUse{}, err
	}
	var rows []struct {
		Key  string `db:"key"`
		Size int    `db:"size"`
	}
	err = s.app.DB().NewQuery(`SELECT key, length(CAST(key AS BLOB)) + length(CAST(value AS BLOB)) AS size FROM mp_storage
		WHERE app = {:a} AND member = {:m} ORDER BY key`).Bind(dbx.Params{"a": a.ID, "m": memberID}).All(&rows)
	if err != nil {
		return StorageUse{}, fmt.Errorf("list storage: %w", err)
	}
	out := StorageUse{Keys: make([]string, 0, len(rows)), Quota: StorageQuota}
	for _, r := range rows {
		out.Keys = append(out.Keys, r.Key)
		out.Used += r.Size
	}
	return out, nil
}
