package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// sseClient carries PocketBase realtime connections (one long GET each) and
// their subscription POSTs.
var sseClient = &http.Client{Transport: &http.Transport{
	Proxy:               nil,
	DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
	MaxIdleConnsPerHost: 64,
	DisableCompression:  true,
}}

// ssePool is a set of PocketBase realtime (SSE) subscribers of the bench
// collection, each authenticated as a member.
type ssePool struct {
	col     *collector
	subs    []*sseSub
	closing atomic.Bool
	ctx     context.Context
	cancel  context.CancelFunc
}

type sseSub struct {
	idx    int
	body   interface{ Close() error }
	exited chan struct{}
}

// sseEvent is what the tool reads of a record event.
type sseEvent struct {
	Record struct {
		N int `json:"n"`
	} `json:"record"`
}

// subscribePool connects one realtime client per token (at most conc at a
// time) and subscribes each to topic with that member's token.
func subscribePool(ctx context.Context, srv *server, col *collector, tokens []string, topic string, conc int) (*ssePool, error) {
	pctx, cancel := context.WithCancel(context.Background())
	p := &ssePool{col: col, subs: make([]*sseSub, len(tokens)), ctx: pctx, cancel: cancel}
	sem := make(chan struct{}, max(conc, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i, tok := range tokens {
		sem <- struct{}{}
		if ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			s, err := p.subscribe(ctx, srv, i, tok, topic)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			p.subs[i] = s
		}()
	}
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		p.close()
		return nil, firstErr
	}
	return p, nil
}

func (p *ssePool) subscribe(ctx context.Context, srv *server, idx int, token, topic string) (*sseSub, error) {
	req, err := http.NewRequestWithContext(p.ctx, http.MethodGet, srv.base+"/api/realtime", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := sseClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("realtime connect %d: %w", idx, err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, fmt.Errorf("realtime connect %d: HTTP %d", idx, res.StatusCode)
	}
	// From here on the pool owns the stream: closing the pool ends it.
	s := &sseSub{idx: idx, body: res.Body, exited: make(chan struct{})}
	clientID := make(chan string, 1)
	go s.read(p, bufio.NewReaderSize(res.Body, 16<<10), clientID)
	var id string
	select {
	case id = <-clientID:
	case <-s.exited:
		return s, fmt.Errorf("realtime connect %d: closed before PB_CONNECT", idx)
	case <-time.After(15 * time.Second):
		return s, fmt.Errorf("realtime connect %d: no PB_CONNECT", idx)
	case <-ctx.Done():
		return s, ctx.Err()
	}
	body, _ := json.Marshal(map[string]any{"clientId": id, "subscriptions": []string{topic}})
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	sub, err := http.NewRequestWithContext(sctx, http.MethodPost, srv.base+"/api/realtime", bytes.NewReader(body))
	if err != nil {
		return s, err
	}
	sub.Header.Set("Content-Type", "application/json")
	sub.Header.Set("Authorization", token)
	r, err := sseClient.Do(sub)
	if err != nil {
		return s, fmt.Errorf("realtime subscribe %d: %w", idx, err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusNoContent {
		return s, fmt.Errorf("realtime subscribe %d: HTTP %d", idx, r.StatusCode)
	}
	return s, nil
}

// read parses the event stream ("id:", "event:", "data:" lines), stamping
// each record event when its data line is complete.
func (s *sseSub) read(p *ssePool, br *bufio.Reader, clientID chan<- string) {
	defer close(s.exited)
	col := p.col
	where := fmt.Sprintf("sse %d", s.idx)
	event := ""
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if !p.closing.Load() {
				col.dropped.Add(1)
				col.note("%s closed: %v", where, err)
			}
			return
		}
		t := col.now()
		switch {
		case bytes.HasPrefix(line, []byte("event:")):
			event = strings.TrimSpace(string(line[len("event:"):]))
		case bytes.HasPrefix(line, []byte("data:")):
			data := bytes.TrimSpace(line[len("data:"):])
			if event == "PB_CONNECT" {
				var v struct{ ClientID string }
				_ = json.Unmarshal(data, &v)
				clientID <- v.ClientID
				continue
			}
			var ev sseEvent
			if err := json.Unmarshal(data, &ev); err != nil {
				col.errFrames.Add(1)
				col.note("%s: unreadable event %q: %v", where, event, err)
				continue
			}
			if r := col.lookup(sseKey(ev.Record.N)); r != nil {
				col.receive(r, s.idx, t, where)
			}
		}
	}
}

func sseKey(n int) string { return fmt.Sprint("sse-", n) }

// audience is every subscriber.
func (p *ssePool) audience() *audience {
	idx := make([]int, len(p.subs))
	for i := range idx {
		idx[i] = i
	}
	return newAudience(idx)
}

// close ends every stream and waits for the readers.
func (p *ssePool) close() {
	p.closing.Store(true)
	p.cancel()
	for _, s := range p.subs {
		if s != nil {
			s.body.Close()
			<-s.exited
		}
	}
}

// createEvent creates one bench record as the member (the records API), the
// round's start stamped right before the request.
func createEvent(ctx context.Context, srv *server, col *collector, token string, r *round, n int) error {
	body, _ := json.Marshal(map[string]any{"n": n})
	rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, srv.base+"/api/collections/"+benchCollection+"/records", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	r.start = col.now()
	res, err := sseClient.Do(req)
	if err != nil {
		return fmt.Errorf("create bench record %d: %w", n, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("create bench record %d: HTTP %d", n, res.StatusCode)
	}
	return nil
}
