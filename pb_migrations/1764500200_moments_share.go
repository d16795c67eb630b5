package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(momentsShareUp, momentsShareDown)
}

// momentsShareUp lets a Moments post carry a shared card (a Channels
// post, later an article): the card as the server built it, JSON.
func momentsShareUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("moments_posts")
	if err != nil {
		return err
	}
	c.Fields.Add(&core.JSONField{Name: "share", MaxSize: 4 << 10})
	return app.Save(c)
}

func momentsShareDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId("moments_posts")
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("share")
	return app.Save(c)
}
