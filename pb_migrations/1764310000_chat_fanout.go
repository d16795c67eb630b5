package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(chatFanoutUp, chatFanoutDown)
}

// chatFanoutUp supports the chat fan-out and the send path:
//
//   - conversations.members_ver, a plain column (not a collection field, so
//     no record save can write an old value back), which triggers bump on
//     every insert, delete or move of a conversation_members row. The
//     fan-out caches member lists by this version (hooks/chat/publish.go),
//     so no way of changing membership can leave a stale list behind.
//   - a partial index of the hidden member rows, so a send un-hides its chat
//     without visiting every member row of a big group.
func chatFanoutUp(app core.App) error {
	members, err := app.FindCollectionByNameOrId("conversation_members")
	if err != nil {
		return err
	}
	members.AddIndex("idx_conversation_members_hidden", false, "conversation", "hidden = 1")
	if err := app.Save(members); err != nil {
		return err
	}
	for _, stmt := range []string{
		`ALTER TABLE conversations ADD COLUMN members_ver INTEGER NOT NULL DEFAULT 0`,
		`CREATE TRIGGER conversation_members_ver_insert AFTER INSERT ON conversation_members BEGIN
			UPDATE conversations SET members_ver = members_ver + 1 WHERE id = new.conversation;
		END`,
		`CREATE TRIGGER conversation_members_ver_delete AFTER DELETE ON conversation_members BEGIN
			UPDATE conversations SET members_ver = members_ver + 1 WHERE id = old.conversation;
		END`,
		`CREATE TRIGGER conversation_members_ver_update AFTER UPDATE OF conversation, member ON conversation_members BEGIN
			UPDATE conversations SET members_ver = members_ver + 1 WHERE id IN (old.conversation, new.conversation);
		END`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	return nil
}

func chatFanoutDown(app core.App) error {
	for _, stmt := range []string{
		`DROP TRIGGER IF EXISTS conversation_members_ver_insert`,
		`DROP TRIGGER IF EXISTS conversation_members_ver_delete`,
		`DROP TRIGGER IF EXISTS conversation_members_ver_update`,
		`ALTER TABLE conversations DROP COLUMN members_ver`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}
	members, err := app.FindCollectionByNameOrId("conversation_members")
	if err != nil {
		return err
	}
	members.RemoveIndex("idx_conversation_members_hidden")
	return app.Save(members)
}
