package chat

import (
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Card is what a card message shows: a typed box with a title, a line
// under it, a picture and the page it opens. Every field is built by the
// server from its own state (docs/SECURITY.md §15), never taken from a client.
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

// forwardable are the card types a member may forward or keep in their
// favourites: copies of them mean the same wherever they land. Every other
// type (transfers, red packets, AA collections, payment receipts: whatever
// later modules register) stands for one server-side event in one chat and
// is made only by the server when that event happens, so a copy would be a
// forgery; such cards are refused, not copied (as WeChat does).
var forwardable = map[string]bool{CardContact: true, CardHistory: true}

// Forwardable reports whether cards of this type may be forwarded or
// favourited.
func Forwardable(cardType string) bool { return forwardable[cardType] }

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
	return &Card{Type: CardContact, Ref: rec.Id, Title: m.DisplayName(), Sub: m.PlazaID(), Image: m.AvatarURL("96x96"), Link: link}, nil
}
