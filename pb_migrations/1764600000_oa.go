package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(oaUp, oaDown)
}

// OACategories are the directory's categories of an Official Account
// (hooks/oa keeps the same list).
var OACategories = []string{"community", "news", "sports", "food", "shopping", "health", "education", "services", "culture", "other"}

// oaTables are Official Accounts' tables, in the order they are created.
var oaTables = []string{"oa_accounts", "oa_operators", "oa_follows", "oa_articles", "oa_article_reads", "oa_reactions",
	"oa_comments", "oa_broadcasts", "oa_autoreplies", "oa_daily", "oa_media", "oa_webhook_log"}

// oaUp adds Official Accounts (docs/OFFICIAL_ACCOUNTS.md): accounts a
// superuser approves, their operators and followers, articles with reads,
// reactions and comments, broadcasts, keyword auto-replies, daily stats,
// the account's own uploads, the webhook's delivery log, and the
// community's broadcast quotas.
//
// Every rule is nil (superusers only): hooks/oa decides who sees what (an
// unapproved account only its owner). Superusers set status,
// reject_reason and verified in /_/. The webhook secret is a hidden field.
func oaUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	accounts, err := oaAccountsUp(app, users.Id)
	if err != nil {
		return err
	}
	if err := oaPeopleUp(app, users.Id, accounts.Id); err != nil {
		return err
	}
	articles, err := oaArticlesUp(app, users.Id, accounts.Id)
	if err != nil {
		return err
	}
	if err := oaMessagingUp(app, accounts.Id, articles.Id); err != nil {
		return err
	}
	if err := oaReportKinds(app, true); err != nil {
		return err
	}
	return oaSettingsUp(app)
}

// oaReportKindNames are the things of Official Accounts the one reports
// queue holds.
var oaReportKindNames = []string{"oa_account", "oa_article", "oa_comment"}

// oaReportKinds adds (or, down, removes) Official Accounts' report kinds.
func oaReportKinds(app core.App, up bool) error {
	c, err := app.FindCollectionByNameOrId("reports")
	if err != nil {
		return err
	}
	if kind, ok := c.Fields.GetByName("kind").(*core.SelectField); ok {
		kept := []string{}
		for _, k := range kind.Values {
			if !slices.Contains(oaReportKindNames, k) {
				kept = append(kept, k)
			}
		}
		if up {
			kept = append(kept, oaReportKindNames...)
		}
		kind.Values = kept
	}
	return app.Save(c)
}

func oaAccountsUp(app core.App, users string) (*core.Collection, error) {
	c := core.NewBaseCollection("oa_accounts")
	c.Fields.Add(
		&core.RelationField{Name: "owner", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "name", Required: true, Max: 30},
		&core.TextField{Name: "handle", Required: true, Min: 3, Max: 30, Pattern: `^[a-z0-9_]+$`},
		&core.FileField{Name: "avatar", MaxSelect: 1, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"160x160"}},
		&core.TextField{Name: "description", Max: 200},
		&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: OACategories},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"subscription", "service"}},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"pending", "approved", "rejected"}},
		&core.TextField{Name: "reject_reason", Max: 200},
		&core.BoolField{Name: "verified"},
		&core.NumberField{Name: "followers", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.TextField{Name: "welcome", Max: 600},
		&core.TextField{Name: "default_reply", Max: 600},
		&core.JSONField{Name: "menu", MaxSize: 16 << 10},
		&core.TextField{Name: "webhook_url", Max: 500},
		&core.TextField{Name: "webhook_secret", Max: 128, Hidden: true},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	c.AddIndex("idx_oa_accounts_handle", true, "handle", "")
	c.AddIndex("idx_oa_accounts_owner", false, "owner", "")
	c.AddIndex("idx_oa_accounts_status_category", false, "status, category, followers", "")
	return c, app.Save(c)
}

func oaPeopleUp(app core.App, users, accounts string) error {
	ops := core.NewBaseCollection("oa_operators")
	ops.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	ops.AddIndex("idx_oa_operators_account_member", true, "account, member", "")
	ops.AddIndex("idx_oa_operators_member", false, "member", "")
	if err := app.Save(ops); err != nil {
		return err
	}
	// last_message_at is when the follower last wrote: operators may answer
	// for 48 h after it.
	follows := core.NewBaseCollection("oa_follows")
	follows.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.DateField{Name: "at", Required: true},
		&core.DateField{Name: "last_message_at"},
	)
	follows.AddIndex("idx_oa_follows_member_account", true, "member, account", "")
	follows.AddIndex("idx_oa_follows_account_at", false, "account, at", "")
	return app.Save(follows)
}

