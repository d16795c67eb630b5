package contacts

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Collections of this domain.
const (
	ContactsCollection = "contacts"
	RequestsCollection = "friend_requests"
	TagsCollection     = "contact_tags"
	BlocksCollection   = "blocks"
)

// Request statuses.
const (
	StatusPending  = "pending"
	StatusAccepted = "accepted"
	StatusIgnored  = "ignored"
)

// Sources say how someone found the person they asked to befriend.
const (
	SourceID    = "id"
	SourceEmail = "email"
	SourceQR    = "qr"
	SourceGroup = "group"
	SourceCard  = "card"
)

// Privacy switches on the members collection; true means "do not find me
// this way". The zero value (false) keeps a member findable, like WeChat.
const (
	FieldNoFindByID    = "no_find_by_id"
	FieldNoFindByEmail = "no_find_by_email"
	FieldNoFindByQR    = "no_find_by_qr"
	FieldNoFindByGroup = "no_find_by_group"
	FieldQREpoch       = "qr_epoch"
	FieldHideTyping    = "hide_typing"
	FieldHidePresence  = "hide_presence"
	FieldReadReceipts  = "read_receipts"
	FieldLastSeen      = "last_seen"
)

// Contact is one direction of a friendship: what the owner knows and has
// set about the friend. A friendship is two contacts, one per direction.
type Contact struct {
	core.BaseRecordProxy
}

// AsContact wraps a contacts record.
func AsContact(r *core.Record) *Contact {
	c := &Contact{}
	c.SetProxyRecord(r)
	return c
}

// OwnerID is the member this entry belongs to.
func (c *Contact) OwnerID() string { return c.GetString("owner") }

// FriendID is the friend's member id.
func (c *Contact) FriendID() string { return c.GetString("friend") }

// Remark is the owner's name for the friend ("" when none).
func (c *Contact) Remark() string { return c.GetString("remark") }

// TagIDs are the owner's tags on this friend.
func (c *Contact) TagIDs() []string { return c.GetStringSlice("tags") }

// Starred friends are listed on top.
func (c *Contact) Starred() bool { return c.GetBool("starred") }

// ChatOnly: no Moments either way with this friend.
func (c *Contact) ChatOnly() bool { return c.GetBool("chat_only") }

// HideMyMoments: "don't let them see my Moments".
func (c *Contact) HideMyMoments() bool { return c.GetBool("hide_my_moments") }

// HideTheirMoments: "hide their Moments" from my feed.
func (c *Contact) HideTheirMoments() bool { return c.GetBool("hide_their_moments") }

// Request is a friend request.
type Request struct {
	core.BaseRecordProxy
}

// AsRequest wraps a friend_requests record.
func AsRequest(r *core.Record) *Request {
	q := &Request{}
	q.SetProxyRecord(r)
	return q
}

// FromID is the sender.
func (q *Request) FromID() string { return q.GetString("from") }

// ToID is the recipient.
func (q *Request) ToID() string { return q.GetString("to") }

// Greeting is the sender's message.
func (q *Request) Greeting() string { return q.GetString("greeting") }

// Remark is the sender's proposed name for the recipient, set on the
// sender's contact entry when the request is accepted.
func (q *Request) Remark() string { return q.GetString("remark") }

// Status is pending, accepted or ignored.
func (q *Request) Status() string { return q.GetString("status") }

// Expires is when a pending request lapses.
func (q *Request) Expires() types.DateTime { return q.GetDateTime("expires") }

// Silenced requests come from someone the recipient blocked: the sender is
// not told, the recipient never sees them.
func (q *Request) Silenced() bool { return q.GetBool("silenced") }
