package contacts

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// AcceptInput is what the recipient sets when accepting.
type AcceptInput struct {
	Remark string   // the recipient's name for the sender
	TagIDs []string // the recipient's existing tags to put the sender in
	NewTag string   // a new tag to create and put the sender in
}

// Accept turns a pending request addressed to me into a friendship and
// returns it. A request that is not mine, not pending, expired or silenced
// is "not found".
func (s *Service) Accept(me *core.Record, requestID string, in AcceptInput) (*Request, error) {
	if err := trimRemarkAndTag(&in.Remark, &in.NewTag); err != nil {
		return nil, err
	}
	var accepted *Request
	err := s.app.RunInTransaction(func(txApp core.App) error {
		now := s.Now().UTC()
		r, err := findOne(txApp, RequestsCollection,
			"id = {:id} && to = {:me} && status = 'pending' && silenced = false && expires > {:now}",
			dbx.Params{"id": requestID, "me": me.Id, "now": now.Format(types.DefaultDateLayout)})
		if err != nil {
			return err
		}
		if r == nil {
			return NotFound()
		}
		tagIDs, err := ownTags(txApp, me.Id, in.TagIDs)
		if err != nil {
			return err
		}
		if in.NewTag != "" {
			tag, _, err := createTag(txApp, me.Id, in.NewTag)
			if err != nil {
				return err
			}
			tagIDs = append(tagIDs, tag.Id)
		}
		accepted = AsRequest(r)
		if blocked, err := IsBlocked(txApp, me.Id, accepted.FromID()); err != nil {
			return err
		} else if blocked { // accepting means I want them: lift my block
			if err := unblock(txApp, me.Id, accepted.FromID()); err != nil {
				return err
			}
		}
		return befriend(txApp, accepted, in.Remark, tagIDs, now)
	})
	if err != nil {
		return nil, err
	}
	return accepted, nil
}

// befriend creates both contact entries for an accepted request (inside a
// transaction) and closes it and any request the other way.
func befriend(txApp core.App, r *Request, recipientRemark string, recipientTags []string, now time.Time) error {
	source := r.GetString("source")
	if err := ensureContact(txApp, r.ToID(), r.FromID(), recipientRemark, recipientTags, source); err != nil {
		return err
	}
	if err := ensureContact(txApp, r.FromID(), r.ToID(), r.Remark(), nil, source); err != nil {
		return err
	}
	_, err := txApp.DB().NewQuery("UPDATE friend_requests SET status = 'accepted', updated = {:now} " +
		"WHERE status = 'pending' AND ((`from` = {:a} AND `to` = {:b}) OR (`from` = {:b} AND `to` = {:a}))").
		Bind(dbx.Params{"a": r.FromID(), "b": r.ToID(), "now": now.Format(types.DefaultDateLayout)}).Execute()
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

// incomingFilter finds a request addressed to {:me} that the recipient may
// see (never a silenced one).
const incomingFilter = "id = {:id} && to = {:me} && silenced = false"

// Ignore declines a pending request addressed to me; the sender is not told.
func (s *Service) Ignore(me *core.Record, requestID string) error {
	return s.app.RunInTransaction(func(txApp core.App) error {
		r, err := findOne(txApp, RequestsCollection, incomingFilter+" && status = 'pending'",
			dbx.Params{"id": requestID, "me": me.Id})
		if err != nil {
			return err
		}
		if r == nil {
			return NotFound()
		}
		r.Set("status", StatusIgnored)
		return txApp.Save(r)
	})
}

// IncomingRequest is a request addressed to me, whatever its status, or
// "not found" (someone else's, or silenced).
func (s *Service) IncomingRequest(me *core.Record, requestID string) (*Request, error) {
	r, err := findOne(s.app, RequestsCollection, incomingFilter, dbx.Params{"id": requestID, "me": me.Id})
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, NotFound()
	}
	return AsRequest(r), nil
}

// PendingCount is the New Friends badge: requests waiting for my answer,
// by the wall clock (for other modules; the service's own badge uses its
// clock).
func PendingCount(app core.App, memberID string) (int, error) {
	return pendingCount(app, memberID, time.Now())
}

// PendingCount is the New Friends badge by the service's clock.
func (s *Service) PendingCount(memberID string) (int, error) {
	return pendingCount(s.app, memberID, s.Now())
}

func pendingCount(app core.App, memberID string, now time.Time) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM friend_requests WHERE `to` = {:me} AND status = 'pending' AND silenced = 0 AND expires > {:now}").
		Bind(dbx.Params{"me": memberID, "now": now.UTC().Format(types.DefaultDateLayout)}).Row(&n)
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
func (s *Service) Requests(me *core.Record) ([]RequestView, error) {
	recs, err := s.app.FindRecordsByFilter(RequestsCollection,
		"(to = {:me} && silenced = false) || from = {:me}", "-updated", 100, 0, dbx.Params{"me": me.Id})
	if err != nil {
		return nil, fmt.Errorf("list friend requests: %w", err)
	}
	if errs := s.app.ExpandRecords(recs, []string{"from", "to"}, nil); len(errs) > 0 {
		return nil, fmt.Errorf("expand friend requests: %v", errs)
	}
	now := s.Now()
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
