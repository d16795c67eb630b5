package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(oaChatUp, oaChatDown)
}

// oaChatUp lets Official Accounts talk in chat: a conversation of kind
// "oa" between one follower and an account (dm_key "oa:<account>:<member>"),
// folded out of the chat list for a subscription account (its follower
// reads it in Subscriptions), the follow's conversation and when the
// follower last opened Subscriptions, and a broadcast's delivery progress
// (the follower it reached last, done or not) so a restart resumes it.
func oaChatUp(app core.App) error {
	convs, err := app.FindCollectionByNameOrId("conversations")
	if err != nil {
		return err
	}
	if kind, ok := convs.Fields.GetByName("kind").(*core.SelectField); ok {
		kind.Values = append(kind.Values, "oa")
		if err := app.Save(convs); err != nil {
			return err
		}
	}
	members, err := app.FindCollectionByNameOrId("conversation_members")
	if err != nil {
		return err
	}
	members.Fields.Add(&core.BoolField{Name: "folded"})
	if err := app.Save(members); err != nil {
		return err
	}
	follows, err := app.FindCollectionByNameOrId("oa_follows")
	if err != nil {
		return err
	}
	follows.Fields.Add(&core.TextField{Name: "conversation", Max: 15}, &core.DateField{Name: "seen_at"})
	follows.AddIndex("idx_oa_follows_account_member", true, "account, member", "") // a broadcast's delivery walks it
	if err := app.Save(follows); err != nil {
		return err
	}
	b, err := app.FindCollectionByNameOrId("oa_broadcasts")
	if err != nil {
		return err
	}
	b.Fields.Add(&core.BoolField{Name: "delivered"}, &core.TextField{Name: "cursor", Max: 15})
	b.AddIndex("idx_oa_broadcasts_undelivered", false, "status, delivered", "delivered = 0")
	return app.Save(b)
}

func oaChatDown(app core.App) error {
	b, err := app.FindCollectionByNameOrId("oa_broadcasts")
	if err != nil {
		return err
	}
	b.RemoveIndex("idx_oa_broadcasts_undelivered")
	b.Fields.RemoveByName("delivered")
	b.Fields.RemoveByName("cursor")
	if err := app.Save(b); err != nil {
		return err
	}
	follows, err := app.FindCollectionByNameOrId("oa_follows")
	if err != nil {
		return err
	}
	follows.RemoveIndex("idx_oa_follows_account_member")
	follows.Fields.RemoveByName("conversation")
	follows.Fields.RemoveByName("seen_at")
	if err := app.Save(follows); err != nil {
		return err
	}
	members, err := app.FindCollectionByNameOrId("conversation_members")
	if err != nil {
		return err
	}
	members.Fields.RemoveByName("folded")
	return app.Save(members)
}
