package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(repairMutedUp, nil)
}

// repairMutedUp repairs conversation_members rows whose muted column holds
// a member id instead of a boolean: SetPrefs once bound {:m} for muted and
// the row filter overwrote it with the member id, after which every chat
// list scan of that member failed. What the member chose is lost; the chat
// is left unmuted, so no message goes unnoticed. pinned was bound correctly
// and is only normalised.
func repairMutedUp(app core.App) error {
	_, err := app.DB().NewQuery(`UPDATE conversation_members SET muted = 0
		WHERE typeof(muted) = 'text' AND muted NOT IN ('0', '1', 'true', 'false')`).Execute()
	if err != nil {
		return err
	}
	_, err = app.DB().NewQuery(`UPDATE conversation_members SET
		muted = CASE WHEN muted IN (1, '1', 'true') THEN 1 ELSE 0 END,
		pinned = CASE WHEN pinned IN (1, '1', 'true') THEN 1 ELSE 0 END
		WHERE typeof(muted) != 'integer' OR typeof(pinned) != 'integer'`).Execute()
	return err
}
