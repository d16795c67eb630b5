package chat

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Group commit: SQLite has one writer, and a commit costs a good part of
// what the statements of a send cost. So concurrent sends are handed to one
// writer goroutine, which stores every send waiting at that moment in a
// single transaction. sendTx refuses a send (with a Problem) only before
// its first write, so a refused send leaves the others alone; an internal
// error rolls the whole batch back and every sender in it gets the error
// (their clients retry with the same ids). A lone send waits for nobody:
// the writer takes what is there and goes.

// maxBatch is the most sends one transaction stores.
const maxBatch = 64

type sendRequest struct {
	sender, conv string
	in           SendInput
	done         chan sendReply
}

type sendReply struct {
	res SendResult
	err error
}

// startWriter runs the writer goroutine until Shutdown.
func (s *Service) startWriter() {
	s.batch = make(chan *sendRequest) // unbuffered: a request is taken by the writer or not at all
	s.quit = make(chan struct{})
	go func() {
		for {
			select {
			case <-s.quit:
				return
			case first := <-s.batch:
				reqs := []*sendRequest{first}
			gather:
				for len(reqs) < maxBatch {
					select {
					case r := <-s.batch:
						reqs = append(reqs, r)
					default:
						break gather
					}
				}
				s.store(reqs)
			}
		}
	}()
}

// submit stores one send through the writer (or directly once the service
// is shutting down) without delivering it: Send and the socket announce it.
func (s *Service) submit(senderID, convID string, in SendInput) (SendResult, error) {
	in, err := in.normalise()
	if err != nil {
		return SendResult{}, err
	}
	if in.attach != nil { // files are written alongside: keep them out of shared transactions
		return send(s.app, senderID, convID, in)
	}
	s.writerOnce.Do(s.startWriter)
	req := &sendRequest{sender: senderID, conv: convID, in: in, done: make(chan sendReply, 1)}
	select {
	case s.batch <- req:
		r := <-req.done
		return r.res, r.err
	case <-s.quit:
		return send(s.app, senderID, convID, in)
	}
}

// store writes a batch in one transaction and answers every request.
func (s *Service) store(reqs []*sendRequest) {
	replies := make([]sendReply, len(reqs))
	err := s.app.RunInTransaction(func(txApp core.App) error {
		if len(reqs) == 1 { // nothing to share: preparing would only add work
			r := reqs[0]
			res, err := sendTx(txApp, direct{txApp}, r.sender, r.conv, r.in)
			replies[0] = sendReply{res, err}
			return err
		}
		c := newStmtCache(txApp)
		defer c.close()
		for i, r := range reqs {
			res, err := sendTx(txApp, c, r.sender, r.conv, r.in)
			if _, refused := problem.As(err); err != nil && !refused {
				return err // an internal error: the whole batch rolls back, and every sender hears it
			}
			replies[i] = sendReply{res, err}
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
		_ = q.Close()
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
