// Package contacts is friendships and everything around them: finding
// people, friend requests, remarks, tags, stars, per-friend permissions,
// blocking, privacy switches and the add-me QR code.
package contacts

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// RequestTTL is how long a friend request waits for an answer.
const RequestTTL = 7 * 24 * time.Hour

// Text limits, in characters.
const (
	GreetingMax = 100
	RemarkMax   = 40
	TagNameMax  = 20
	TagsMax     = 100
)

// Now is the clock of this package (tests move it).
var Now = time.Now

func notFound() *problem.Problem { return problem.New(http.StatusNotFound, "contacts.not_found") }

// findOne returns the first record of collection matching filter, or nil.
func findOne(app core.App, collection, filter string, params dbx.Params) (*core.Record, error) {
	r, err := app.FindFirstRecordByFilter(collection, filter, params)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", collection, err)
	}
	return r, nil
}

// --- finding people ---------------------------------------------------------

// Find looks a member up by exact Plaza ID (any letter case) or, when the
// query holds an "@", by email — each only if that member allows being found
// that way. Not found and not allowed are the same answer, so privacy
// settings cannot be probed.
func Find(app core.App, viewer *core.Record, query string) (*core.Record, error) {
	query = strings.TrimSpace(query)
	if strings.IndexByte(query, 0) >= 0 {
		return nil, problem.Invalid("q", "errors.nul_byte", nil)
	}
	if query == "" || len(query) > 254 {
		return nil, problem.Invalid("q", "contacts.search_empty", nil)
	}
	var (
		found *core.Record
		err   error
		hide  string
	)
	if strings.Contains(query, "@") {
		found, err = app.FindAuthRecordByEmail(accounts.Collection, query)
		hide = FieldNoFindByEmail
	} else {
		found, err = accounts.FindByPlazaID(app, query)
		hide = FieldNoFindByID
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound()
	} else if err != nil {
		return nil, fmt.Errorf("find member: %w", err)
	}
	if found.Id != viewer.Id && found.GetBool(hide) {
		return nil, notFound()
	}
	return found, nil
}

// --- relations --------------------------------------------------------------

// Relation is how the viewer stands to another member.
type Relation struct {
	Self     bool
	Contact  *Contact // the viewer's entry for them; nil when not friends
	Blocked  bool     // the viewer blocked them
	Outgoing *Request // the viewer's pending request to them
	Incoming *Request // their pending request to the viewer (never a silenced one)
}

// RelationOf tells how me stands to other.
func RelationOf(app core.App, me, other *core.Record) (Relation, error) {
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
	params := dbx.Params{"me": me.Id, "other": other.Id, "now": Now().UTC().Format(types.DefaultDateLayout)}
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

func exists(app core.App, query string, params dbx.Params) (bool, error) {
	var n int
	if err := app.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		return false, fmt.Errorf("check relation: %w", err)
	}
	return n == 1, nil
}

// --- friend requests --------------------------------------------------------

// RequestInput is what the sender writes on a friend request.
type RequestInput struct {
	Greeting string
	Remark   string // the sender's name for the recipient, used once accepted
	// Source is ignored: the server decides how the sender found the
	// recipient from Proof (see sourceOf), so a client cannot claim a way
	// the recipient does not allow. SendRequest sets it to what it decided.
	Source string
	// Proof is what shows how the sender found them: the signed add-me
	// link that was scanned (qr), the email address they searched for
	// (email), or nothing (their Plaza ID).
	Proof string
}

// sourceOf decides a friend request's source from its proof.
func sourceOf(proof string) string {
	switch {
	case proof == "":
		return SourceID
	case strings.Contains(proof, "@") && !strings.Contains(proof, "/"):
		return SourceEmail
	default:
		return SourceQR
	}
}

