package contacts

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Privacy is how others may find a member ("find me by …").
type Privacy struct {
	FindByID    bool
	FindByEmail bool
	FindByQR    bool
	FindByGroup bool

	// Chat signals (1:1 chats): typing, online/last seen, and read receipts
	// (off by default; WeChat has none).
	ShowTyping   bool
	ShowPresence bool
	ReadReceipts bool
}

// PrivacyOf reads a member's privacy switches.
func PrivacyOf(member *core.Record) Privacy {
	return Privacy{
		FindByID:    !member.GetBool(FieldNoFindByID),
		FindByEmail: !member.GetBool(FieldNoFindByEmail),
		FindByQR:    !member.GetBool(FieldNoFindByQR),
		FindByGroup: !member.GetBool(FieldNoFindByGroup),

		ShowTyping:   !member.GetBool(FieldHideTyping),
		ShowPresence: !member.GetBool(FieldHidePresence),
		ReadReceipts: member.GetBool(FieldReadReceipts),
	}
}

// SetPrivacy saves a member's privacy switches.
func (s *Service) SetPrivacy(member *core.Record, p Privacy) error {
	member.Set(FieldNoFindByID, !p.FindByID)
	member.Set(FieldNoFindByEmail, !p.FindByEmail)
	member.Set(FieldNoFindByQR, !p.FindByQR)
	member.Set(FieldNoFindByGroup, !p.FindByGroup)
	member.Set(FieldHideTyping, !p.ShowTyping)
	member.Set(FieldHidePresence, !p.ShowPresence)
	member.Set(FieldReadReceipts, p.ReadReceipts)
	if err := s.app.Save(member); err != nil {
		return fmt.Errorf("save privacy: %w", err)
	}
	return nil
}
