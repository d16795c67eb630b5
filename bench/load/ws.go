package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// inFrame is what the tool reads of a server frame (docs/API.md, "WebSocket /ws").
type inFrame struct {
	T    string `json:"t"`
	ID   string `json:"id"`
	C    string `json:"c"`
	Seq  int64  `json:"seq"`
	Code string `json:"code"`
	M    *inMsg `json:"m"`
	// an oa_subscriptions frame's (f)
	Preview string `json:"preview"`
}

// inMsg is what the tool reads of a msg frame's message.
type inMsg struct {
	C    string `json:"c"`
	Seq  int64  `json:"seq"`
	CID  string `json:"cid"`
	Kind string `json:"kind"`
	Card *struct {
		Type string `json:"type"`
		Ref  string `json:"ref"`
	} `json:"card"`
}

// sendFrame is a client's text message.
type sendFrame struct {
	T    string `json:"t"`
	ID   string `json:"id"`
	C    string `json:"c"`
	Text string `json:"text"`
}

// sock is one client socket of a member, with a reader goroutine that
// stamps every frame as soon as it arrives (a socket that stops reading is
// dropped by the server as a slow consumer).
type sock struct {
	idx    int // in its pool
	member int // user index
	conn   *websocket.Conn
	pool   *wsPool
	pongs  atomic.Int64
	exited chan struct{}
}

// wsPool is a set of open sockets sharing one collector.
type wsPool struct {
	col      *collector
	socks    []*sock
	byMember map[int][]*sock
	closing  atomic.Bool
	oa       atomic.Pointer[oaWatch] // (f): set once the pool is open
	ctx      context.Context
	cancel   context.CancelFunc
}

// wsClient is the HTTP client for handshakes: no proxy, no pooling needed
// (every handshake's connection is taken over by its socket).
var wsClient = &http.Client{Transport: &http.Transport{
	Proxy:       nil,
	DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
}}

// dialPool opens one socket per entry of members (a member listed twice has
// two tabs), at most conc handshakes at a time, each authenticated by the
// member's session cookie like the web app.
func dialPool(ctx context.Context, srv *server, col *collector, tokens []string, members []int, conc int) (*wsPool, error) {
	pctx, cancel := context.WithCancel(context.Background())
	p := &wsPool{col: col, socks: make([]*sock, len(members)), byMember: map[int][]*sock{}, ctx: pctx, cancel: cancel}
	sem := make(chan struct{}, max(conc, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i, m := range members {
		sem <- struct{}{}
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			s, err := p.dial(ctx, srv, i, m, tokens[m])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			p.socks[i] = s
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	for i, s := range p.socks {
		if s == nil {
			p.close()
			if firstErr == nil {
				firstErr = fmt.Errorf("socket %d was not opened", i)
			}
			return nil, firstErr
		}
		p.byMember[s.member] = append(p.byMember[s.member], s)
	}
	return p, nil
}

func (p *wsPool) dial(ctx context.Context, srv *server, idx, member int, token string) (*sock, error) {
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	h := http.Header{}
	h.Set("Cookie", (&http.Cookie{Name: "plaza_session", Value: token}).String())
	h.Set("Origin", srv.base) // as a browser tab of the site itself would
	conn, res, err := websocket.Dial(dctx, srv.wsURL, &websocket.DialOptions{HTTPClient: wsClient, HTTPHeader: h})
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		return nil, fmt.Errorf("open socket %d (member %d, HTTP %d): %w", idx, member, status, err)
	}
	conn.SetReadLimit(1 << 20)
	s := &sock{idx: idx, member: member, conn: conn, pool: p, exited: make(chan struct{})}
	go s.read()
	return s, nil
}

// read stamps and checks every frame until the socket closes.
func (s *sock) read() {
	defer close(s.exited)
	col := s.pool.col
	seqs := seqCheck{}
	where := fmt.Sprintf("socket %d", s.idx)
	for {
		_, data, err := s.conn.Read(s.pool.ctx)
		if err != nil {
			if !s.pool.closing.Load() {
				col.dropped.Add(1)
				col.note("%s (member %d) closed: status %d: %v", where, s.member, websocket.CloseStatus(err), err)
			}
			return
		}
		t := col.now()
		var f inFrame
		if err := json.Unmarshal(data, &f); err != nil {
			col.errFrames.Add(1)
			col.note("%s: unreadable frame: %v", where, err)
			continue
		}
		switch f.T {
		case "msg":
			if f.M == nil {
				continue
			}
			seqs.check(col, where, f.M.C, f.M.Seq)
			if r := col.lookup(f.M.CID); r != nil && f.M.CID != "" {
				col.receive(r, s.idx, t, where)
			}
			if f.M.Kind == "card" {
				s.oaCard(&f, t, where)
			}
		case "oa_subscriptions":
			s.oaSubscriptions(f.Preview, t, where)
		case "ack":
			if r := col.lookup(f.ID); r != nil {
				r.ack(t, "")
			}
		case "error":
			if f.Code == "too_many" {
				col.throttled.Add(1)
			} else {
				col.errFrames.Add(1)
				col.note("%s: error frame %q for %q", where, f.Code, f.ID)
			}
			if r := col.lookup(f.ID); r != nil && f.ID != "" {
				r.ack(t, f.Code)
			}
		case "pong":
			s.pongs.Add(1)
		}
	}
}

// send writes a text message; the round's start is stamped right before.
func (s *sock) send(ctx context.Context, r *round, conv, text string) error {
	data, err := json.Marshal(sendFrame{T: "send", ID: r.key, C: conv, Text: text})
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	r.start = s.pool.col.now()
	if err := s.conn.Write(wctx, websocket.MessageText, data); err != nil {
		return fmt.Errorf("socket %d: write %s: %w", s.idx, r.key, err)
	}
	return nil
}

// ping writes an application-level ping (answered with a pong frame).
func (s *sock) ping(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return s.conn.Write(wctx, websocket.MessageText, []byte(`{"t":"ping"}`))
}

// audience is every socket of the members.
func (p *wsPool) audience(members []int) *audience {
	var idx []int
	for _, m := range members {
		for _, s := range p.byMember[m] {
			idx = append(idx, s.idx)
		}
	}
	return newAudience(idx)
}

// alive counts sockets whose reader is still running.
func (p *wsPool) alive() int {
	n := 0
	for _, s := range p.socks {
		select {
		case <-s.exited:
		default:
			n++
		}
	}
	return n
}

// close closes every socket (without counting them as dropped) and waits
// for the readers.
func (p *wsPool) close() {
	p.closing.Store(true)
	for _, s := range p.socks {
		if s != nil {
			_ = s.conn.CloseNow()
		}
	}
	p.cancel()
	for _, s := range p.socks {
		if s != nil {
			<-s.exited
		}
	}
}