// SendRequest asks to befriend someone. The source must be one the
// recipient allows (a QR source needs a valid signed link). Asking again
// refreshes the pending request instead of stacking a new one. If the
// recipient had already asked the sender, the two become friends at once.
// If the recipient blocked the sender, the request is kept but silenced:
// the sender sees it as sent, the recipient never sees it.
func SendRequest(app core.App, from, to *core.Record, in RequestInput) (*Request, error) {
	in.Greeting = strings.TrimSpace(in.Greeting)
	in.Remark = strings.TrimSpace(in.Remark)
	p := &problem.Problem{Status: http.StatusBadRequest}
	checkLen(p, "greeting", in.Greeting, GreetingMax)
	checkLen(p, "remark", in.Remark, RemarkMax)
	if p.Has() {
		return nil, p
	}
	if from.Id == to.Id {
		return nil, problem.New(http.StatusBadRequest, "contacts.cannot_add_self")
	}
	in.Source = sourceOf(strings.TrimSpace(in.Proof))
	if err := checkSource(app, to, in); err != nil {
		return nil, err
	}

	var result *Request
	err := app.RunInTransaction(func(txApp core.App) error {
		if err := checkRequestRate(txApp, from.Id); err != nil {
			return err
		}
		if friends, err := AreFriends(txApp, from.Id, to.Id); err != nil {
			return err
		} else if friends {
			return problem.New(http.StatusConflict, "contacts.already_friends")
		}
		if blocked, err := IsBlocked(txApp, from.Id, to.Id); err != nil {
			return err
		} else if blocked {
			return problem.New(http.StatusConflict, "contacts.unblock_first")
		}
		silenced, err := IsBlocked(txApp, to.Id, from.Id)
		if err != nil {
			return err
		}
		now := Now().UTC()
		if !silenced {
			reverse, err := findOne(txApp, RequestsCollection, "from = {:to} && to = {:from} && status = 'pending' && silenced = false && expires > {:now}",
				dbx.Params{"to": to.Id, "from": from.Id, "now": now.Format(types.DefaultDateLayout)})
			if err != nil {
				return err
			}
			if reverse != nil { // they asked first: both want it
				if err := befriend(txApp, AsRequest(reverse), in.Remark, nil); err != nil {
					return err
				}
				result = AsRequest(reverse)
				return nil
			}
		}
		r, err := findOne(txApp, RequestsCollection, "from = {:from} && to = {:to}", dbx.Params{"from": from.Id, "to": to.Id})
		if err != nil {
			return err
		}
		if r == nil {
			c, err := txApp.FindCachedCollectionByNameOrId(RequestsCollection)
			if err != nil {
				return err
			}
			r = core.NewRecord(c)
			r.Set("from", from.Id)
			r.Set("to", to.Id)
		}
		r.Set("greeting", in.Greeting)
		r.Set("remark", in.Remark)
		r.Set("source", in.Source)
		r.Set("status", StatusPending)
		r.Set("silenced", silenced)
		r.Set("expires", now.Add(RequestTTL))
		if err := txApp.Save(r); err != nil {
			return fmt.Errorf("save friend request: %w", err)
		}
		result = AsRequest(r)
		return nil
	})
	return result, err
}

// checkRequestRate caps the friend requests a member sends per hour (the
// settings' FriendRequestsPerHour), on top of the per-IP rate limiter.
func checkRequestRate(txApp core.App, from string) error {
	limit := settings.Get(txApp).FriendRequestsPerHour
	if limit <= 0 {
		return nil
	}
	var n int
	err := txApp.DB().NewQuery("SELECT COUNT(*) FROM friend_requests WHERE `from` = {:from} AND updated > {:since}").
		Bind(dbx.Params{"from": from, "since": Now().UTC().Add(-time.Hour).Format(types.DefaultDateLayout)}).Row(&n)
	if err != nil {
		return fmt.Errorf("count recent friend requests: %w", err)
	}
	if n >= limit {
		return problem.New(http.StatusTooManyRequests, "contacts.too_many_requests")
	}
	return nil
}

