package chat

import (
	"fmt"
	"net/http"
	"time"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// What a member's chat pages read, one operation a page.

// Opened is a conversation as a member opens it: a page of messages, the
// members as the member sees them, the chat's settings, and in a 1:1 chat
// the peer's presence and how far the peer has read.
type Opened struct {
	Info
	Messages []Message
	People   map[string]Person // by member id
	Members  int
	Peer     string    // in a 1:1 chat, the other member
	Online   bool      // the peer is online now
	LastSeen time.Time // when the peer was last seen (zero: unknown or hidden)
	ReadBy   int64     // how far the peer has read, if they send read receipts
}

// Open reads a page of convID for memberID: the latest limit messages, or
// with before > 0 those before that sequence number.
func (s *Service) Open(memberID, convID string, before int64, limit int) (Opened, error) {
	var o Opened
	var err error
	if o.Messages, err = Messages(s.app, memberID, convID, -1, before, limit); err != nil {
		return o, err
	}
	if o.People, o.Members, err = s.People(memberID, convID); err != nil {
		return o, err
	}
	if o.Info, err = s.InfoOf(memberID, convID); err != nil {
		return o, err
	}
	if o.Kind != KindGroup {
		for id := range o.People {
			if id != memberID {
				o.Peer = id
			}
		}
	}
	if o.Peer != "" {
		o.Online, o.LastSeen = s.PresenceFor(memberID, o.Peer)
		o.ReadBy = s.ReadBy(memberID, convID)
	}
	return o, nil
}

// Settings is what a chat's info page shows: its settings, its members as
// the viewer sees them with their roles in the order they joined, and for
// the owner and admins the waiting join requests (with their people's
// names) and who has read the announcement.
type Settings struct {
	Info
	People           map[string]Person // by member id
	Roles            []MemberRole
	Requests         []JoinRequest
	RequestNames     map[string]string // the requests' inviters and invitees
	AnnouncementRead []string          // members' ids
	AnnouncementOf   int               // how many members could read it
}

// SettingsOf reads convID's settings for memberID. With manage it is the
// Manage group page's: a group's, for its owner and admins only (403 for
// a plain member).
func (s *Service) SettingsOf(memberID, convID string, manage bool) (Settings, error) {
	var out Settings
	var err error
	if out.Info, err = s.InfoOf(memberID, convID); err != nil {
		return out, err
	}
	if manage && out.Kind != KindGroup {
		return out, NotFound()
	}
	if manage && out.Role != RoleOwner && out.Role != RoleAdmin {
		return out, problem.New(http.StatusForbidden, "chat.admins_only")
	}
	if out.People, _, err = s.People(memberID, convID); err != nil {
		return out, err
	}
	if out.Kind != KindGroup {
		return out, nil
	}
	if out.Roles, err = MemberRoles(s.app, convID); err != nil {
		return out, err
	}
	if out.Role == RoleMember {
		return out, nil
	}
	if out.Requests, err = JoinRequests(s.app, memberID, convID); err != nil {
		return out, err
	}
	var ids []string
	for _, r := range out.Requests {
		ids = append(ids, r.Inviter, r.Invitee)
	}
	if out.RequestNames, err = accounts.Names(s.app, ids); err != nil {
		return out, fmt.Errorf("load requesters: %w", err)
	}
	out.AnnouncementRead, out.AnnouncementOf, err = AnnouncementReaders(s.app, memberID, convID)
	return out, err
}
