package chat

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Card is what a card message shows: a typed box with a title, a line
// under it, a picture and the page it opens. Every field is built by the
// server from its own state (TRUST.md §15), never taken from a client.
type Card struct {
	Type  string     `json:"type"`            // CardContact, CardHistory; later: transfer, red packet, …
	Ref   string     `json:"ref,omitempty"`   // the object behind the card (a member, a transfer, …)
	Title string     `json:"title"`           // first line
	Sub   string     `json:"sub,omitempty"`   // second line
	Image string     `json:"img,omitempty"`   // a picture on this server ("/…")
	Link  string     `json:"link,omitempty"`  // the page the card opens ("/…")
	Items []CardItem `json:"items,omitempty"` // merged forwards: the messages
}

// CardItem is one message inside a merged forward.
type CardItem struct {
	Sender string `json:"sender"` // the name shown
	Kind   string `json:"kind"`
	Text   string `json:"text"`
	At     string `json:"at"` // RFC 3339
}

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

// CardBuilder makes a card of one type for senderID in convID from the
// server's own state, inside the send's transaction; a refused request is
// a Problem.
type CardBuilder func(txApp core.App, senderID, convID, ref string) (*Card, error)

var (
	cardsMu  sync.RWMutex
	builders = map[string]CardBuilder{}
)

// RegisterCard adds a card type that members may send (later modules plug
// in transfers, red packets, channel posts, articles and mini programs).
// Registering a type twice panics: it is a programming error.
func RegisterCard(cardType string, build CardBuilder) {
	cardsMu.Lock()
	defer cardsMu.Unlock()
	if _, dup := builders[cardType]; dup {
		panic("chat: card type registered twice: " + cardType)
	}
	builders[cardType] = build
}

func init() {
	RegisterCard(CardContact, contactCard)
}

// buildCard runs the builder of the requested type and checks what it made.
func buildCard(txApp core.App, senderID, convID string, req CardRequest) (*Card, error) {
	cardsMu.RLock()
	build, ok := builders[req.Type]
	cardsMu.RUnlock()
	if !ok || req.Type == CardHistory {
		return nil, problem.Invalid("card", "errors.bad_request", nil)
	}
	c, err := build(txApp, senderID, convID, req.Ref)
	if err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("card %s: %w", req.Type, err)
	}
	return c, nil
}

// check keeps cards to local links and pictures.
func (c *Card) check() error {
	for _, u := range []string{c.Image, c.Link} {
		if u != "" && (!strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") || strings.Contains(u, "\\")) {
			return fmt.Errorf("card url %q is not a local path", u)
		}
	}
	return nil
}

// contactCard is a friend's (or one's own) card: name, Plaza ID, avatar,
// and their signed add-me link, so whoever receives it can add them (if
// the person allows being added by code).
func contactCard(txApp core.App, senderID, _ string, ref string) (*Card, error) {
	if ref != senderID {
		friends, err := contacts.AreFriends(txApp, senderID, ref)
		if err != nil {
			return nil, err
		}
		if !friends {
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
	return &Card{Type: CardContact, Ref: rec.Id, Title: m.DisplayName(), Sub: m.PlazaID(), Image: m.AvatarURL("96x96"), Link: link}, nil
}