// checkSource enforces the recipient's privacy switches for the way they
// were found. A member hidden from ID (or email) search answers exactly as
// a Plaza ID (or email) that belongs to no one: "not found", so a request
// cannot probe who is a member.
func checkSource(app core.App, to *core.Record, in RequestInput) error {
	switch in.Source {
	case SourceID:
		if to.GetBool(FieldNoFindByID) {
			return notFound()
		}
	case SourceEmail:
		if to.GetBool(FieldNoFindByEmail) || !strings.EqualFold(strings.TrimSpace(in.Proof), to.Email()) {
			return notFound()
		}
	case SourceQR:
		scanned, err := VerifyAddLink(app, in.Proof)
		if err != nil {
			return err
		}
		if scanned.Id != to.Id {
			return problem.New(http.StatusBadRequest, "scan.tampered")
		}
	default:
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	return nil
}

// AcceptInput is what the recipient sets when accepting.
type AcceptInput struct {
	Remark string   // the recipient's name for the sender
	TagIDs []string // the recipient's existing tags to put the sender in
	NewTag string   // a new tag to create and put the sender in
}

// Accept turns a pending request addressed to me into a friendship. A
// request that is not mine, not pending, expired or silenced is "not found".
func Accept(app core.App, me *core.Record, requestID string, in AcceptInput) error {
	in.Remark = strings.TrimSpace(in.Remark)
	in.NewTag = strings.TrimSpace(in.NewTag)
	p := &problem.Problem{Status: http.StatusBadRequest}
	checkLen(p, "remark", in.Remark, RemarkMax)
	checkLen(p, "new_tag", in.NewTag, TagNameMax)
	if p.Has() {
		return p
	}
	return app.RunInTransaction(func(txApp core.App) error {
		r, err := findOne(txApp, RequestsCollection,
			"id = {:id} && to = {:me} && status = 'pending' && silenced = false && expires > {:now}",
			dbx.Params{"id": requestID, "me": me.Id, "now": Now().UTC().Format(types.DefaultDateLayout)})
		if err != nil {
			return err
		}
		if r == nil {
			return notFound()
		}
		tagIDs, err := ownTags(txApp, me.Id, in.TagIDs)
		if err != nil {
			return err
		}
		if in.NewTag != "" {
			tag, err := createTag(txApp, me.Id, in.NewTag)
			if err != nil {
				return err
			}
			tagIDs = append(tagIDs, tag.Id)
		}
		if blocked, err := IsBlocked(txApp, me.Id, AsRequest(r).FromID()); err != nil {
			return err
		} else if blocked { // accepting means I want them: lift my block
			if err := unblock(txApp, me.Id, AsRequest(r).FromID()); err != nil {
				return err
			}
		}
		return befriend(txApp, AsRequest(r), in.Remark, tagIDs)
	})
}

// befriend creates both contact entries for an accepted request (inside a
// transaction) and closes it and any request the other way.
func befriend(txApp core.App, r *Request, recipientRemark string, recipientTags []string) error {
	source := r.GetString("source")
	if err := ensureContact(txApp, r.ToID(), r.FromID(), recipientRemark, recipientTags, source); err != nil {
		return err
	}
	if err := ensureContact(txApp, r.FromID(), r.ToID(), r.Remark(), nil, source); err != nil {
		return err
	}
	_, err := txApp.DB().NewQuery("UPDATE friend_requests SET status = 'accepted', updated = {:now} " +
		"WHERE status = 'pending' AND ((`from` = {:a} AND `to` = {:b}) OR (`from` = {:b} AND `to` = {:a}))").
		Bind(dbx.Params{"a": r.FromID(), "b": r.ToID(), "now": Now().UTC().Format(types.DefaultDateLayout)}).Execute()
	if err != nil {
		return fmt.Errorf("close friend requests: %w", err)
	}
	return nil
}

func ensureContact(txApp core.App, owner, friend, remark string, tags []string, source string) error {
	existing, err := findOne(txApp, ContactsCollection, "owner = {:o} && friend = {:f}", dbx.Params{"o": owner, "f": friend})
	if err != nil || existing != nil {
		return err
	}
	c, err := txApp.FindCachedCollectionByNameOrId(ContactsCollection)
	if err != nil {
		return err
	}
	r := core.NewRecord(c)
	r.Set("owner", owner)
	r.Set("friend", friend)
	r.Set("remark", remark)
	r.Set("tags", tags)
	r.Set("source", source)
	if err := txApp.Save(r); err != nil {
		return fmt.Errorf("save contact: %w", err)
	}
	return nil
}

// Ignore declines a pending request addressed to me; the sender is not told.
func Ignore(app core.App, me *core.Record, requestID string) error {
	return app.RunInTransaction(func(txApp core.App) error {
		r, err := findOne(txApp, RequestsCollection, "id = {:id} && to = {:me} && status = 'pending' && silenced = false",
			dbx.Params{"id": requestID, "me": me.Id})
		if err != nil {
			return err
		}
		if r == nil {
			return notFound()
		}
		r.Set("status", StatusIgnored)
		return txApp.Save(r)
	})
}

// PendingCount is the New Friends badge: requests waiting for my answer.
func PendingCount(app core.App, memberID string) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM friend_requests WHERE `to` = {:me} AND status = 'pending' AND silenced = 0 AND expires > {:now}").
		Bind(dbx.Params{"me": memberID, "now": Now().UTC().Format(types.DefaultDateLayout)}).Row(&n)
	return n, err
}

// RequestView is a request as the New Friends list shows it.
type RequestView struct {
	*Request
	Other    *core.Record // the other member
	Incoming bool
	Expired  bool
}

