package layout

import (
	"context"

	"github.com/invopop/ctxi18n/i18n"
)

// tabLabel is what a screen reader says for a tab: "Chats, 3 unread", or
// just "Chats" without unread items (ui.js keeps it current).
func tabLabel(ctx context.Context, tab Tab, badge int) string {
	name := i18n.T(ctx, "tabs."+string(tab))
	if badge <= 0 {
		return name
	}
	return i18n.T(ctx, "shell.tab_unread", i18n.M{"name": name, "count": BadgeText(badge)})
}
