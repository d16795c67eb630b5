// Package hooks wires every Plaza domain into the PocketBase app.
package hooks

import (
	"io/fs"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/settings"
	"plaza/hooks/shell"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
)

// Register installs the shared web layer and every domain's hooks and
// routes. publicFS holds the embedded static assets.
func Register(app core.App, publicFS fs.FS) error {
	if err := web.Register(app, publicFS); err != nil {
		return err
	}
	settings.Register(app)
	accounts.Register(app)
	contacts.Register(app)
	chat.Register(app)
	wallet.Register(app)
	shell.Register(app)
	return nil
}
