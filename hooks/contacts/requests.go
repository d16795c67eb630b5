package contacts

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

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
// The request returned is the recipient's own when they had asked first
// (the two are friends now), else the sender's.
func (s *Service) SendRequest(from, to *core.Record, in RequestInput) (*Request, error) {
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
	if err := s.checkSource(to, in); err != nil {
		return nil, err
	}
	var result *Request
	err := s.app.RunInTransaction(func(txApp core.App) error {
		var err error
		result, err = s.sendTx(txApp, from, to, in)
		return err
	})
	return result, err
}

// sendTx is SendRequest's transaction: the checks that need the database,
// then the mutual acceptance or the sent (or refreshed) request.
func (s *Service) sendTx(txApp core.App, from, to *core.Record, in RequestInput) (*Request, error) {
	now := s.Now().UTC()
	if err := checkRequestRate(txApp, from.Id, now); err != nil {
		return nil, err
	}
	if friends, err := AreFriends(txApp, from.Id, to.Id); err != nil {
		return nil, err
	} else if friends {
		return nil, problem.New(http.StatusConflict, "contacts.already_friends")
	}
	if blocked, err := IsBlocked(txApp, from.Id, to.Id); err != nil {
		return nil, err
	} else if blocked {
		return nil, problem.New(http.StatusConflict, "contacts.unblock_first")
	}
	silenced, err := IsBlocked(txApp, to.Id, from.Id)
	if err != nil {
		return nil, err
	}
	if !silenced {
		reverse, err := findOne(txApp, RequestsCollection, "from = {:to} && to = {:from} && status = 'pending' && silenced = false && expires > {:now}",
			dbx.Params{"to": to.Id, "from": from.Id, "now": now.Format(types.DefaultDateLayout)})
		if err != nil {
			return nil, err
		}
		if reverse != nil { // they asked first: both want it
			if err := befriend(txApp, AsRequest(reverse), in.Remark, nil, now); err != nil {
				return nil, err
			}
			return AsRequest(reverse), nil
		}
	}
	r, err := findOne(txApp, RequestsCollection, "from = {:from} && to = {:to}", dbx.Params{"from": from.Id, "to": to.Id})
	if err != nil {
		return nil, err
	}
	if r == nil {
		c, err := txApp.FindCachedCollectionByNameOrId(RequestsCollection)
		if err != nil {
			return nil, err
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
		return nil, fmt.Errorf("save friend request: %w", err)
	}
	return AsRequest(r), nil
}

// checkRequestRate caps the friend requests a member sends per hour (the
// settings' FriendRequestsPerHour), on top of the per-IP rate limiter.
func checkRequestRate(txApp core.App, from string, now time.Time) error {
	limit := settings.Get(txApp).FriendRequestsPerHour
	if limit <= 0 {
		return nil
	}
	var n int
	err := txApp.DB().NewQuery("SELECT COUNT(*) FROM friend_requests WHERE `from` = {:from} AND updated > {:since}").
		Bind(dbx.Params{"from": from, "since": now.Add(-time.Hour).Format(types.DefaultDateLayout)}).Row(&n)
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
func (s *Service) checkSource(to *core.Record, in RequestInput) error {
	switch in.Source {
	case SourceID:
		if to.GetBool(FieldNoFindByID) {
			return NotFound()
		}
	case SourceEmail:
		if to.GetBool(FieldNoFindByEmail) || !strings.EqualFold(strings.TrimSpace(in.Proof), to.Email()) {
			return NotFound()
		}
	case SourceQR:
		scanned, err := s.VerifyAddLink(in.Proof)
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
