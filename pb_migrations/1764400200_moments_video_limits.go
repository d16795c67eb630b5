package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(momentsVideoLimitsUp, momentsVideoLimitsDown)
}

// momentsVideoLimitsUp adds the community's limits of a Moments video:
// its size in MiB and its length in seconds (superusers edit them in /_/).
func momentsVideoLimitsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	c.Fields.Add(
		&core.NumberField{Name: "moments_video_max_mb", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(2000.0)},
		&core.NumberField{Name: "moments_video_max_seconds", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(3600.0)},
	)
	if err := app.Save(c); err != nil {
		return err
	}
	row, err := app.FindRecordById(c, SettingsRecordID)
	if err != nil {
		return err
	}
	row.Set("moments_video_max_mb", 100)
	row.Set("moments_video_max_seconds", 300)
	return app.Save(row)
}

func momentsVideoLimitsDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId("settings")
	if err != nil {
		return err
	}
	c.Fields.RemoveByName("moments_video_max_mb")
	c.Fields.RemoveByName("moments_video_max_seconds")
	return app.Save(c)
}
