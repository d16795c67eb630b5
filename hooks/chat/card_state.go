package chat

import (
	"encoding/json"
	"plaza/hooks/module"

	"github.com/pocketbase/pocketbase/core"
)

// Card states: a money card fades and says what became of it (WeChat's
// "Accepted", "Returned", "Opened", "All claimed", "Expired"). The state
// is not stored in the message: the module that owns the card's object
// tells it, as each member sees it, when the chat is shown, and pushes it
// live with CardChanged.

// Card states a CardStateFunc may return ("" while the object waits).
const (
	CardStateAccepted   = "accepted"
	CardStateReturned   = "returned"
	CardStateOpened     = "opened"
	CardStateAllClaimed = "all_claimed"
	CardStateExpired    = "expired"
)

// CardState is the state of a card as viewer sees it ("" when its type has
// no states, or while it waits).
func (s *Service) CardState(viewerID, cardType, ref string) string {
	t, ok := s.reg.Card(cardType)
	if !ok || t.State == nil || ref == "" {
		return ""
	}
	return t.State(s.app, viewerID, ref)
}

// CardChanged tells every member of the chat, live, the new state of the
// cards about ref as each of them sees it: a {"t":"card","c","ref",
// "state"} frame (docs/API.md). Call it after the change committed.
func (s *Service) CardChanged(convID, cardType, ref string) {
	ids, err := MemberIDs(s.app, convID)
	if err != nil {
		s.app.Logger().Warn("chat: card state", "conversation", convID, "error", err.Error())
		return
	}
	for _, id := range ids {
		s.toMember(id, Frame{T: "card", C: convID, Ref: ref, State: s.CardState(id, cardType, ref)})
	}
}

// NoticeInTx stores a system notice (a code the views translate, e.g.
// "packet_opened:<claimer>:<sender>") inside the caller's transaction;
// pass the result to Announce after the commit.
func (s *Service) NoticeInTx(txApp core.App, convID, code string) (SendResult, error) {
	m, err := systemMessage(txApp, convID, code, s.clock())
	if err != nil {
		return SendResult{}, err
	}
	return SendResult{Message: m, New: true}, nil
}

// CardType is the type of the last message when it is a card.
func (s Summary) CardType() string {
	var meta messageMeta
	if s.LastKind != MsgCard || json.Unmarshal([]byte(s.LastMeta), &meta) != nil || meta.Card == nil {
		return ""
	}
	return meta.Card.Type
}

// Gone reports whether a card's object is gone for everyone
// (module.CardStateGone). Only content cards (module.CardType.Moments)
// can be: money cards are never asked.
func (s *Service) Gone(viewerID string, c *Card) bool {
	if c == nil || c.Ref == "" {
		return false
	}
	t, ok := s.reg.Card(c.Type)
	return ok && t.Moments && t.State != nil && t.State(s.app, viewerID, c.Ref) == module.CardStateGone
}

// WithholdGone blanks the second line and the picture of the cards in
// msgs whose object is gone (a taken-down Channels post): a copy kept in
// a chat must not go on showing what was taken down.
func (s *Service) WithholdGone(viewerID string, msgs []Message) {
	for i := range msgs {
		if s.Gone(viewerID, msgs[i].Card) {
			c := *msgs[i].Card
			c.Sub, c.Image = "", ""
			msgs[i].Card = &c
		}
	}
}
