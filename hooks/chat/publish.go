package chat

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The publish step. A message's sequence number is fixed when its
// transaction takes it, but the senders of one batch (and other writers:
// notices, wallet cards) publish after the commit on their own goroutines,
// in whatever order the scheduler runs them. So every msg frame passes
// through its conversation's order: a frame whose predecessor has not been
// handed to the sockets yet waits for it, and whoever hands a frame over
// also hands over the frames that were waiting for it. Each socket's queue
// is first in, first out, so every socket receives a conversation's live
// frames in sequence order. A frame is encoded once; every socket gets the
// same bytes.
//
// The transactions that take a sequence number tell the order (expect)
// while they still hold SQLite's write lock, so the first frame of a
// conversation the order does not know yet starts it at the right place.
// A frame whose predecessor never comes (its transaction rolled back after
// expect, or its publisher failed) waits at most holdMax; then the order
// moves past the hole and clients fetch what they miss by the gap rule.

// holdMax is the longest a frame waits for its predecessor.
const holdMax = 2 * time.Second

// order is the per-conversation publish order of one app's msg frames.
type order struct {
	mu    sync.Mutex
	convs map[string]*convOrder
}

type convOrder struct {
	last    int64 // the last sequence handed to the sockets
	expect  int64 // the highest sequence a transaction took
	held    map[int64]heldFrame
	busy    bool      // a goroutine is handing frames over
	waiting time.Time // when the oldest held frame began to wait
	timer   *time.Timer
}

type heldFrame struct {
	ids  []string
	data []byte
}

const orderKey = "plaza.chat.order"

// orderOf returns the app's publish order (a transaction's app shares its
// parent's store, so both get the same one).
func orderOf(app core.App) *order {
	return app.Store().GetOrSet(orderKey, func() any { return &order{convs: map[string]*convOrder{}} }).(*order)
}

// entry returns the conversation's state, starting it after seq-1: every
// sequence before it was either published already or taken before this
// process started (a transaction that takes one calls expect first).
func (o *order) entry(convID string, seq int64) *convOrder {
	e := o.convs[convID]
	if e == nil {
		e = &convOrder{last: seq - 1, expect: seq - 1, held: map[int64]heldFrame{}}
		o.convs[convID] = e
	}
	return e
}

// expect records that a transaction took seq in convID.
func (o *order) expect(convID string, seq int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	e := o.entry(convID, seq)
	e.expect = max(e.expect, seq)
}

// publish hands the frame of message seq to deliver, after every frame of
// the conversation before it.
func (o *order) publish(convID string, seq int64, f heldFrame, deliver func(heldFrame)) {
	o.mu.Lock()
	e := o.entry(convID, seq)
	if seq <= e.last { // its turn has passed (it waited longer than holdMax): late is better than never
		o.mu.Unlock()
		deliver(f)
		return
	}
	if len(e.held) == 0 {
		e.waiting = time.Now()
	}
	e.held[seq] = f
	e.expect = max(e.expect, seq)
	o.drain(convID, e, deliver)
	o.mu.Unlock()
}

// drain hands over the frames whose turn has come, unless another
// goroutine is doing so (it will find them). Called with o.mu held;
// delivers without it.
func (o *order) drain(convID string, e *convOrder, deliver func(heldFrame)) {
	if e.busy {
		return
	}
	e.busy = true
	for {
		f, ok := e.held[e.last+1]
		if !ok {
			break
		}
		delete(e.held, e.last+1)
		e.last++
		e.waiting = time.Now()
		o.mu.Unlock()
		deliver(f)
		o.mu.Lock()
	}
	e.busy = false
	switch {
	case len(e.held) > 0: // waiting for a predecessor
		wait := holdMax - time.Since(e.waiting)
		if e.timer == nil {
			e.timer = time.AfterFunc(wait, func() { o.skip(convID, deliver) })
		} else {
			e.timer.Reset(wait)
		}
	case e.last >= e.expect: // nothing outstanding: forget the conversation
		if e.timer != nil {
			e.timer.Stop()
		}
		delete(o.convs, convID)
	}
}

