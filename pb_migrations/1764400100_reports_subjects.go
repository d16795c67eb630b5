package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(reportSubjectsUp, reportSubjectsDown)
}

// reportSubjectsUp lets the one reports queue hold Moments posts and
// comments: new kinds, and "ref", the reported object's id.
func reportSubjectsUp(app core.App) error {
	c, err := app.FindCollectionByNameOrId("reports")
	if err != nil {
		return err
	}
	kind, ok := c.Fields.GetByName("kind").(*core.SelectField)
	if !ok {
		return nil
	}
	kind.Values = []string{"message", "person", "moments_post", "moments_comment"}
	c.Fields.Add(&core.TextField{Name: "ref", Max: 15})
	return app.Save(c)
}

func reportSubjectsDown(app core.App) error {
	c, err := app.FindCollectionByNameOrId("reports")
	if err != nil {
		return err
	}
	if kind, ok := c.Fields.GetByName("kind").(*core.SelectField); ok {
		kind.Values = []string{"message", "person"}
	}
	c.Fields.RemoveByName("ref")
	return app.Save(c)
}
