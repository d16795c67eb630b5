// Command plaza is a self-hosted, single-binary community super-app server:
// chat, contacts, Moments, Channels, Official Accounts, a wallet and mini
// programs on top of PocketBase.
//
// Run `plaza serve` to start it on 127.0.0.1:8090 with data in ./pb_data.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"plaza/hooks"
	"plaza/hooks/storage"
	_ "plaza/pb_migrations"
	"plaza/public"
)

func main() {
	// data.db runs with synchronous=FULL: see hooks/storage and docs/WALLET.md.
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: storage.DBConnect})
	app.RootCmd.Use = "plaza"
	app.RootCmd.Short = "Plaza: a self-hosted community super-app (chat, contacts, Moments, wallet, mini programs)"

	// Schema changes are Go migrations in pb_migrations/, applied on serve.
	// Automigrate stays off: the admin UI must not write migration files next
	// to a deployed binary.
	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		Dir:          "pb_migrations",
		TemplateLang: migratecmd.TemplateLangGo,
	})

	p, err := hooks.Register(app, public.FS)
	if err != nil {
		log.Fatal(err)
	}
	app.RootCmd.AddCommand(hooks.Commands(app, p)...)

	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
