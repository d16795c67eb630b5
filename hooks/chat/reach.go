package chat

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SharesGroup reports whether two members are in a group chat together:
// then each may open the other's card from the group (contacts.AllowCardWhen).
func SharesGroup(app core.App, a, b string) (bool, error) {
	var n int
	err := app.DB().NewQuery(`SELECT COUNT(*) FROM conversation_members x
		JOIN conversation_members y ON y.conversation = x.conversation AND y.member = {:b}
		JOIN conversations c ON c.id = x.conversation AND c.kind = 'group'
		WHERE x.member = {:a}`).Bind(dbx.Params{"a": a, "b": b}).Row(&n)
	return n > 0, err
}
