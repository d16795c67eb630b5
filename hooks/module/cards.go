package module

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// --- chat cards ---------------------------------------------------------------

// Card is what a card message shows: a typed box with a title, a line
// under it, a picture and the page it opens. Every field is built by the
// server from its own state (docs/SECURITY.md §15), never taken from a client.
type Card struct {
	Type  string     `json:"type"`            // a registered CardType's Type
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

// CardBuilder makes a card of one type for senderID in convID from the
// server's own state, inside the send's transaction; a refused request is
// a problem.Problem.
type CardBuilder func(txApp core.App, senderID, convID, ref string) (*Card, error)

// CardStateFunc tells the state of a card's object (ref) as viewer sees
// it, "" while it waits for someone (chat's CardState* constants).
// CardStateGone means the object is gone for everyone (deleted, taken
// down): the card then shows its title only, and cannot be forwarded.
type CardStateFunc func(app core.App, viewerID, ref string) string

// CardStateGone is the state of a card whose object is gone.
const CardStateGone = "gone"

// CardType is one kind of chat card and everything chat needs to know
// about it.
type CardType struct {
	Type  string // the name stored in the message ("contact", "transfer", …)
	Owner string // the module that registered it
	// Label is the i18n key of the name at the card's foot ("Transfer").
	Label string
	// Preview is the i18n key of the chat-list line for a card of this
	// type; it gets {{.title}}. "" uses chat's generic "[Card] title".
	Preview string
	// Build makes the card when a member asks for one. Nil means only the
	// server makes cards of this type (chat.Service.SendCardInTx, inside
	// the owning module's transaction): a client asking for one is refused.
	Build CardBuilder
	// State tells what became of the card's object (nil: cards of this
	// type have no states).
	State CardStateFunc
	// Forwardable cards mean the same wherever they land, so members may
	// forward and favourite them. Every other card stands for one server
	// event in one chat and a copy would be a forgery (WeChat refuses
	// them too).
	Forwardable bool
	// Moments cards may also be shared into a Moments post (a Channels
	// post, an article): they need a Build and mean the same to anyone.
	Moments bool
}

// AddCard registers a card type.
func (r *Registry) AddCard(t CardType) {
	if t.Type == "" || t.Owner == "" || t.Label == "" {
		panic(fmt.Sprintf("module: card type %+v needs Type, Owner and Label", t))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, dup := r.cards[t.Type]; dup {
		panic("module: card type " + t.Type + " registered by " + old.Owner + " and " + t.Owner)
	}
	r.cards[t.Type] = t
}

// Card is the registered card type named typ.
func (r *Registry) Card(typ string) (CardType, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.cards[typ]
	return t, ok
}

// CardLabels maps every registered card type to its label's i18n key.
func (r *Registry) CardLabels() map[string]string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]string, len(r.cards))
	for typ, t := range r.cards {
		out[typ] = t.Label
	}
	return out
}
