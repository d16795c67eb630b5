package contacts

import "github.com/pocketbase/pocketbase/core"

const cardReachKey = "contacts.cardReach"

// CardReach reports whether viewer may open other's card although they are
// not friends (and no request is between them).
type CardReach func(app core.App, viewerID, otherID string) (bool, error)

// AllowCardWhen lets another module open cards beyond friends: chat lets the
// members of one group see each other's cards, as WeChat does (tap an
// avatar in the group).
func AllowCardWhen(app core.App, reach CardReach) {
	app.Store().Set(cardReachKey, reach)
}

func cardReachable(app core.App, viewerID, otherID string) (bool, error) {
	reach, _ := app.Store().Get(cardReachKey).(CardReach)
	if reach == nil {
		return false, nil
	}
	return reach(app, viewerID, otherID)
}
