package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(circleVersionUp, circleVersionDown)
}

// circleVersionUp adds contacts_circle_version: one counter that SQLite
// itself raises whenever a friendship, its Moments switches or a block
// changes, by whatever door (operations, /_/, the records API, raw SQL).
// contacts.Circles caches members' circles under it (docs/PERFORMANCE.md,
// "Moments").
func circleVersionUp(app core.App) error {
	for _, stmt := range []string{
		`CREATE TABLE contacts_circle_version (id INTEGER PRIMARY KEY CHECK (id = 1), v INTEGER NOT NULL)`,
		`INSERT INTO contacts_circle_version (id, v) VALUES (1, 1)`,
		`CREATE TRIGGER contacts_circle_insert AFTER INSERT ON contacts BEGIN
			UPDATE contacts_circle_version SET v = v + 1; END`,
		`CREATE TRIGGER contacts_circle_update AFTER UPDATE OF owner, friend, chat_only, hide_my_moments, hide_their_moments ON contacts BEGIN
			UPDATE contacts_circle_version SET v = v + 1; END`,
		`CREATE TRIGGER contacts_circle_delete AFTER DELETE ON contacts BEGIN
			UPDATE contacts_circle_version SET v = v + 1; END`,
		`CREATE TRIGGER blocks_circle_insert AFTER INSERT ON blocks BEGIN
			UPDATE contacts_circle_version SET v = v + 1; END`,
		`CREATE TRIGGER blocks_circle_update AFTER UPDATE OF owner, target ON blocks BEGIN
			UPDATE contacts_circle_version SET v = v + 1; END`,
		`CREATE TRIGGER blocks_circle_delete AFTER DELETE ON blocks BEGIN
			UPDATE contacts_circle_version SET v = v + 1; END`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	return nil
}

func circleVersionDown(app core.App) error {
	for _, stmt := range []string{
		`DROP TRIGGER contacts_circle_insert`, `DROP TRIGGER contacts_circle_update`, `DROP TRIGGER contacts_circle_delete`,
		`DROP TRIGGER blocks_circle_insert`, `DROP TRIGGER blocks_circle_update`, `DROP TRIGGER blocks_circle_delete`,
		`DROP TABLE contacts_circle_version`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	return nil
}
