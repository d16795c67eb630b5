package storage_test

import (
	"path/filepath"
	"testing"

	"plaza/hooks/storage"
)

func TestSynchronousLevels(t *testing.T) {
	for name, want := range map[string]int{"data.db": 2, "auxiliary.db": 1} {
		db, err := storage.DBConnect(filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		var level, wal string
		if err := db.NewQuery("PRAGMA synchronous").Row(&level); err != nil {
			t.Fatal(err)
		}
		if err := db.NewQuery("PRAGMA journal_mode").Row(&wal); err != nil {
			t.Fatal(err)
		}
		if level != string(rune('0'+want)) || wal != "wal" {
			t.Errorf("%s: synchronous %s, journal %s", name, level, wal)
		}
		db.Close()
	}
}
