package oaweb

import "github.com/pocketbase/pocketbase/core"

// registerConversations adds followers' conversations with an account,
// the Subscriptions list and the operators' inbox.
func (h handlers) registerConversations(se *core.ServeEvent) {
	_ = se
}
