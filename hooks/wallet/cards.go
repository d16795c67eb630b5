package wallet

import (
	"sync"

	"plaza/hooks/chat"
)

// newCards holds the first card of a transfer or red packet while the
// transaction that creates it runs: the wallet offers the card, chat's
// builder (running inside the same send) takes it. Nothing else can make
// these cards — a client asking for one finds nothing here (docs/SECURITY.md §15)
// — and the item's row is written once, after the card, with its message
// id.
var newCards sync.Map // "type:ref" → offeredCard

type offeredCard struct {
	card           *chat.Card
	sender, convID string
}

// offerCard makes card available to exactly one send by sender in convID;
// the returned func withdraws it (call it when the transaction ends).
func offerCard(card *chat.Card, sender, convID string) func() {
	key := card.Type + ":" + card.Ref
	newCards.Store(key, offeredCard{card: card, sender: sender, convID: convID})
	return func() { newCards.Delete(key) }
}

// takeCard hands an offered card to chat's builder, once.
func takeCard(cardType, ref, sender, convID string) (*chat.Card, bool) {
	v, ok := newCards.LoadAndDelete(cardType + ":" + ref)
	if !ok {
		return nil, false
	}
	o := v.(offeredCard)
	if o.sender != sender || o.convID != convID {
		return nil, false
	}
	return o.card, true
}
