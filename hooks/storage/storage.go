// Package storage opens Plaza's SQLite databases. It is PocketBase's
// default connection with one change: the main database (data.db, which
// holds the wallet's ledger and the chats) runs with synchronous=FULL, so a
// transaction acknowledged to a client survives not only a killed process
// (WAL with NORMAL already does) but also a power cut or kernel crash.
// The auxiliary database (logs) keeps NORMAL.
package storage

import (
	"fmt"
	"path/filepath"

	"github.com/pocketbase/dbx"
	_ "modernc.org/sqlite" // the pure-Go driver PocketBase uses
)

// pragmas are PocketBase's defaults (core.DefaultDBConnect) with the
// synchronous level left open; busy_timeout must come first.
const pragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)&_pragma=synchronous(%s)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"

// Synchronous is the level a database file gets: FULL for data.db, NORMAL
// for the rest.
func Synchronous(dbPath string) string {
	if filepath.Base(dbPath) == "data.db" {
		return "FULL"
	}
	return "NORMAL"
}

// DBConnect is a core.DBConnectFunc for pocketbase.Config.
func DBConnect(dbPath string) (*dbx.DB, error) {
	return dbx.Open("sqlite", dbPath+fmt.Sprintf(pragmas, Synchronous(dbPath)))
}
