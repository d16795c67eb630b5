package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(chatExtrasUp, chatExtrasDown)
}

// MemberOfConversationRule lets a member see a record whose "conversation"
// relation is a chat they are in now (one back-relation row must match).
const MemberOfConversationRule = `@request.auth.id != "" && conversation.conversation_members_via_conversation.member ?= @request.auth.id`

// chatExtrasUp adds chat media (protected files), delete-for-me,
// favourites, invitation approval, announcement read marks and the file
// size setting; the search index now also covers file names.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func chatExtrasUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	convs, err := app.FindCollectionByNameOrId("conversations")
	if err != nil {
		return err
	}
	messages, err := app.FindCollectionByNameOrId("messages")
	if err != nil {
		return err
	}

	// Pictures and files sent in chats. Protected: PocketBase serves them
	// only with a short-lived file token of a member who passes viewRule.
	media := core.NewBaseCollection("chat_media")
	media.Fields.Add(
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "uploader", CollectionId: users.Id, MaxSelect: 1},
		&core.FileField{Name: "file", Required: true, MaxSelect: 1, MaxSize: 2000 << 20, Protected: true, Thumbs: []string{"480x480f"}},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"image", "file"}},
		&core.TextField{Name: "name", Max: 200},
		&core.TextField{Name: "mime", Max: 100},
		&core.NumberField{Name: "size", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "width", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "height", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	media.ViewRule = types.Pointer(MemberOfConversationRule)
	media.AddIndex("idx_chat_media_conversation", false, "conversation", "")
	if err := app.Save(media); err != nil {
		return err
	}

	// Messages a member deleted for themselves only.
	hides := core.NewBaseCollection("message_hides")
	hides.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "message", CollectionId: messages.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	hides.AddIndex("idx_message_hides_member_message", true, "member, message", "")
	if err := app.Save(hides); err != nil {
		return err
	}

	// Favourites: a copy of a message as it was, kept by its owner even
	// after they leave the chat.
	favs := core.NewBaseCollection("favourites")
	favs.Fields.Add(
		&core.RelationField{Name: "owner", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"text", "image", "file", "card"}},
		&core.TextField{Name: "text", Max: 4000},
		&core.JSONField{Name: "meta", MaxSize: 16 << 10},
		&core.RelationField{Name: "sender", CollectionId: users.Id, MaxSelect: 1},
		&core.TextField{Name: "source", Max: 15}, // the message it was saved from
		&core.FileField{Name: "file", MaxSelect: 1, MaxSize: 2000 << 20, Protected: true, Thumbs: []string{"480x480f"}},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	favs.ListRule = types.Pointer(`owner = @request.auth.id`)
	favs.ViewRule = types.Pointer(`owner = @request.auth.id`)
	favs.AddIndex("idx_favourites_owner_source", true, "owner, source", "source != ''")
	favs.AddIndex("idx_favourites_owner_created", false, "owner, created", "")
	if err := app.Save(favs); err != nil {
		return err
	}

	// Invitations waiting for the owner's approval.
	requests := core.NewBaseCollection("group_join_requests")
	requests.Fields.Add(
		&core.RelationField{Name: "conversation", CollectionId: convs.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "inviter", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "invitee", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	requests.AddIndex("idx_group_join_requests_unique", true, "conversation, invitee", "")
	if err := app.Save(requests); err != nil {
		return err
	}

	convs.Fields.Add(
		&core.BoolField{Name: "invite_approval"},
		&core.NumberField{Name: "announcement_rev", OnlyInt: true, Min: types.Pointer(0.0)},
	)
	if err := app.Save(convs); err != nil {
		return err
	}
	members, err := app.FindCollectionByNameOrId("conversation_members")
	if err != nil {
		return err
	}
	members.Fields.Add(&core.NumberField{Name: "announcement_read_rev", OnlyInt: true, Min: types.Pointer(0.0)})
	if err := app.Save(members); err != nil {
		return err
	}

	settings, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	settings.Fields.Add(&core.NumberField{Name: "chat_file_max_mb", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(2000.0)})
	if err := app.Save(settings); err != nil {
		return err
	}
	row, err := app.FindRecordById(settings, SettingsRecordID)
	if err != nil {
		return err
	}
	row.Set("chat_file_max_mb", 25)
	if err := app.Save(row); err != nil {
		return err
	}

	// File names are searchable too (the search page filters by kind).
	for _, stmt := range []string{
		`DROP TRIGGER messages_fts_insert`,
		`DROP TRIGGER messages_fts_update`,
		`DROP TRIGGER messages_fts_delete`,
		`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.kind IN ('text', 'file') AND new.recalled = 0 BEGIN
			INSERT INTO messages_fts(rowid, text) VALUES (new.rowid, new.text);
		END`,
		`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, recalled ON messages WHEN old.kind IN ('text', 'file') BEGIN
			INSERT INTO messages_fts(messages_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.recalled = 0;
			INSERT INTO messages_fts(rowid, text) SELECT new.rowid, new.text WHERE new.recalled = 0;
		END`,
		`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.kind IN ('text', 'file') AND old.recalled = 0 BEGIN
			INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
		END`,
	} {
		if _, err := app.DB().NewQuery(stmt).Execute(); err != nil {
			return err
		}
	}

	s := app.Settings()
	s.RateLimits.Rules = append(s.RateLimits.Rules,
		core.RateLimitRule{Label: "POST /chats/", MaxRequests: 120, Duration: 60},
	)
	return app.Save(s)
}

func chatExtrasDown(app core.App) error {
	for _, stmt := range []string{
		`DROP TRIGGER messages_fts_insert`,
		`DROP TRIGGER messages_fts_update`,
		`DROP TRIGGER messages_fts_delete`,
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
	for _, name := range []string{"group_join_requests", "favourites", "message_hides", "chat_media"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	for coll, fields := range map[string][]string{
		"conversations":        {"invite_approval", "announcement_rev"},
		"conversation_members": {"announcement_read_rev"},
		"settings":             {"chat_file_max_mb"},
	} {
		c, err := app.FindCollectionByNameOrId(coll)
		if err != nil {
			return err
		}
		for _, f := range fields {
			c.Fields.RemoveByName(f)
		}
		if err := app.Save(c); err != nil {
			return err
		}
	}
	return nil
}