// oaArticlesUp adds articles and what readers do to them. body_html is
// body_md rendered and sanitised when saved (hooks/oa/markdown.go).
func oaArticlesUp(app core.App, users, accounts string) (*core.Collection, error) {
	a := core.NewBaseCollection("oa_articles")
	a.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "title", Required: true, Max: 64},
		&core.TextField{Name: "author", Max: 16},
		&core.TextField{Name: "digest", Max: 120},
		&core.FileField{Name: "cover", MaxSelect: 1, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"360x200", "900x0"}},
		&core.TextField{Name: "body_md", Max: 20000},
		&core.TextField{Name: "body_html", Max: 400000},
		&core.BoolField{Name: "comments_open"},
		&core.NumberField{Name: "reads", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "likes", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "wows", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.DateField{Name: "published_at"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	a.AddIndex("idx_oa_articles_account_published", false, "account, published_at", "")
	if err := app.Save(a); err != nil {
		return nil, err
	}
	// One row per viewer per article per day: a member's id, or a
	// signed-out visitor's key under a salt kept one day in memory.
	reads := core.NewBaseCollection("oa_article_reads")
	reads.Fields.Add(
		&core.RelationField{Name: "article", CollectionId: a.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "viewer", Required: true, Max: 64},
		&core.TextField{Name: "day", Required: true, Max: 10},
	)
	reads.AddIndex("idx_oa_article_reads_article_viewer_day", true, "article, viewer, day", "")
	reads.AddIndex("idx_oa_article_reads_day", false, "day", "")
	if err := app.Save(reads); err != nil {
		return nil, err
	}
	reactions := core.NewBaseCollection("oa_reactions")
	reactions.Fields.Add(
		&core.RelationField{Name: "article", CollectionId: a.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "kind", Required: true, MaxSelect: 1, Values: []string{"like", "wow"}},
		&core.DateField{Name: "at", Required: true},
	)
	reactions.AddIndex("idx_oa_reactions_article_member_kind", true, "article, member, kind", "")
	if err := app.Save(reactions); err != nil {
		return nil, err
	}
	comments := core.NewBaseCollection("oa_comments")
	comments.Fields.Add(
		&core.RelationField{Name: "article", CollectionId: a.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "author", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "text", Required: true, Max: 600},
		&core.BoolField{Name: "shown"},
		&core.TextField{Name: "reply", Max: 600},
		&core.DateField{Name: "replied_at"},
		&core.DateField{Name: "at", Required: true},
	)
	comments.AddIndex("idx_oa_comments_article_at", false, "article, at", "")
	return a, app.Save(comments)
}

func oaMessagingUp(app core.App, accounts, articles string) error {
	b := core.NewBaseCollection("oa_broadcasts")
	b.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "article", CollectionId: articles, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"scheduled", "sent", "cancelled"}},
		&core.DateField{Name: "scheduled_at", Required: true},
		&core.DateField{Name: "sent_at"},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	b.AddIndex("idx_oa_broadcasts_status_scheduled", false, "status, scheduled_at", "")
	b.AddIndex("idx_oa_broadcasts_account_scheduled", false, "account, scheduled_at", "")
	if err := app.Save(b); err != nil {
		return err
	}
	ar := core.NewBaseCollection("oa_autoreplies")
	ar.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "keyword", Required: true, Max: 60},
		&core.SelectField{Name: "match_type", Required: true, MaxSelect: 1, Values: []string{"exact", "contains"}},
		&core.TextField{Name: "reply", Required: true, Max: 600},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	ar.AddIndex("idx_oa_autoreplies_account_keyword", true, "account, keyword, match_type", "")
	if err := app.Save(ar); err != nil {
		return err
	}
	daily := core.NewBaseCollection("oa_daily")
	daily.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "day", Required: true, Max: 10},
		&core.NumberField{Name: "followed", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "unfollowed", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.NumberField{Name: "reads", OnlyInt: true, Min: types.Pointer(0.0)},
	)
	daily.AddIndex("idx_oa_daily_account_day", true, "account, day", "")
	if err := app.Save(daily); err != nil {
		return err
	}
	// The account's own uploads: the only images an article may show.
	media := core.NewBaseCollection("oa_media")
	media.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.FileField{Name: "file", Required: true, MaxSelect: 1, MaxSize: 10 << 20, Protected: true, Thumbs: []string{"900x0"}},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	media.AddIndex("idx_oa_media_account", false, "account", "")
	if err := app.Save(media); err != nil {
		return err
	}
	// One row per follower message handed to the webhook: a message is
	// POSTed once, however often it is asked for.
	hook := core.NewBaseCollection("oa_webhook_log")
	hook.Fields.Add(
		&core.RelationField{Name: "account", CollectionId: accounts, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "message", Required: true, Max: 64},
		&core.TextField{Name: "follower", Required: true, Max: 64}, // the follower's key (FollowerKey)
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"sending", "answered", "failed"}},
		&core.TextField{Name: "reply", Max: 600},
		&core.NumberField{Name: "tries", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	hook.AddIndex("idx_oa_webhook_log_account_message", true, "account, message", "")
	return app.Save(hook)
}

// oaSettingsUp adds the broadcast quotas: a subscription account's per
// day, a service account's per month.
func oaSettingsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	c.Fields.Add(
		&core.NumberField{Name: "oa_subscription_per_day", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(100.0)},
		&core.NumberField{Name: "oa_service_per_month", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(1000.0)},
	)
	if err := app.Save(c); err != nil {
		return err
	}
	row, err := app.FindRecordById(c, SettingsRecordID)
	if err != nil {
		return err
	}
	row.Set("oa_subscription_per_day", 1)
	row.Set("oa_service_per_month", 4)
	return app.Save(row)
}

func oaDown(app core.App) error {
	if err := oaReportKinds(app, false); err != nil {
		return err
	}
	c, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("oa_subscription_per_day")
	c.Fields.RemoveByName("oa_service_per_month")
	if err := app.Save(c); err != nil {
		return err
	}
	for i := len(oaTables) - 1; i >= 0; i-- {
		col, err := app.FindCollectionByNameOrId(oaTables[i])
		if err != nil {
			return err
		}
		if err := app.Delete(col); err != nil {
			return err
		}
	}
	return nil
}
