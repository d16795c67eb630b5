package pb_migrations

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(contactsUp, contactsDown)
}

// contactsUp adds friendships (one contacts row per direction), friend
// requests, per-member tags and blocks, the members' privacy switches and QR
// code generation, and the community's secret for signed links.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func contactsUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	users.Fields.Add(
		&core.BoolField{Name: "no_find_by_id"},
		&core.BoolField{Name: "no_find_by_email"},
		&core.BoolField{Name: "no_find_by_qr"},
		&core.BoolField{Name: "no_find_by_group"},
		&core.BoolField{Name: "hide_typing"},   // don't show "typing…" to others
		&core.BoolField{Name: "hide_presence"}, // don't show online / last seen
		&core.BoolField{Name: "read_receipts"}, // opt in: 1:1 partners see when I read
		&core.DateField{Name: "last_seen", Hidden: true},
		&core.NumberField{Name: "qr_epoch", OnlyInt: true, Min: types.Pointer(0.0), Hidden: true},
	)
	users.UpdateRule = types.Pointer("id = @request.auth.id && @request.body.plaza_id:isset = false && " +
		"@request.body.invite:isset = false && @request.body.qr_epoch:isset = false && @request.body.last_seen:isset = false")
	if err := app.Save(users); err != nil {
		return err
	}

	settings, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	settings.Fields.Add(
		&core.TextField{Name: "link_secret", Min: 32, Max: 128, Hidden: true},
		&core.NumberField{Name: "friend_requests_per_hour", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(1000.0)},
	)
	if err := app.Save(settings); err != nil {
		return err
	}
	row, err := app.FindRecordById(settings, SettingsRecordID)
	if err != nil {
		return err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	row.Set("link_secret", hex.EncodeToString(secret))
	row.Set("friend_requests_per_hour", 30)
	if err := app.Save(row); err != nil {
		return err
	}

	owner := "owner = @request.auth.id"

	tags := core.NewBaseCollection("contact_tags")
	tags.ListRule, tags.ViewRule = types.Pointer(owner), types.Pointer(owner)
	tags.Fields.Add(
		&core.RelationField{Name: "owner", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "name", Required: true, Max: 20},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	tags.AddIndex("idx_contact_tags_owner_name", true, "owner, name COLLATE NOCASE", "")
	if err := app.Save(tags); err != nil {
		return err
	}

	contacts := core.NewBaseCollection("contacts")
	contacts.ListRule, contacts.ViewRule = types.Pointer(owner), types.Pointer(owner)
	contacts.Fields.Add(
		&core.RelationField{Name: "owner", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "friend", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "remark", Max: 40},
		&core.RelationField{Name: "tags", CollectionId: tags.Id, MaxSelect: 100},
		&core.BoolField{Name: "starred"},
		&core.BoolField{Name: "chat_only"},
		&core.BoolField{Name: "hide_my_moments"},
		&core.BoolField{Name: "hide_their_moments"},
		&core.SelectField{Name: "source", MaxSelect: 1, Values: []string{"id", "email", "qr", "group", "card"}},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	contacts.AddIndex("idx_contacts_owner_friend", true, "owner, friend", "")
	contacts.AddIndex("idx_contacts_friend", false, "friend", "")
	if err := app.Save(contacts); err != nil {
		return err
	}

	requests := core.NewBaseCollection("friend_requests")
	// The sender sees what they sent; the recipient sees what reached them.
	// A request from someone the recipient blocked is "silenced": kept for
	// the sender (who is not told) and never shown to the recipient.
	requests.ListRule = types.Pointer("from = @request.auth.id || (to = @request.auth.id && silenced = false)")
	requests.ViewRule = requests.ListRule
	requests.Fields.Add(
		&core.RelationField{Name: "from", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "to", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "greeting", Max: 100},
		&core.TextField{Name: "remark", Max: 40},
		&core.SelectField{Name: "source", MaxSelect: 1, Values: []string{"id", "email", "qr", "group", "card"}},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"pending", "accepted", "ignored"}},
		&core.BoolField{Name: "silenced"},
		&core.DateField{Name: "expires", Required: true},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	requests.AddIndex("idx_friend_requests_from_to", true, "`from`, `to`", "")
	requests.AddIndex("idx_friend_requests_to_status", false, "`to`, status, expires", "")
	if err := app.Save(requests); err != nil {
		return err
	}

	blocks := core.NewBaseCollection("blocks")
	blocks.ListRule, blocks.ViewRule = types.Pointer(owner), types.Pointer(owner)
	blocks.Fields.Add(
		&core.RelationField{Name: "owner", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "target", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	blocks.AddIndex("idx_blocks_owner_target", true, "owner, target", "")
	blocks.AddIndex("idx_blocks_target", false, "target", "")
	if err := app.Save(blocks); err != nil {
		return err
	}

	s := app.Settings()
	s.RateLimits.Rules = append(s.RateLimits.Rules,
		core.RateLimitRule{Label: "POST /contacts/requests", MaxRequests: 20, Duration: 60},
		core.RateLimitRule{Label: "POST /api/plaza/contacts/requests", MaxRequests: 20, Duration: 60},
		core.RateLimitRule{Label: "GET /contacts/search", MaxRequests: 30, Duration: 60},
		core.RateLimitRule{Label: "GET /api/plaza/contacts/search", MaxRequests: 30, Duration: 60},
		core.RateLimitRule{Label: "POST /scan", MaxRequests: 30, Duration: 60},
	)
	return app.Save(s)
}

func contactsDown(app core.App) error {
	for _, name := range []string{"blocks", "friend_requests", "contacts", "contact_tags"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	for _, name := range []string{"no_find_by_id", "no_find_by_email", "no_find_by_qr", "no_find_by_group", "qr_epoch",
		"hide_typing", "hide_presence", "read_receipts", "last_seen"} {
		users.Fields.RemoveByName(name)
	}
	users.UpdateRule = types.Pointer("id = @request.auth.id && @request.body.plaza_id:isset = false && @request.body.invite:isset = false")
	if err := app.Save(users); err != nil {
		return err
	}
	settings, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	settings.Fields.RemoveByName("link_secret")
	settings.Fields.RemoveByName("friend_requests_per_hour")
	return app.Save(settings)
}
