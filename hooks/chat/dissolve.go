package chat

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Dissolve ends a group (owner only): every member leaves it at once, so it
// is gone from everyone's chat list, no one can send to it, and its join
// links die with their sharers' membership. Its records stay (money sent in
// it keeps its ledger and its refunds).
func (s *Service) Dissolve(ownerID, convID string) error {
	return s.groupAction(ownerID, convID, []string{RoleOwner}, func(txApp core.App) (string, error) {
		_, err := txApp.DB().NewQuery("DELETE FROM conversation_members WHERE conversation = {:c}").Bind(dbx.Params{"c": convID}).Execute()
		return "", err
	})
}
