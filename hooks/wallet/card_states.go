package wallet

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/module"
)

// registerCards adds the wallet's card types to the registry. None has a
// builder: only the wallet makes them, inside the transaction that moves
// the money (chat.Service.SendCardInTx), so a client asking for one is
// refused and none may be forwarded (docs/SECURITY.md §15).
//
// The states, as each member sees them: a transfer is Accepted, Returned
// or Expired (refunded); a red packet is Opened for whoever opened it
// (and, in a 1:1 chat, for its sender once the other opened it), All
// claimed for the others once every share is taken, or Expired.
func (w *Wallet) registerCards() {
	for _, t := range []module.CardType{
		{Type: CardTransfer, Label: "wallet.card_transfer", Preview: "chat.preview_transfer", State: transferState},
		{Type: CardAccepted, Label: "wallet.card_accepted", Preview: "chat.preview_transfer"},
		{Type: CardReturned, Label: "wallet.card_returned", Preview: "chat.preview_transfer"},
		{Type: CardPacket, Label: "wallet.card_packet", Preview: "chat.preview_packet", State: packetState},
		{Type: CardAA, Label: "wallet.card_aa"},
		{Type: CardPaid, Label: "wallet.card_paid"},
		{Type: CardReceived, Label: "wallet.card_received"},
		{Type: CardRefund, Label: "wallet.card_refund"},
	} {
		t.Owner = "wallet"
		w.reg.AddCard(t)
	}
}

func transferState(app core.App, _ string, ref string) string {
	t, err := loadTransfer(app, ref)
	if err != nil {
		return ""
	}
	switch t.State {
	case TransferAccepted:
		return chat.CardStateAccepted
	case TransferReturned:
		return chat.CardStateReturned
	case TransferRefunded:
		return chat.CardStateExpired
	}
	return ""
}

func packetState(app core.App, viewerID, ref string) string {
	var row struct {
		State        string `db:"state"`
		Sender       string `db:"sender"`
		Conversation string `db:"conversation"`
		Mine         bool   `db:"mine"`
	}
	err := app.DB().NewQuery(`SELECT p.state AS state, p.sender AS sender, p.conversation AS conversation,
		EXISTS (SELECT 1 FROM red_packet_claims WHERE packet = p.id AND member = {:m}) AS mine
		FROM red_packets p WHERE p.id = {:id}`).
		Bind(dbx.Params{"id": ref, "m": viewerID}).One(&row)
	if err != nil {
		return ""
	}
	kind, err := chat.KindOf(app, row.Conversation)
	if err != nil || kind == "" {
		return "" // the chat is gone: no card to show a state on
	}
	switch {
	case row.Mine:
		return chat.CardStateOpened
	case row.State == PacketFinished && kind == chat.KindDirect && viewerID == row.Sender:
		return chat.CardStateOpened
	case row.State == PacketFinished:
		return chat.CardStateAllClaimed
	case row.State == PacketExpired:
		return chat.CardStateExpired
	}
	return ""
}
