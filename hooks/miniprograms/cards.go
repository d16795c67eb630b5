package miniprograms

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/module"
)

// CardApp is the chat card of a mini program (shared into a chat).
const CardApp = "mp"

// DiscoverID is Mini Programs' Discover entry.
const DiscoverID = "miniprograms"

// OpenPath is where a card or link opens an app, with its scene.
func OpenPath(appid, scene string) string { return "/mp/" + appid + "?scene=" + scene }

// IconURL is the app's icon on this server.
func IconURL(appid string) string { return "/mp/" + appid + "/icon" }

// register adds Discover → Mini Programs and the app card.
func (s *Service) register() {
	s.reg.AddDiscover(module.Entry{ID: DiscoverID, Owner: "miniprograms", Label: "mp.title", Href: "/mp", Icon: "mp", Order: 40,
		Paths: []string{"/mp", "/developer"}})
	s.reg.AddCard(module.CardType{Type: CardApp, Owner: "miniprograms", Label: "mp.card_label", Preview: "mp.preview_card",
		Build: s.buildCard, State: s.cardState, Forwardable: true})
}

// buildCard makes the card of a live app (ref: its AppID): its name, its
// description, its icon; it opens the app with scene "card".
func (s *Service) buildCard(txApp core.App, _, _, ref string) (*module.Card, error) {
	a, err := findApp(txApp, ref)
	if err != nil || !a.Live() {
		return nil, notFound()
	}
	card := &module.Card{Type: CardApp, Ref: a.AppID, Title: a.Name, Sub: clipText(a.Description, 80), Link: OpenPath(a.AppID, "card")}
	if a.Icon != "" {
		card.Image = IconURL(a.AppID)
	}
	return card, nil
}

// cardState is "gone" once the app is not live.
func (s *Service) cardState(app core.App, _, ref string) string {
	a, err := findApp(app, ref)
	if err != nil || !a.Live() {
		return module.CardStateGone
	}
	return ""
}

// clipText cuts s to n characters.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
