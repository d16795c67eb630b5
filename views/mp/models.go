// Package mp renders Mini Programs' runtime pages: the host page that
// draws a mini program's top bar around its sandboxed frame (with the
// host's own pay, consent and scan sheets, public/js/mphost.js), and an
// app's About page. The handlers in hooks/miniprograms/mpweb build these
// models; views never decide who may open what (the domain did).
package mp

import "plaza/views/layout"

// HostPage is /mp/{appid}: the app shell without the tab bar, a top bar
// (close, the app's icon and name, the ··· menu) and the app's frame.
type HostPage struct {
	layout.Page // the document: title, language, theme, community

	AppID       string
	Name        string
	IconURL     string // "" for none: the name's initial shows
	Description string
	FrameSrc    string // the frame's address: the bundle's entry (or the external URL)
	Permissions string // the shown version's manifest permissions, space-separated: the host refuses scanCode and share without theirs
	Launch      string // the signed launch query: appid=…&openid=…&scene=…&ts=…&sig=…[&path=…]
	BackHref    string // the close button, and plaza.close()
	BackGiven   bool   // the opener gave ?back= (the directory, search, the console): Close goes there, not to ui.js's Back stack
	ShareHref   string // Share in the menu; plaza.share() adds ?title=&path=
	AboutHref   string
	ReportHref  string
	StarHref    string // the star form's action (POST, field on=1 stars, on=0 unstars)
	Starred     bool
	Preview     bool   // an unreviewed version: the banner shows
	Currency    string // the currency's symbol, e.g. "¥"
}

// AboutPage is an app's About page: what it is, who makes it, its
// screenshots and a way to open it.
type AboutPage struct {
	AppID       string
	Name        string
	IconURL     string // "" for none: the name's initial shows
	Category    string // its label
	Description string
	Developer   string
	Version     string // the released version ("" for none)
	Screenshots []string
	OpenHref    string
	BackHref    string // "" for none (the shell's own Back then)
}