// Requests lists my recent requests, received (never silenced ones) and
// sent, newest first.
func Requests(app core.App, me *core.Record) ([]RequestView, error) {
	recs, err := app.FindRecordsByFilter(RequestsCollection,
		"(to = {:me} && silenced = false) || from = {:me}", "-updated", 100, 0, dbx.Params{"me": me.Id})
	if err != nil {
		return nil, fmt.Errorf("list friend requests: %w", err)
	}
	if errs := app.ExpandRecords(recs, []string{"from", "to"}, nil); len(errs) > 0 {
		return nil, fmt.Errorf("expand friend requests: %v", errs)
	}
	now := Now()
	out := make([]RequestView, 0, len(recs))
	for _, r := range recs {
		q := AsRequest(r)
		v := RequestView{Request: q, Incoming: q.ToID() == me.Id}
		if v.Incoming {
			v.Other = r.ExpandedOne("from")
		} else {
			v.Other = r.ExpandedOne("to")
		}
		if v.Other == nil {
			continue
		}
		v.Expired = q.Status() == StatusPending && q.Expires().Time().Before(now)
		out = append(out, v)
	}
	return out, nil
}

// --- friends ----------------------------------------------------------------

// Friend is one of my contacts with the friend's member record.
type Friend struct {
	Contact *Contact
	Member  *core.Record
}

// Label is how I see the friend: my remark, else their name.
func (f Friend) Label() string {
	if r := f.Contact.Remark(); r != "" {
		return r
	}
	return accounts.AsMember(f.Member).DisplayName()
}

// Friends lists all my friends (unsorted; the views sort by pinyin).
func Friends(app core.App, me *core.Record) ([]Friend, error) {
	recs, err := app.FindRecordsByFilter(ContactsCollection, "owner = {:me}", "", 0, 0, dbx.Params{"me": me.Id})
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	return withMembers(app, recs)
}

func withMembers(app core.App, recs []*core.Record) ([]Friend, error) {
	if errs := app.ExpandRecords(recs, []string{"friend"}, nil); len(errs) > 0 {
		return nil, fmt.Errorf("expand contacts: %v", errs)
	}
	out := make([]Friend, 0, len(recs))
	for _, r := range recs {
		if m := r.ExpandedOne("friend"); m != nil {
			out = append(out, Friend{Contact: AsContact(r), Member: m})
		}
	}
	return out, nil
}

// FriendOf returns my contact entry for friendID, or a not-found Problem.
func FriendOf(app core.App, me *core.Record, friendID string) (*Friend, error) {
	c, err := findOne(app, ContactsCollection, "owner = {:me} && friend = {:f}", dbx.Params{"me": me.Id, "f": friendID})
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, notFound()
	}
	list, err := withMembers(app, []*core.Record{c})
	if err != nil || len(list) == 0 {
		return nil, notFound()
	}
	return &list[0], nil
}

// ContactInput is everything I can set on a friend.
type ContactInput struct {
	Remark     string
	TagIDs     []string
	Starred    bool
	ChatOnly   bool
	HideMine   bool   // don't let them see my Moments
	HideTheirs bool   // hide their Moments
	NewTag     string // a new tag to create and put them in
}

// UpdateContact saves my remark, tags, star and permissions for a friend.
func UpdateContact(app core.App, me *core.Record, friendID string, in ContactInput) error {
	in.Remark = strings.TrimSpace(in.Remark)
	in.NewTag = strings.TrimSpace(in.NewTag)
	p := &problem.Problem{Status: http.StatusBadRequest}
	checkLen(p, "remark", in.Remark, RemarkMax)
	checkLen(p, "new_tag", in.NewTag, TagNameMax)
	if p.Has() {
		return p
	}
	return app.RunInTransaction(func(txApp core.App) error {
		f, err := FriendOf(txApp, me, friendID)
		if err != nil {
			return err
		}
		tags, err := ownTags(txApp, me.Id, in.TagIDs)
		if err != nil {
			return err
		}
		if in.NewTag != "" { // only once they are known to be my friend
			tag, err := createTag(txApp, me.Id, in.NewTag)
			if p, ok := problem.As(err); ok && len(p.Fields) == 1 && p.Fields[0].Name == "name" {
				return problem.Invalid("new_tag", p.Fields[0].Key, p.Fields[0].Args)
			} else if err != nil {
				return err
			}
			if !slices.Contains(tags, tag.Id) {
				tags = append(tags, tag.Id)
			}
		}
		r := f.Contact.ProxyRecord()
		r.Set("remark", in.Remark)
		r.Set("tags", tags)
		r.Set("starred", in.Starred)
		r.Set("chat_only", in.ChatOnly)
		r.Set("hide_my_moments", in.HideMine)
		r.Set("hide_their_moments", in.HideTheirs)
		return txApp.Save(r)
	})
}

