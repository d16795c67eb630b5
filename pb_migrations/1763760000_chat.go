package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(chatUp, chatDown)
}

// chatUp adds conversations (1:1 and groups), their members with per-member
// state (read position, pin, mute…) and messages with a gap-free sequence
// per conversation. Only Plaza's code reads and writes them: the records API
// and its realtime SSE expose none of it (every rule is superuser-only), so
// no message can leak to someone outside the conversation that way.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func chatUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}

	convs := core.NewBaseCollection("conversations")
	convs.Fields.Add(
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"direct", "group"}},
		&core.TextField{Name: "name", Max: 60},
		&core.RelationField{Name: "owner", CollectionId: users.Id, MaxSelect: 1},
		&core.TextField{Name: "announcement", Max: 2000},
		&core.TextField{Name: "dm_key", Max: 40}, // "<id>:<id>" (sorted) for direct chats
		&core.NumberField{Name: "last_seq", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.DateField{Name: "last_at"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	convs.AddIndex("idx_conversations_dm_key", true, "dm_key", "dm_key != ''")
	if err := app.Save(convs); err != nil {
		return err
	}

	members := core.NewBaseCollection("conversation_members")
	members.Fields.Add(
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: []string{"owner", "admin", "member"}},
		&core.TextField{Name: "alias", Max: 40},
		&core.NumberField{Name: "joined_seq", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "last_read_seq", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "mention_seq", OnlyInt: true, Min: types.Pointer(0.0)}, // last message that @-mentioned them
		&core.NumberField{Name: "cleared_seq", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.BoolField{Name: "muted"},
		&core.BoolField{Name: "pinned"},
		&core.BoolField{Name: "hidden"},
		&core.BoolField{Name: "marked_unread"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	members.AddIndex("idx_conversation_members_conv_member", true, "conversation, member", "")
	members.AddIndex("idx_conversation_members_member", false, "member", "")
	if err := app.Save(members); err != nil {
		return err
	}

	messages := core.NewBaseCollection("messages")
	messages.Fields.Add(
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.NumberField{Name: "seq", Required: true, OnlyInt: true, Min: types.Pointer(1.0)},
		&core.RelationField{Name: "sender", CollectionId: users.Id, MaxSelect: 1},
		&core.TextField{Name: "client_id", Max: 64},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"text", "image", "file", "contact", "system", "card"}},
		&core.TextField{Name: "text", Max: 4000},
		&core.TextField{Name: "reply_to", Max: 15},
		&core.JSONField{Name: "meta", MaxSize: 8 << 10},
		&core.BoolField{Name: "recalled"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	messages.AddIndex("idx_messages_conv_seq", true, "conversation, seq", "")
	messages.AddIndex("idx_messages_client_id", true, "conversation, sender, client_id", "client_id != ''")
	if err := app.Save(messages); err != nil {
		return err
	}

	// Emoji reactions: one row per member, message and emoji.
	reactions := core.NewBaseCollection("message_reactions")
	reactions.Fields.Add(
		&core.RelationField{Name: "message", CollectionId: messages.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "emoji", Required: true, Max: 16},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	reactions.AddIndex("idx_message_reactions_unique", true, "message, member, emoji", "")
	if err := app.Save(reactions); err != nil {
		return err
	}

	// Reports of messages and people, worked on by admins in /_/.
	reports := core.NewBaseCollection("reports")
	reports.Fields.Add(
		&core.RelationField{Name: "reporter", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"message", "person"}},
		&core.RelationField{Name: "person", CollectionId: users.Id, MaxSelect: 1},
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, MaxSelect: 1},
		&core.TextField{Name: "message", Max: 15},
		&core.TextField{Name: "excerpt", Max: 4000}, // the reported message as it was, for the moderators
		&core.SelectField{Name: "reason", Required: true, MaxSelect: 1, Values: []string{"spam", "harassment", "fraud", "illegal", "other"}},
		&core.TextField{Name: "note", Max: 500},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"open", "resolved", "dismissed"}},
		&core.TextField{Name: "resolution", Max: 1000},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	reports.AddIndex("idx_reports_status", false, "status, created", "")
	if err := app.Save(reports); err != nil {
		return err
	}

	// Full-text search over text messages: FTS5 with the trigram tokenizer
	// (substring matches, Chinese included), kept in step by triggers.
	// Recalled messages leave the index.
	for _, stmt := range []string{
		`CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='rowid', tokenize='trigram')`,
		`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.kind = 'text' AND new.recalled = 0 BEGIN
			INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
		END`,
		`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, recalled ON messages WHEN old.kind = 'text' BEGIN
			INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.recalled = 0;
			INSERT INTO messages_fts(rowid, text) SELECT new.rowid, new.text WHERE new.recalled = 0;
		END`,
		`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.kind = 'text' AND old.recalled = 0 BEGIN
			INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
		END`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}

	s := app.Settings()
	s.RateLimits.Rules = append(s.RateLimits.Rules,
		core.RateLimitRule{Label: "GET /chats/search", MaxRequests: 30, Duration: 60},
		core.RateLimitRule{Label: "POST /report/", MaxRequests: 10, Duration: 300},
		core.RateLimitRule{Label: "GET /ws", MaxRequests: 60, Duration: 60},
		core.RateLimitRule{Label: "POST /api/plaza/ws-ticket", MaxRequests: 60, Duration: 60},
	)
	return app.Save(s)
}

func chatDown(app core.App) error {
	if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS messages_fts").Execute(); err != nil {
		return err
	}
	for _, name := range []string{"reports", "message_reactions", "messages", "conversation_members", "conversations"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
