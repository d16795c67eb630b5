package contacts

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/accounts"
)

// Relation is how the viewer stands to another member.
type Relation struct {
	Self     bool
	Contact  *Contact // the viewer's entry for them; nil when not friends
	Blocked  bool     // the viewer blocked them
	Outgoing *Request // the viewer's pending request to them
	Incoming *Request // their pending request to the viewer (never a silenced one)
}

// Any reports whether there is a relation at all (self, friend, blocked, or
// a pending request either way).
func (r Relation) Any() bool {
	return r.Self || r.Contact != nil || r.Blocked || r.Outgoing != nil || r.Incoming != nil
}

// RelationOf tells how me stands to other.
func (s *Service) RelationOf(me, other *core.Record) (Relation, error) {
	app := s.app
	rel := Relation{Self: me.Id == other.Id}
	if rel.Self {
		return rel, nil
	}
	c, err := findOne(app, ContactsCollection, "owner = {:me} && friend = {:other}", dbx.Params{"me": me.Id, "other": other.Id})
	if err != nil {
		return rel, err
	}
	if c != nil {
		rel.Contact = AsContact(c)
	}
	if rel.Blocked, err = IsBlocked(app, me.Id, other.Id); err != nil {
		return rel, err
	}
	pending := "status = 'pending' && expires > {:now}"
	params := dbx.Params{"me": me.Id, "other": other.Id, "now": s.Now().UTC().Format(types.DefaultDateLayout)}
	out, err := findOne(app, RequestsCollection, "from = {:me} && to = {:other} && "+pending, params)
	if err != nil {
		return rel, err
	}
	if out != nil {
		rel.Outgoing = AsRequest(out)
	}
	in, err := findOne(app, RequestsCollection, "from = {:other} && to = {:me} && silenced = false && "+pending, params)
	if err != nil {
		return rel, err
	}
	if in != nil {
		rel.Incoming = AsRequest(in)
	}
	return rel, nil
}

// Card is what me may know of another member on their contact card: the
// member, how me stands to them, and me's tags when their request waits for
// me's answer (the accept form offers them).
type Card struct {
	Member   *core.Record
	Relation Relation
	Tags     []Tag // only with Relation.Incoming
}

// CardOf is other's card as me sees it, whatever their relation.
func (s *Service) CardOf(me, other *core.Record) (Card, error) {
	rel, err := s.RelationOf(me, other)
	if err != nil {
		return Card{}, err
	}
	c := Card{Member: other, Relation: rel}
	if rel.Incoming != nil {
		if c.Tags, err = Tags(s.app, me); err != nil {
			return c, err
		}
	}
	return c, nil
}

// OpenCard is the card of member otherID, if me may open it: someone me has
// a relation with (a friend, someone me blocked, a pending request either
// way) or whom a module lets me see (module.Registry.CardReachable: a group
// in common). Anyone else is "not found": search or a QR code meets new
// people.
func (s *Service) OpenCard(me *core.Record, otherID string) (Card, error) {
	other, err := s.app.FindRecordById(accounts.Collection, otherID)
	if err != nil {
		return Card{}, NotFound()
	}
	c, err := s.CardOf(me, other)
	if err != nil {
		return c, err
	}
	if !c.Relation.Any() {
		if ok, err := s.reg.CardReachable(s.app, me.Id, other.Id); err != nil {
			return c, err
		} else if !ok {
			return c, NotFound()
		}
	}
	return c, nil
}

// AreFriends reports whether a has b in their contacts. It is on every
// chat send's path, so it is one indexed EXISTS, not a record load.
func AreFriends(app core.App, a, b string) (bool, error) {
	return exists(app, "SELECT EXISTS(SELECT 1 FROM contacts WHERE owner = {:a} AND friend = {:b})", dbx.Params{"a": a, "b": b})
}

// IsBlocked reports whether owner has blocked target. Chat and Moments ask
// this at the moment of every action (docs/SECURITY.md §2).
func IsBlocked(app core.App, owner, target string) (bool, error) {
	return exists(app, "SELECT EXISTS(SELECT 1 FROM blocks WHERE owner = {:o} AND target = {:t})", dbx.Params{"o": owner, "t": target})
}

// CutSQL is the one block rule, as an SQL condition (with {:o} and {:s}
// two members): true when either has blocked the other. A block cuts every
// door both ways, as in WeChat: messages, reactions, pats, typing,
// presence and read receipts of 1:1 chats, invitations to groups, new
// groups, and contact cards of one shown to the other. Every check of a
// block goes through CutSQL, Cut or Reachable; Moments (posts, comments,
// likes, who sees whose timeline) must ask Cut for each pair as well.
const CutSQL = `(EXISTS(SELECT 1 FROM blocks WHERE owner = {:o} AND target = {:s})
	OR EXISTS(SELECT 1 FROM blocks WHERE owner = {:s} AND target = {:o}))`

// ReachableSQL answers (with {:o} the owner and {:s} the sender) whether
// sender may reach owner now: owner has sender as a friend and neither has
// blocked the other (CutSQL). Chat prepares it once per batch of sends.
const ReachableSQL = `SELECT EXISTS(SELECT 1 FROM contacts WHERE owner = {:o} AND friend = {:s})
	AND NOT ` + CutSQL

// Reachable reports, in one query, whether sender may reach owner now (a
// message, a reaction, a pat, an invitation, a new group with them).
func Reachable(app core.App, owner, sender string) (bool, error) {
	return exists(app, ReachableSQL, dbx.Params{"o": owner, "s": sender})
}

// Cut reports whether either of two members has blocked the other (see
// CutSQL).
func Cut(app core.App, a, b string) (bool, error) {
	if a == b || a == "" || b == "" {
		return false, nil
	}
	return exists(app, "SELECT "+CutSQL, dbx.Params{"o": a, "s": b})
}
