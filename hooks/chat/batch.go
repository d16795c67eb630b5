package chat

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Group commit: SQLite has one writer, and a commit costs a good part of
// what the statements of a send cost. So concurrent sends are stored
// together: every send waiting at a moment goes into a single transaction.
// sendTx refuses a send (with a Problem) only before its first write, so a
// refused send leaves the others alone; an internal error rolls the whole
// batch back and every sender in it gets the error (their clients retry
// with the same ids). A lone send waits for nobody.

// maxBatch is the most sends one transaction stores.
const maxBatch = 64

type sendRequest struct {
	sender, conv string
	in           SendInput
	done         chan sendReply // capacity 1: the result, or the lead
}

type sendReply struct {
	res  SendResult
	err  error
	lead bool // not a result: store the waiting sends now
}

// submit stores one send without delivering it (Send and the socket
// announce it). The first sender to arrive leads: it stores every send
// waiting at that moment in one transaction, on its own goroutine (a lone
// send is never handed to another goroutine, so it never waits behind a
// busy scheduler), then passes the lead to the oldest send still waiting.
func (s *Service) submit(senderID, convID string, in SendInput) (SendResult, error) {
	in, err := in.normalise()
	if err != nil {
		return SendResult{}, err
	}
	if in.attach != nil { // files are written alongside: keep them out of shared transactions
		return s.send(senderID, convID, in)
	}
	req := &sendRequest{sender: senderID, conv: convID, in: in, done: make(chan sendReply, 1)}
	s.batchMu.Lock()
	s.pending = append(s.pending, req)
	lead := !s.leading
	s.leading = true
	s.batchMu.Unlock()
	for {
		if lead {
			s.leadBatch()
		}
		r := <-req.done
		if !r.lead {
			return r.res, r.err
		}
		lead = true
	}
}

// leadBatch stores the waiting sends (up to maxBatch), then hands the lead
// to the oldest send still waiting, or gives it up.
func (s *Service) leadBatch() {
	s.batchMu.Lock()
	n := min(len(s.pending), maxBatch)
	batch := s.pending[:n:n]
	s.pending = s.pending[n:]
	s.batchMu.Unlock()
	defer s.passLead() // even if storing panics, the others must not wait forever
	s.store(batch)
}

func (s *Service) passLead() {
	s.batchMu.Lock()
	defer s.batchMu.Unlock()
	if len(s.pending) == 0 {
		s.leading = false
		return
	}
	s.pending[0].done <- sendReply{lead: true}
}

// store writes a batch in one transaction and answers every request.
func (s *Service) store(reqs []*sendRequest) {
	replies := make([]sendReply, len(reqs))
	answered := false
	defer func() {
		if !answered { // a panic: nobody may wait forever
			for _, r := range reqs {
				r.done <- sendReply{err: fmt.Errorf("store messages: interrupted")}
			}
		}
	}()
	err := s.app.RunInTransaction(func(txApp core.App) error {
		if len(reqs) == 1 { // nothing to share: preparing would only add work
			r := reqs[0]
			res, err := s.sendTx(txApp, direct{txApp}, r.sender, r.conv, r.in)
			replies[0] = sendReply{res: res, err: err}
			return err
		}
		c := newStmtCache(txApp)
		defer c.close()
		for i, r := range reqs {
			res, err := s.sendTx(txApp, c, r.sender, r.conv, r.in)
			if _, refused := problem.As(err); err != nil && !refused {
				return err // an internal error: the whole batch rolls back, and every sender hears it
			}
			replies[i] = sendReply{res: res, err: err}
		}
		return nil
	})
	if err != nil {
		for i := range replies {
			if replies[i].err == nil {
				replies[i] = sendReply{err: err} // the transaction failed: nothing was stored
			}
		}
	}
	answered = true
	for i, r := range reqs {
		r.done <- replies[i]
	}
}

// querier runs a statement with parameters.
type querier interface {
	q(sql string, params dbx.Params) *dbx.Query
}

// direct runs each statement as it comes.
type direct struct{ app core.App }

func (d direct) q(sql string, params dbx.Params) *dbx.Query {
	return d.app.DB().NewQuery(sql).Bind(params)
}

// stmtCache prepares each statement once per transaction and reuses it for
// every send of the batch: parsing SQL is about a third of a send's cost
// on this pure-Go SQLite.
type stmtCache struct {
	tx core.App
	qs map[string]*dbx.Query
}

func newStmtCache(tx core.App) *stmtCache {
	return &stmtCache{tx: tx, qs: map[string]*dbx.Query{}}
}

func (c *stmtCache) q(sql string, params dbx.Params) *dbx.Query {
	q, ok := c.qs[sql]
	if !ok {
		q = c.tx.DB().NewQuery(sql).Prepare()
		c.qs[sql] = q
	}
	return q.Bind(params)
}

// close finalises the statements (before the transaction ends).
func (c *stmtCache) close() {
	for _, q := range c.qs {
		_ = q.Close() // deliberate: the transaction ends next either way, and frees them
	}
}

// reachable is contacts.Reachable through the statement cache.
func reachable(c querier, owner, sender string) (bool, error) {
	var ok bool
	if err := c.q(contacts.ReachableSQL, dbx.Params{"o": owner, "s": sender}).Row(&ok); err != nil {
		return false, fmt.Errorf("check friendship: %w", err)
	}
	return ok, nil
}
