package chat

import (
	"strings"
	"time"

	"github.com/pocketbase/dbx"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
)

// Signals of 1:1 chats: typing, presence and (opt-in) read receipts. Each
// member can switch them off (typing, presence) or on (read receipts) in
// Privacy; the checks happen when the signal is sent. A block either way
// (contacts.Cut) silences all three.

// peer returns the other member of a 1:1 chat the member is in, or "".
func (s *Service) peer(memberID, convID string) string {
	m, err := memberOf(s.app, memberID, convID)
	if err != nil || m.Kind != KindDirect {
		return ""
	}
	var other string
	// Signals are best effort and have no caller to fail: a failed read
	// sends nothing (here and in flag, presence, Presence, ReadBy).
	_ = s.app.DB().NewQuery("SELECT member FROM conversation_members WHERE conversation = {:c} AND member != {:m} LIMIT 1").
		Bind(dbx.Params{"c": convID, "m": memberID}).Row(&other)
	return other
}

// flag reads one of a member's boolean settings.
func (s *Service) flag(memberID, field string) bool {
	on, err := accounts.Flag(s.app, memberID, field)
	return on && err == nil // best effort (see peer): false on a failed read
}

// typing tells the other member of a 1:1 chat that the member is typing.
func (s *Service) typing(memberID, convID string) {
	other := s.peer(memberID, convID)
	if other == "" || s.flag(memberID, contacts.FieldHideTyping) {
		return
	}
	if cut, err := contacts.Cut(s.app, other, memberID); cut || err != nil {
		return
	}
	s.toMember(other, Frame{T: "typing", C: convID, From: memberID})
}

// presence records when a member goes offline and tells the partners of
// their 1:1 chats, unless the member hides their presence.
func (s *Service) presence(memberID string, online bool) {
	if !s.app.IsBootstrapped() {
		return // shutting down: the database is closed
	}
	seen := ""
	if !online {
		now := s.clock().UTC()
		seen = now.Format(time.RFC3339)
		if err := accounts.SetLastSeen(s.app, memberID, now); err != nil {
			s.app.Logger().Debug("chat: last seen not saved", "error", err.Error()) // best effort (see peer): it only shows an older time
		}
	}
	if s.flag(memberID, contacts.FieldHidePresence) {
		return
	}
	var peers []string
	err := s.app.DB().NewQuery(`SELECT o.member FROM conversation_members cm
		JOIN conversations c ON c.id = cm.conversation AND c.kind = 'direct'
		JOIN conversation_members o ON o.conversation = c.id AND o.member != cm.member
		WHERE cm.member = {:m} AND NOT ` + strings.NewReplacer("{:o}", "o.member", "{:s}", "{:m}").Replace(contacts.CutSQL)).
		Bind(dbx.Params{"m": memberID}).Column(&peers)
	if err != nil || len(peers) == 0 {
		return
	}
	s.deliver(peers, Frame{T: "presence", From: memberID, Online: online, Seen: seen})
}

// PresenceFor is Presence as viewerID may see it: nothing when either has
// blocked the other.
func (s *Service) PresenceFor(viewerID, memberID string) (online bool, lastSeen time.Time) {
	if cut, err := contacts.Cut(s.app, viewerID, memberID); cut || err != nil {
		return false, time.Time{}
	}
	return s.Presence(memberID)
}

// Presence is how a 1:1 partner's presence shows: online now, or when last
// seen ("" when unknown or hidden). Pages ask PresenceFor.
func (s *Service) Presence(memberID string) (online bool, lastSeen time.Time) {
	if s.flag(memberID, contacts.FieldHidePresence) {
		return false, time.Time{}
	}
	if s.hub.Online(memberID) > 0 {
		return true, time.Time{}
	}
	lastSeen, err := accounts.LastSeen(s.app, memberID)
	if err != nil {
		return false, time.Time{} // best effort (see peer): unknown on a failed read
	}
	return false, lastSeen
}

// readReceipt tells the other member of a 1:1 chat how far the reader has
// read, if the reader sends read receipts.
func (s *Service) readReceipt(readerID, convID string, seq int64) {
	other := s.peer(readerID, convID)
	if other == "" || !s.flag(readerID, contacts.FieldReadReceipts) {
		return
	}
	if cut, err := contacts.Cut(s.app, readerID, other); cut || err != nil {
		return
	}
	s.toMember(other, Frame{T: "seen", C: convID, Seq: seq})
}

// ReadBy returns how far the other member of a 1:1 chat has read, if they
// send read receipts (0 otherwise).
func (s *Service) ReadBy(viewerID, convID string) int64 {
	other := s.peer(viewerID, convID)
	if other == "" || !s.flag(other, contacts.FieldReadReceipts) {
		return 0
	}
	if cut, err := contacts.Cut(s.app, viewerID, other); cut || err != nil {
		return 0
	}
	var seq int64 // best effort (see peer): 0 on a failed read
	_ = s.app.DB().NewQuery("SELECT last_read_seq FROM conversation_members WHERE conversation = {:c} AND member = {:m}").
		Bind(dbx.Params{"c": convID, "m": other}).Row(&seq)
	return seq
}