// skip moves past a hole that held frames for holdMax.
func (o *order) skip(convID string, deliver func(heldFrame)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	e := o.convs[convID]
	if e == nil || e.busy || len(e.held) == 0 {
		return
	}
	if time.Since(e.waiting) >= holdMax {
		next := int64(-1)
		for seq := range e.held {
			if next < 0 || seq < next {
				next = seq
			}
		}
		e.last = next - 1
	}
	o.drain(convID, e, deliver)
}

// memberList is a conversation's members as of a membership version.
type memberList struct {
	ver int64
	ids []string
}

// memberCacheMax bounds the cache; past it, it starts afresh.
const memberCacheMax = 20_000

// members is the fan-out's cache of member lists. Every insert, delete or
// move of a conversation_members row bumps conversations.members_ver (a
// trigger, so no path can forget it: create, join, invite, remove, leave,
// dissolve, a cascade or the admin UI), and a list is used only for the
// version it was read at or a later one.
type members struct {
	mu sync.Mutex
	m  map[string]memberList
}

// get returns the members of convID at membership version ver or later,
// reading them (with their version, in one statement) when the cache has
// only an older list.
func (c *members) get(app core.App, convID string, ver int64) ([]string, error) {
	c.mu.Lock()
	l, ok := c.m[convID]
	c.mu.Unlock()
	if ok && l.ver >= ver {
		return l.ids, nil
	}
	var rows []struct {
		Ver    int64  `db:"members_ver"`
		Member string `db:"member"`
	}
	err := app.DB().NewQuery(`SELECT c.members_ver, COALESCE(cm.member, '') AS member FROM conversations c
		LEFT JOIN conversation_members cm ON cm.conversation = c.id WHERE c.id = {:c}`).
		Bind(dbx.Params{"c": convID}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	l = memberList{ver: -1}
	for _, r := range rows {
		l.ver = r.Ver
		if r.Member != "" {
			l.ids = append(l.ids, r.Member)
		}
	}
	if l.ver < 0 { // no such conversation (dissolved)
		return nil, nil
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= memberCacheMax {
		c.m = map[string]memberList{}
	}
	if cur, ok := c.m[convID]; !ok || cur.ver < l.ver {
		c.m[convID] = l
	}
	c.mu.Unlock()
	return l.ids, nil
}

// membersVersion reads a conversation's membership version (-1 when it
// does not exist).
func membersVersion(app core.App, convID string) (int64, error) {
	ver := int64(-1)
	err := app.DB().NewQuery("SELECT members_ver FROM conversations WHERE id = {:c}").Bind(dbx.Params{"c": convID}).Row(&ver)
	if err != nil && !isNoRows(err) {
		return 0, fmt.Errorf("membership version: %w", err)
	}
	return ver, nil
}

// publish delivers a frame to every member of the conversation now; a msg
// frame goes out in sequence order.
func (s *Service) publish(convID string, f Frame) {
	ver, err := membersVersion(s.app, convID)
	if err == nil {
		s.publishAt(convID, ver, f)
		return
	}
	s.app.Logger().Error("chat: fan-out members", "conversation", convID, "error", err.Error())
	if f.T == "msg" && f.M != nil {
		orderOf(s.app).publish(convID, f.M.Seq, heldFrame{}, s.deliverHeld) // keep the order moving
	}
}

// publishAt is publish with the membership version the caller read in the
// message's own transaction (so a send needs no query to find its members).
func (s *Service) publishAt(convID string, ver int64, f Frame) {
	ids, err := s.members.get(s.app, convID, ver)
	if err != nil {
		s.app.Logger().Error("chat: fan-out members", "conversation", convID, "error", err.Error())
	}
	var data []byte
	if err == nil {
		data, err = json.Marshal(f)
	}
	if f.T == "msg" && f.M != nil {
		orderOf(s.app).publish(convID, f.M.Seq, heldFrame{ids: ids, data: data}, s.deliverHeld)
		return
	}
	if err == nil {
		s.out.Deliver(ids, data)
	}
}

func (s *Service) deliverHeld(f heldFrame) {
	if f.data != nil {
		s.out.Deliver(f.ids, f.data)
	}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
