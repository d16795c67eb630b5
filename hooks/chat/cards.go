package chat

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/module"
	"plaza/hooks/problem"
)

// Card is what a card message shows (module.Card: one type for every
// module's cards).
type Card = module.Card

// CardItem is one message inside a merged forward.
type CardItem = module.CardItem

// CardRequest asks for a card of a registered type about ref.
type CardRequest struct {
	Type string `json:"type"`
	Ref  string `json:"ref"`
}

// Card types built into chat.
const (
	CardContact = "contact" // a member's contact card: tap to see them and add them
	CardHistory = "history" // a merged forward of several messages
)

// CardBuilder makes a card of one type from the server's own state.
type CardBuilder = module.CardBuilder

// registerCards adds chat's own card types to the registry.
func (s *Service) registerCards() {
	s.reg.AddCard(module.CardType{Type: CardContact, Owner: "chat", Label: "chat.card_contact", Preview: "chat.preview_contact",
		Build: contactCard, Forwardable: true})
	// A merged forward is built by Forward only, never asked for by type.
	s.reg.AddCard(module.CardType{Type: CardHistory, Owner: "chat", Label: "chat.card_history", Forwardable: true})
}

// registerFrames reserves the socket's own client frame kinds in the
// registry (chatweb's socket handles them itself), so no module can
// register one of them.
func (s *Service) registerFrames() {
	for _, kind := range []string{FramePing, FrameSend, FrameSync, FrameRead, FrameRecall, FrameTyping, FrameReact, FramePat, FrameHide, FrameFav} {
		s.reg.AddFrame(module.FrameKind{Kind: kind, Owner: "chat"})
	}
}

// Forwardable reports whether cards of this type may be forwarded or
// favourited (module.CardType.Forwardable).
func (s *Service) Forwardable(cardType string) bool {
	t, ok := s.reg.Card(cardType)
	return ok && t.Forwardable
}

// buildCard runs the builder of the requested type and checks what it made.
// A client may ask only for types with a builder: the others are made by
// the server alone (SendCardInTx).
func (s *Service) buildCard(txApp core.App, senderID, convID string, req CardRequest) (*Card, error) {
	t, ok := s.reg.Card(req.Type)
	switch {
	case !ok || req.Type == CardHistory: // a merged forward is made by Forward only
		return nil, problem.Invalid("card", "errors.bad_request", nil)
	case t.Build == nil: // the server's alone: there is no such card to be had
		return nil, NotFound()
	}
	c, err := t.Build(txApp, senderID, convID, req.Ref)
	if err != nil {
		return nil, err
	}
	if err := checkCard(c); err != nil {
		return nil, fmt.Errorf("card %s: %w", req.Type, err)
	}
	return c, nil
}

// checkCard keeps cards to local links and pictures.
func checkCard(c *Card) error {
	for _, u := range []string{c.Image, c.Link} {
		if u != "" && (!strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.Contains(u, "\\")) {
			return fmt.Errorf("card url %q is not a local path", u)
		}
	}
	return nil
}

// cardAudienceOK refuses a contact card (built now or forwarded) of a
// member who is cut (contacts.Cut) from the sender or, in a 1:1 chat, from
// the member it would be shown to: a block hides each from the other's
// cards too.
func cardAudienceOK(txApp core.App, senderID, convID string, c *Card) error {
	if c == nil || c.Type != CardContact {
		return nil
	}
	var peers []string
	err := txApp.DB().NewQuery(`SELECT o.member FROM conversation_members o JOIN conversations c ON c.id = o.conversation AND c.kind = 'direct'
		WHERE o.conversation = {:c} AND o.member != {:s}`).Bind(dbx.Params{"c": convID, "s": senderID}).Column(&peers)
	if err != nil {
		return fmt.Errorf("find the card's audience: %w", err)
	}
	for _, who := range append(peers, senderID) {
		if cut, err := contacts.Cut(txApp, c.Ref, who); err != nil {
			return err
		} else if cut {
			return problem.New(http.StatusNotFound, "chat.not_found")
		}
	}
	return nil
}

// contactCard is a friend's (or one's own) card: name, Plaza ID, avatar,
// and their signed add-me link, so whoever receives it can add them (if
// the person allows being added by code).
func contactCard(txApp core.App, senderID, _ string, ref string) (*Card, error) {
	if ref != senderID {
		// A friend who has blocked the sender (or whom they blocked) is no
		// friend to share.
		ok, err := contacts.Reachable(txApp, ref, senderID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, problem.New(http.StatusNotFound, "chat.not_found")
		}
	}
	rec, err := txApp.FindRecordById(accounts.Collection, ref)
	if err != nil {
		return nil, problem.New(http.StatusNotFound, "chat.not_found")
	}
	link, err := contacts.AddLink(txApp, rec)
	if err != nil {
		return nil, err
	}
	m := accounts.AsMember(rec)
	return &Card{Type: CardContact, Ref: rec.Id, Title: accounts.ShownName("", "", m.DisplayName()), Sub: m.PlazaID(), Image: m.AvatarURL("96x96"), Link: link}, nil
}
