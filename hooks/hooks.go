// Package hooks wires every Plaza domain into the PocketBase app.
package hooks

import (
	"io/fs"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/channels"
	"plaza/hooks/channels/channelsweb"
	"plaza/hooks/chat"
	"plaza/hooks/chat/chatweb"
	"plaza/hooks/contacts"
	"plaza/hooks/contacts/contactsweb"
	"plaza/hooks/demo"
	"plaza/hooks/demo/mpdemo/mpdemoweb"
	"plaza/hooks/miniprograms"
	"plaza/hooks/miniprograms/mpweb"
	"plaza/hooks/module"
	"plaza/hooks/moments"
	"plaza/hooks/moments/momentsweb"
	"plaza/hooks/oa"
	"plaza/hooks/oa/oaweb"
	"plaza/hooks/settings"
	"plaza/hooks/shell"
	"plaza/hooks/wallet"
	"plaza/hooks/wallet/walletweb"
	"plaza/hooks/web"
)

// Plaza is one app's registry and domain services, as Register built them.
type Plaza struct {
	Registry *module.Registry
	Contacts *contacts.Service
	Chat     *chat.Service
	Wallet   *wallet.Wallet
	Moments  *moments.Service
	Channels *channels.Service
	OA       *oa.Service
	MP       *miniprograms.Service
}

// Register builds the app's module registry and every domain's service on
// it, then installs the shared web layer and each domain's hooks and
// routes. publicFS holds the embedded static assets. It is the only place
// that knows every module: each gets what it needs passed in.
func Register(app core.App, publicFS fs.FS) (*Plaza, error) {
	p := &Plaza{Registry: module.New()}
	reg := p.Registry
	if err := web.Register(app, publicFS, reg); err != nil {
		return nil, err
	}
	settings.Register(app)
	accounts.Register(app)
	accountsweb.Register(app)
	p.Contacts = contacts.New(app, reg)
	contacts.Register(app, p.Contacts)
	contactsweb.Register(app, p.Contacts)
	p.Chat = chat.New(app, reg)
	chat.Register(app, p.Chat)
	chatweb.Register(app, p.Chat)
	p.Wallet = wallet.New(app, reg, p.Chat)
	wallet.Register(app, p.Wallet)
	walletweb.Register(app, p.Wallet)
	p.Moments = moments.New(app, reg, p.Chat)
	momentsweb.Register(app, p.Moments)
	p.Channels = channels.New(app, reg, p.Chat)
	channels.Register(app, p.Channels)
	channelsweb.Register(app, p.Channels, p.Chat)
	p.OA = oa.New(app, reg)
	p.OA.UseChat(p.Chat)
	oa.Register(app, p.OA)
	oaweb.Register(app, p.OA, p.Chat)
	p.MP = miniprograms.New(app, reg, p.Wallet, p.Chat)
	miniprograms.Register(app, p.MP)
	mpweb.Register(app, p.MP, p.Chat)
	mpdemoweb.Register(app) // the demo mini programs' own servers (/mp-demo/)
	shell.Register(app)
	return p, nil
}

// Commands are the command-line tools Plaza adds to `plaza` (demo data,
// the wallet's verifier and mint), on the services Register built.
func Commands(app core.App, p *Plaza) []*cobra.Command {
	return []*cobra.Command{demo.Command(app, p.Demo()), wallet.Command(app)}
}

// Demo are the services the demo seeds through.
func (p *Plaza) Demo() demo.Services {
	return demo.Services{Contacts: p.Contacts, Chat: p.Chat, Wallet: p.Wallet, Moments: p.Moments, Channels: p.Channels, OA: p.OA, MP: p.MP}
}
