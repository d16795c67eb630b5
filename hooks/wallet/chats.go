package wallet

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
)

// The chats money moves in, read through chat's typed operations (chat owns
// its tables: docs/ARCHITECTURE.md, "Each table has one owner").

// payChat is a 1:1 chat or group the member is in now, as a money
// operation needs it; any other chat (someone else's, a service chat) is
// the wallet's not found.
func payChat(app core.App, memberID, convID string) (chat.Membership, error) {
	m, err := chat.MembershipOf(app, memberID, convID)
	if _, refused := problem.As(err); refused || err == nil && m.Kind != chat.KindDirect && m.Kind != chat.KindGroup {
		return chat.Membership{}, notFound()
	}
	return m, err
}

// directPeer returns the other member of a 1:1 chat the member is in.
func directPeer(app core.App, memberID, convID string) (string, error) {
	m, err := payChat(app, memberID, convID)
	if err != nil {
		return "", err
	}
	if m.Kind != chat.KindDirect || m.Peer == "" {
		return "", notFound()
	}
	return m.Peer, nil
}

// inGroup checks that convID is a group the member is in now (not found
// otherwise).
func inGroup(app core.App, memberID, convID string) error {
	m, err := payChat(app, memberID, convID)
	if err == nil && m.Kind != chat.KindGroup {
		return notFound()
	}
	return err
}

// DirectPeer is the member a transfer in convID would go to: the other
// member of a 1:1 chat the member is in (wallet.not_found otherwise).
func (w *Wallet) DirectPeer(memberID, convID string) (string, error) {
	return directPeer(w.app, memberID, convID)
}

// PacketChat is a chat as the red packet form needs it.
type PacketChat struct {
	Group   bool
	Members int      // members now, the sender included
	Others  []string // in a group, the members but the sender, in the order they joined
}

// PacketChatFor is convID as its member memberID may send a red packet in
// it: a 1:1 chat or a group they are in (wallet.not_found otherwise).
func (w *Wallet) PacketChatFor(memberID, convID string) (PacketChat, error) {
	m, err := payChat(w.app, memberID, convID)
	if err != nil {
		return PacketChat{}, err
	}
	c := PacketChat{Group: m.Kind == chat.KindGroup, Members: m.Members}
	if c.Group {
		if c.Others, err = chat.OtherMembers(w.app, convID, memberID); err != nil {
			return PacketChat{}, err
		}
	}
	return c, nil
}

// AAMembers are the members an AA collection in convID may ask: the group's
// members but the organiser, in the order they joined. Only a member of
// the group may start one (wallet.not_found otherwise).
func (w *Wallet) AAMembers(organiserID, convID string) ([]string, error) {
	if err := inGroup(w.app, organiserID, convID); err != nil {
		return nil, err
	}
	return chat.OtherMembers(w.app, convID, organiserID)
}
