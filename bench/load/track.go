package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// collector matches what the clients receive with what was sent. Every
// timed send is a round, registered under a key the receivers can find in
// the frame (the client message id of a socket send, the record number of
// an SSE event); receivers stamp their receipt on it. All clients live in
// this process, so send and receipt times come from one monotonic clock.
//
// It also keeps the integrity counters a run must end with at zero.
type collector struct {
	epoch  time.Time
	rounds sync.Map // key → *round

	lost       atomic.Int64 // receipts a round still missed when it was settled
	dups       atomic.Int64 // a socket received the same message twice
	gaps       atomic.Int64 // a socket's seq jumped ahead by more than one
	reorders   atomic.Int64 // a socket's seq went back (or repeated)
	unexpected atomic.Int64 // a message reached a socket outside its conversation
	dropped    atomic.Int64 // a socket closed while its pool was still in use
	errFrames  atomic.Int64 // error frames other than rate limiting
	throttled  atomic.Int64 // sends refused with "too_many"

	mu    sync.Mutex
	notes []string // the first anomalies, for the log
}

func newCollector() *collector { return &collector{epoch: time.Now()} }

// now is the time since the collector's epoch (monotonic).
func (c *collector) now() int64 { return int64(time.Since(c.epoch)) }

// note keeps the first few anomalies, for the report.
func (c *collector) note(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.notes) < 20 {
		c.notes = append(c.notes, fmt.Sprintf(format, args...))
	}
}

// Integrity is what went wrong in a run; every field should be zero.
type Integrity struct {
	Lost       int64    `json:"lost"`
	Duplicated int64    `json:"duplicated"`
	Gaps       int64    `json:"gaps"`
	OutOfOrder int64    `json:"out_of_order"`
	Unexpected int64    `json:"unexpected"`
	Dropped    int64    `json:"dropped_sockets"`
	Errors     int64    `json:"error_frames"`
	Throttled  int64    `json:"throttled_sends"`
	Notes      []string `json:"notes,omitempty"`
}

// OK reports a clean run. Throttled sends are not errors (the server's
// per-member rate limit said no, and the client retried), so they do not
// count.
func (i Integrity) OK() bool {
	return i.Lost == 0 && i.Duplicated == 0 && i.Gaps == 0 && i.OutOfOrder == 0 &&
		i.Unexpected == 0 && i.Dropped == 0 && i.Errors == 0
}

func (c *collector) integrity() Integrity {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Integrity{
		Lost: c.lost.Load(), Duplicated: c.dups.Load(), Gaps: c.gaps.Load(), OutOfOrder: c.reorders.Load(),
		Unexpected: c.unexpected.Load(), Dropped: c.dropped.Load(), Errors: c.errFrames.Load(),
		Throttled: c.throttled.Load(), Notes: append([]string(nil), c.notes...),
	}
}

// audience is who should receive a round: receiver index (in its pool) →
// position in the round's receipt table.
type audience struct {
	pos map[int]int
}

func newAudience(receivers []int) *audience {
	a := &audience{pos: make(map[int]int, len(receivers))}
	for _, r := range receivers {
		if _, ok := a.pos[r]; !ok {
			a.pos[r] = len(a.pos)
		}
	}
	return a
}

func (a *audience) size() int { return len(a.pos) }

// round is one timed send and its receipts.
type round struct {
	key   string
	aud   *audience
	start int64 // set by the sender before it writes
	seen  []atomic.Bool
	at    []atomic.Int64 // each receipt's time
	got   atomic.Int32
	last  atomic.Int64 // latest receipt
	done  chan struct{}

	ackOnce sync.Once
	ackAt   int64
	code    string // error code instead of an ack
	acked   chan struct{}
	settled atomic.Bool
}

// newRound registers a round; the sender stamps start and then writes.
func (c *collector) newRound(key string, aud *audience) *round {
	r := &round{key: key, aud: aud, seen: make([]atomic.Bool, aud.size()), at: make([]atomic.Int64, aud.size()),
		done: make(chan struct{}), acked: make(chan struct{})}
	if aud.size() == 0 {
		close(r.done)
	}
	c.rounds.Store(key, r)
	return r
}

func (c *collector) lookup(key string) *round {
	if v, ok := c.rounds.Load(key); ok {
		return v.(*round)
	}
	return nil
}

// receive records that receiver got the round's message at t.
func (c *collector) receive(r *round, receiver int, t int64, where string) {
	p, ok := r.aud.pos[receiver]
	if !ok {
		c.unexpected.Add(1)
		c.note("%s: %s reached receiver %d outside its audience", where, r.key, receiver)
		return
	}
	if r.seen[p].Swap(true) {
		c.dups.Add(1)
		c.note("%s: receiver %d got %s twice", where, receiver, r.key)
		return
	}
	r.at[p].Store(t)
	for {
		old := r.last.Load()
		if t <= old || r.last.CompareAndSwap(old, t) {
			break
		}
	}
	if int(r.got.Add(1)) == r.aud.size() {
		close(r.done)
	}
}

// ack records the sender's ack (or error code) for the round.
func (r *round) ack(t int64, code string) {
	r.ackOnce.Do(func() {
		r.ackAt, r.code = t, code
		close(r.acked)
	})
}

// toLast is the time from send to the last receipt.
func (r *round) toLast() time.Duration { return time.Duration(r.last.Load() - r.start) }

// ackLatency is the time from send to the sender's ack.
func (r *round) ackLatency() time.Duration { return time.Duration(r.ackAt - r.start) }

// errThrottled is a send refused by the server's per-member rate limit.
var errThrottled = errors.New("rate limited (too_many)")

// waitAck waits for the sender's ack or error frame.
func waitAck(ctx context.Context, r *round, limit time.Duration) error {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-r.acked:
		switch r.code {
		case "":
			return nil
		case "too_many":
			return fmt.Errorf("send %s: %w", r.key, errThrottled)
		default:
			return fmt.Errorf("send %s answered %q", r.key, r.code)
		}
	case <-t.C:
		return fmt.Errorf("send %s: no ack within %s", r.key, limit)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// waitDone waits until every receiver has the round, then settles it.
// A round still missing receipts after limit is settled with them counted
// as lost, and the run goes on.
func (c *collector) waitDone(ctx context.Context, r *round, limit time.Duration) (complete bool, err error) {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-r.done:
		complete = true
	case <-t.C:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	c.settle(r)
	return complete, nil
}

// settle counts what a round missed, once.
func (c *collector) settle(r *round) {
	if r.settled.Swap(true) {
		return
	}
	if missing := r.aud.size() - int(r.got.Load()); missing > 0 {
		c.lost.Add(int64(missing))
		c.note("%s: %d of %d receivers never got it", r.key, missing, r.aud.size())
	}
}

// forget drops a settled round that was refused (e.g. rate limited): it
// was never stored, so nobody can receive it.
func (c *collector) forget(r *round) {
	r.settled.Store(true)
	c.rounds.Delete(r.key)
}

// seqCheck follows one receiver's sequence numbers per conversation: each
// message must be exactly one after the previous one it saw.
type seqCheck map[string]int64

func (s seqCheck) check(c *collector, where, conv string, seq int64) {
	last, ok := s[conv]
	switch {
	case !ok || seq == last+1:
	case seq <= last:
		c.reorders.Add(1)
		c.note("%s: conversation %s seq %d after %d", where, conv, seq, last)
	default:
		c.gaps.Add(1)
		c.note("%s: conversation %s seq %d after %d (gap)", where, conv, seq, last)
	}
	if seq > last {
		s[conv] = seq
	}
}
