package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(mpUp, mpDown)
}

// MPCategories are the directory's categories of a mini program
// (hooks/miniprograms keeps the same list).
var MPCategories = []string{"food", "shopping", "tools", "games", "education", "life", "social", "other"}

// mpTables are Mini Programs' tables, in the order they are created.
var mpTables = []string{"mp_developers", "mp_apps", "mp_versions", "mp_users", "mp_codes", "mp_visits", "mp_storage", "mp_orders", "mp_nonces"}

// mpUp adds Mini Programs (docs/MINIPROGRAMS.md): members in developer
// mode, their apps (the AppSecret a hidden field), versions a superuser
// reviews in /_/ (status approved or rejected with a reason), each
// member's per-app identity (openid, unionid, consent, star, last use),
// one-time login codes, daily visits, per-app storage, orders, and the
// server API's used nonces.
//
// Every rule is nil (superusers only): hooks/miniprograms decides who sees
// what.
func mpUp(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	dev := core.NewBaseCollection("mp_developers")
	dev.Fields.Add(
		&core.RelationField{Name: "member", CollectionId: users.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	dev.AddIndex("idx_mp_developers_member", true, "member", "")
	if err := app.Save(dev); err != nil {
		return err
	}
	apps, err := mpAppsUp(app, users.Id)
	if err != nil {
		return err
	}
	if err := mpMembersUp(app, users.Id, apps.Id); err != nil {
		return err
	}
	if err := mpOrdersUp(app, users.Id, apps.Id); err != nil {
		return err
	}
	return mpReportKind(app, true)
}

func mpAppsUp(app core.App, users string) (*core.Collection, error) {
	c := core.NewBaseCollection("mp_apps")
	c.Fields.Add(
		&core.TextField{Name: "appid", Required: true, Min: 18, Max: 18, Pattern: `^mp[0-9a-f]{16}$`},
		&core.RelationField{Name: "developer", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "name", Required: true, Max: 30},
		&core.FileField{Name: "icon", MaxSelect: 1, MaxSize: 2 << 20, Protected: true, Thumbs: []string{"120x120"},
			MimeTypes: []string{"image/png", "image/jpeg", "image/webp", "image/gif"}},
		&core.SelectField{Name: "category", Required: true, MaxSelect: 1, Values: MPCategories},
		&core.TextField{Name: "description", Max: 500},
		&core.FileField{Name: "screenshots", MaxSelect: 5, MaxSize: 5 << 20, Protected: true, Thumbs: []string{"360x0"},
			MimeTypes: []string{"image/png", "image/jpeg", "image/webp"}},
		&core.TextField{Name: "secret", Max: 64, Hidden: true},
		&core.TextField{Name: "server_url", Max: 300},
		&core.TextField{Name: "webhook_url", Max: 300},
		&core.NumberField{Name: "daily_cap", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.TextField{Name: "released", Max: 15},
		&core.TextField{Name: "previous", Max: 15},
		&core.BoolField{Name: "suspended"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	c.AddIndex("idx_mp_apps_appid", true, "appid", "")
	c.AddIndex("idx_mp_apps_developer", false, "developer", "")
	c.AddIndex("idx_mp_apps_category", false, "category", "")
	if err := app.Save(c); err != nil {
		return nil, err
	}
	// A version is a checked bundle (or an external HTTPS URL). status is
	// the superuser's decision in /_/: review → approved | rejected (with
	// reason); withdrawn when the developer replaces it before review.
	v := core.NewBaseCollection("mp_versions")
	v.Fields.Add(
		&core.RelationField{Name: "app", CollectionId: c.Id, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "version", Required: true, Max: 32},
		&core.FileField{Name: "bundle", MaxSelect: 1, MaxSize: 10 << 20, Protected: true},
		&core.TextField{Name: "url", Max: 300},
		&core.JSONField{Name: "manifest", MaxSize: 8 << 10},
		&core.TextField{Name: "note", Max: 500},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"review", "approved", "rejected", "withdrawn"}},
		&core.TextField{Name: "reason", Max: 500},
		&core.DateField{Name: "reviewed"},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	v.AddIndex("idx_mp_versions_app_created", false, "app, created", "")
	v.AddIndex("idx_mp_versions_status", false, "status", "")
	return c, app.Save(v)
}

func mpMembersUp(app core.App, users, apps string) error {
	u := core.NewBaseCollection("mp_users")
	u.Fields.Add(
		&core.RelationField{Name: "app", CollectionId: apps, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "openid", Required: true, Max: 40},
		&core.TextField{Name: "unionid", Required: true, Max: 40},
		&core.BoolField{Name: "consent"},
		&core.BoolField{Name: "starred"},
		&core.DateField{Name: "last_used"},
		&core.NumberField{Name: "storage_used", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	u.AddIndex("idx_mp_users_app_member", true, "app, member", "")
	u.AddIndex("idx_mp_users_openid", true, "openid", "")
	u.AddIndex("idx_mp_users_member_last", false, "member, last_used", "")
	if err := app.Save(u); err != nil {
		return err
	}
	codes := core.NewBaseCollection("mp_codes")
	codes.Fields.Add(
		&core.TextField{Name: "hash", Required: true, Max: 64},
		&core.RelationField{Name: "app", CollectionId: apps, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.DateField{Name: "expires", Required: true},
		&core.BoolField{Name: "used"},
	)
	codes.AddIndex("idx_mp_codes_hash", true, "hash", "")
	codes.AddIndex("idx_mp_codes_expires", false, "expires", "")
	if err := app.Save(codes); err != nil {
		return err
	}
	visits := core.NewBaseCollection("mp_visits")
	visits.Fields.Add(
		&core.RelationField{Name: "app", CollectionId: apps, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "day", Required: true, Max: 10},
	)
	visits.AddIndex("idx_mp_visits_app_day_member", true, "app, day, member", "")
	visits.AddIndex("idx_mp_visits_day", false, "day", "")
	if err := app.Save(visits); err != nil {
		return err
	}
	st := core.NewBaseCollection("mp_storage")
	st.Fields.Add(
		&core.RelationField{Name: "app", CollectionId: apps, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "key", Required: true, Max: 64},
		&core.TextField{Name: "value", Max: 65536},
	)
	st.AddIndex("idx_mp_storage_app_member_key", true, "app, member, key", "")
	return app.Save(st)
}

func mpOrdersUp(app core.App, users, apps string) error {
	o := core.NewBaseCollection("mp_orders")
	o.Fields.Add(
		&core.RelationField{Name: "app", CollectionId: apps, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "order_no", Required: true, Max: 64},
		&core.TextField{Name: "openid", Required: true, Max: 40},
		&core.RelationField{Name: "member", CollectionId: users, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.NumberField{Name: "amount", OnlyInt: true, Min: types.Pointer(1.0)},
		&core.NumberField{Name: "refunded", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.TextField{Name: "description", Max: 100},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"created", "paid", "refunded"}},
		&core.TextField{Name: "entry", Max: 15},
		&core.DateField{Name: "paid_at"},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	o.AddIndex("idx_mp_orders_app_no", true, "app, order_no", "")
	o.AddIndex("idx_mp_orders_app_paid", false, "app, paid_at", "")
	if err := app.Save(o); err != nil {
		return err
	}
	n := core.NewBaseCollection("mp_nonces")
	n.Fields.Add(
		&core.RelationField{Name: "app", CollectionId: apps, Required: true, MaxSelect: 1, CascadeDelete: true},
		&core.TextField{Name: "nonce", Required: true, Max: 64},
		&core.DateField{Name: "expires", Required: true},
	)
	n.AddIndex("idx_mp_nonces_app_nonce", true, "app, nonce", "")
	n.AddIndex("idx_mp_nonces_expires", false, "expires", "")
	return app.Save(n)
}

// mpReportKind adds (or, down, removes) the report kind of a mini program.
func mpReportKind(app core.App, up bool) error {
	c, err := app.FindCollectionByNameOrId("reports")
	if err != nil {
		return err
	}
	if kind, ok := c.Fields.GetByName("kind").(*core.SelectField); ok {
		kept := []string{}
		for _, k := range kind.Values {
			if k != "mp_app" {
				kept = append(kept, k)
			}
		}
		if up {
			kept = append(kept, "mp_app")
		}
		kind.Values = kept
	}
	return app.Save(c)
}

func mpDown(app core.App) error {
	if err := mpReportKind(app, false); err != nil {
		return err
	}
	for i := len(mpTables) - 1; i >= 0; i-- {
		c, err := app.FindCollectionByNameOrId(mpTables[i])
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