// Unfriend ends a friendship for both sides (friendship is mutual).
func Unfriend(app core.App, me *core.Record, friendID string) error {
	return app.RunInTransaction(func(txApp core.App) error {
		if _, err := FriendOf(txApp, me, friendID); err != nil {
			return err
		}
		_, err := txApp.DB().NewQuery("DELETE FROM contacts WHERE (owner = {:a} AND friend = {:b}) OR (owner = {:b} AND friend = {:a})").
			Bind(dbx.Params{"a": me.Id, "b": friendID}).Execute()
		return err
	})
}

// Block stops target from reaching me: they cannot message me, see my
// Moments or get a friend request through, and are not told. A friendship
// stays listed (as in WeChat) until I delete it.
func Block(app core.App, me *core.Record, targetID string) error {
	if targetID == me.Id {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	return app.RunInTransaction(func(txApp core.App) error {
		target, err := txApp.FindRecordById(accounts.Collection, targetID)
		if err != nil {
			return notFound()
		}
		if blocked, err := IsBlocked(txApp, me.Id, targetID); err != nil || blocked {
			return err
		}
		// Only someone I can already see: blocking must not open the card of
		// a member who is hidden from me (their card opens for the blocker).
		if ok, err := mayBlock(txApp, me.Id, target); err != nil {
			return err
		} else if !ok {
			return notFound()
		}
		c, err := txApp.FindCachedCollectionByNameOrId(BlocksCollection)
		if err != nil {
			return err
		}
		b := core.NewRecord(c)
		b.Set("owner", me.Id)
		b.Set("target", targetID)
		if err := txApp.Save(b); err != nil {
			return fmt.Errorf("save block: %w", err)
		}
		// Their pending requests to me go quiet, as if never sent.
		_, err = txApp.DB().NewQuery("UPDATE friend_requests SET silenced = 1 WHERE `from` = {:t} AND `to` = {:me} AND status = 'pending'").
			Bind(dbx.Params{"t": targetID, "me": me.Id}).Execute()
		return err
	})
}

// mayBlock reports whether owner knows target in a way that shows their
// card: findable by Plaza ID, a friend, a pending request either way, or a
// chat in common.
func mayBlock(txApp core.App, owner string, target *core.Record) (bool, error) {
	if !target.GetBool(FieldNoFindByID) {
		return true, nil
	}
	return exists(txApp, `SELECT EXISTS(SELECT 1 FROM contacts WHERE (owner = {:o} AND friend = {:t}) OR (owner = {:t} AND friend = {:o}))
		OR EXISTS(SELECT 1 FROM friend_requests WHERE (`+"`from`"+` = {:o} AND `+"`to`"+` = {:t}) OR (`+"`from`"+` = {:t} AND `+"`to`"+` = {:o}))
		OR EXISTS(SELECT 1 FROM conversation_members a JOIN conversation_members b ON b.conversation = a.conversation
			WHERE a.member = {:o} AND b.member = {:t})`, dbx.Params{"o": owner, "t": target.Id})
}

// Unblock lifts my block on target.
func Unblock(app core.App, me *core.Record, targetID string) error {
	return app.RunInTransaction(func(txApp core.App) error { return unblock(txApp, me.Id, targetID) })
}

func unblock(txApp core.App, owner, target string) error {
	_, err := txApp.DB().NewQuery("DELETE FROM blocks WHERE owner = {:o} AND target = {:t}").
		Bind(dbx.Params{"o": owner, "t": target}).Execute()
	return err
}

// Blocked lists the members I blocked.
func Blocked(app core.App, me *core.Record) ([]*core.Record, error) {
	recs, err := app.FindRecordsByFilter(BlocksCollection, "owner = {:me}", "-created", 0, 0, dbx.Params{"me": me.Id})
	if err != nil {
		return nil, err
	}
	if errs := app.ExpandRecords(recs, []string{"target"}, nil); len(errs) > 0 {
		return nil, fmt.Errorf("expand blocks: %v", errs)
	}
	out := make([]*core.Record, 0, len(recs))
	for _, r := range recs {
		if m := r.ExpandedOne("target"); m != nil {
			out = append(out, m)
		}
	}
	return out, nil
}

func checkLen(p *problem.Problem, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		p.Add(field, "profile.too_long", map[string]any{"max": max})
	}
}
