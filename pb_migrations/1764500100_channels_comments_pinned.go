package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(channelsPinnedUp, channelsPinnedDown)
}

// channelsPinnedUp indexes the pinned comments of Channels posts (a
// partial index: only pinned rows, at most one a post), so a post's first
// comment page finds its pinned comment without reading the whole thread
// (hooks/channels, topComments; docs/PERFORMANCE.md, "Channels").
func channelsPinnedUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("channels_comments")
	if err != nil {
		return err
	}
	c.AddIndex("idx_channels_comments_pinned", false, "post", "pinned = 1")
	return app.Save(c)
}

func channelsPinnedDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId("channels_comments")
	if err != nil {
		return err
	}
	c.RemoveIndex("idx_channels_comments_pinned")
	return app.Save(c)
}
