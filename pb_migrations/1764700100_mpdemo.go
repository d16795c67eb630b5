package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(mpdemoUp, mpdemoDown)
}

// mpdemoTables are the demo mini programs' own tables (hooks/demo/mpdemo),
// in the order they are created.
var mpdemoTables = []string{"mpdemo_apps", "mpdemo_sessions", "mpdemo_orders", "mpdemo_votes"}

// mpdemoUp adds what the demo mini programs' servers keep, as a
// third-party developer's server would keep it in its own database: each
// demo app's AppID and AppSecret (hidden), the Corner Café's sessions (a
// hash of the token it handed out, the openid it stands for) and its
// orders, and the Community Poll's votes (one per openid).
//
// Every rule is nil (superusers only): nothing of it is for members.
func mpdemoUp(app core.App) error {
	apps := core.NewBaseCollection("mpdemo_apps")
	apps.Fields.Add(
		&core.TextField{Name: "name", Required: true, Max: 20},
		&core.TextField{Name: "appid", Required: true, Max: 40},
		&core.TextField{Name: "secret", Required: true, Max: 128, Hidden: true},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	apps.AddIndex("idx_mpdemo_apps_name", true, "name", "")
	if err := app.Save(apps); err != nil {
		return err
	}
	sessions := core.NewBaseCollection("mpdemo_sessions")
	sessions.Fields.Add(
		&core.TextField{Name: "token_hash", Required: true, Max: 64, Hidden: true},
		&core.TextField{Name: "openid", Required: true, Max: 64},
		&core.DateField{Name: "expires", Required: true},
	)
	sessions.AddIndex("idx_mpdemo_sessions_token", true, "token_hash", "")
	sessions.AddIndex("idx_mpdemo_sessions_expires", false, "expires", "")
	if err := app.Save(sessions); err != nil {
		return err
	}
	orders := core.NewBaseCollection("mpdemo_orders")
	orders.Fields.Add(
		&core.TextField{Name: "order_no", Required: true, Max: 64},
		&core.TextField{Name: "openid", Required: true, Max: 64},
		&core.NumberField{Name: "amount", OnlyInt: true, Min: types.Pointer(1.0)},
		&core.TextField{Name: "description", Max: 100},
		&core.JSONField{Name: "items", MaxSize: 4 << 10},
		&core.SelectField{Name: "status", Required: true, MaxSelect: 1, Values: []string{"created", "paid", "refunded"}},
		&core.DateField{Name: "paid_at"},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	orders.AddIndex("idx_mpdemo_orders_no", true, "order_no", "")
	orders.AddIndex("idx_mpdemo_orders_openid", false, "openid", "")
	if err := app.Save(orders); err != nil {
		return err
	}
	votes := core.NewBaseCollection("mpdemo_votes")
	votes.Fields.Add(
		&core.TextField{Name: "openid", Required: true, Max: 64},
		&core.TextField{Name: "choice", Required: true, Max: 20},
		&core.AutodateField{Name: "created", OnCreate: true},
	)
	votes.AddIndex("idx_mpdemo_votes_openid", true, "openid", "")
	return app.Save(votes)
}

func mpdemoDown(app core.App) error {
	for i := len(mpdemoTables) - 1; i >= 0; i-- {
		c, err := app.FindCollectionByNameOrId(mpdemoTables[i])
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
