package chat

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
)

// Contact events reach the members' sockets live (docs/API.md, "contact"
// frames): a friend request arriving (or answered), and a new friend. Being
// added to a group needs nothing here: the group's notice is a msg frame
// of a chat the client does not list yet, and the client then reloads its
// chat list.
//
// Accepting a request opens the two's 1:1 chat with WeChat's notice "You
// have added X as a friend. Start chatting." (system code
// friend_added:<acceptor>:<requester>, shown to each with the other's name).

// Contact event kinds (the frame's kind).
const (
	ContactRequest = "request" // a friend request arrived or was answered
	ContactFriend  = "friend"  // a new friend (from: who)
)

// registerContactEvents wires the contact events to the sockets and the
// acceptance to the chat.
func (s *Service) registerContactEvents(app core.App) {
	s.reg.OnFriendAccepted(func(app core.App, acceptorID, requesterID string) (string, error) {
		conv, err := s.Befriended(acceptorID, requesterID)
		if err != nil {
			return "", err
		}
		return "/chats/" + conv, nil
	})
	requestChanged := func(e *core.RecordEvent) error {
		if !e.Record.GetBool("silenced") { // a blocked sender's request is never shown
			s.contactEvent(e.App, e.Record.GetString("to"), ContactRequest, e.Record.GetString("from"))
		}
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(contacts.RequestsCollection).BindFunc(requestChanged)
	app.OnRecordAfterUpdateSuccess(contacts.RequestsCollection).BindFunc(requestChanged)
	app.OnRecordAfterCreateSuccess(contacts.ContactsCollection).BindFunc(func(e *core.RecordEvent) error {
		s.contactEvent(e.App, e.Record.GetString("owner"), ContactFriend, e.Record.GetString("friend"))
		return e.Next()
	})
}

// contactEvent tells the member's sockets about a contact event, with the
// number of friend requests now waiting for them (the Contacts badge).
func (s *Service) contactEvent(app core.App, memberID, kind, from string) {
	n, err := contacts.PendingCount(app, memberID)
	if err != nil {
		app.Logger().Warn("chat: contact event", "error", err.Error())
		return
	}
	s.toMember(memberID, Frame{T: "contact", Kind: kind, From: from, Count: n})
}

// Befriended opens the 1:1 chat of two new friends (or finds their old
// one) and posts "You have added X as a friend. Start chatting." in it,
// live to both. It returns the chat's id.
func (s *Service) Befriended(acceptorID, requesterID string) (string, error) {
	conv, err := OpenDirect(s.app, acceptorID, requesterID)
	if err != nil {
		return "", err
	}
	var notice Message
	err = s.app.RunInTransaction(func(txApp core.App) error {
		notice, err = systemMessage(txApp, conv, "friend_added:"+acceptorID+":"+requesterID, s.clock())
		return err
	})
	if err != nil {
		return "", err
	}
	s.publish(conv, Frame{T: "msg", C: conv, M: &notice})
	return conv, nil
}
