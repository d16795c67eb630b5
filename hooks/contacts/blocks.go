package contacts

import (
	"fmt"
	"net/http"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// Block stops target from reaching me: they cannot message me, see my
// Moments or get a friend request through, and are not told. A friendship
// stays listed (as in WeChat) until I delete it.
func (s *Service) Block(me *core.Record, targetID string) error {
	if targetID == me.Id {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	return s.app.RunInTransaction(func(txApp core.App) error {
		target, err := txApp.FindRecordById(accounts.Collection, targetID)
		if err != nil {
			return NotFound()
		}
		if blocked, err := IsBlocked(txApp, me.Id, targetID); err != nil || blocked {
			return err
		}
		// Only someone I can already see: blocking must not open the card of
		// a member who is hidden from me (their card opens for the blocker).
		if ok, err := s.mayBlock(txApp, me.Id, target); err != nil {
			return err
		} else if !ok {
			return NotFound()
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
// card: findable by Plaza ID, a friend, a friend request either way
// (answered or not), or a module that opens target's card to owner (module.Registry.CardReachable:
// chat's group in common). A 1:1 chat in common needs no asking: one opens
// only between friends, who have a request between them for good.
func (s *Service) mayBlock(txApp core.App, owner string, target *core.Record) (bool, error) {
	if !target.GetBool(FieldNoFindByID) {
		return true, nil
	}
	known, err := exists(txApp, `SELECT EXISTS(SELECT 1 FROM contacts WHERE (owner = {:o} AND friend = {:t}) OR (owner = {:t} AND friend = {:o}))
		OR EXISTS(SELECT 1 FROM friend_requests WHERE (`+"`from`"+` = {:o} AND `+"`to`"+` = {:t}) OR (`+"`from`"+` = {:t} AND `+"`to`"+` = {:o}))`,
		dbx.Params{"o": owner, "t": target.Id})
	if err != nil || known {
		return known, err
	}
	return s.reg.CardReachable(txApp, owner, target.Id)
}

// Unblock lifts my block on target.
func (s *Service) Unblock(me *core.Record, targetID string) error {
	return s.app.RunInTransaction(func(txApp core.App) error { return unblock(txApp, me.Id, targetID) })
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
