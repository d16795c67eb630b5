package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// pairs is (d): Pairs 1:1 chats, one socket per member, every pair
// chatting as fast as it can for Duration. The two members take turns: one
// sends, and once the message has reached both sockets (the peer's and the
// sender's own), the other answers. So every conversation has one message
// in flight, their order is fixed, and the server's throughput is what
// limits the rate. A send refused by the per-member rate limit is retried
// after a pause (and counted).
//
// One piece: a load scenario reads as one script (set up, warm up,
// measure, report), as docs/PERFORMANCE.md describes it.
func (r *runner) pairs(ctx context.Context) error {
	d, cfg := r.data, r.cfg
	var members []int
	for p := range d.Pairs {
		pm := d.pairMembers(p)
		members = append(members, pm[0], pm[1])
	}
	srv, err := r.startServer(ctx, "pairs", len(members))
	if err != nil {
		return err
	}
	defer srv.stop()

	t0 := time.Now()
	pool, err := dialPool(ctx, srv, r.col, d.tokens, members, cfg.DialConcurrency)
	if err != nil {
		return fmt.Errorf("(d) open sockets: %w", err)
	}
	defer pool.close()
	cfg.logf("(d) %d sockets open in %s", len(members), time.Since(t0).Round(time.Millisecond))
	if err := pause(ctx, cfg.Calm); err != nil {
		return err
	}

	cpu := startCPU(srv.pid())
	var mu sync.Mutex
	var acks, trips []time.Duration
	var firstErr error
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	lastDelivery := start
	var wg sync.WaitGroup
	for p := range d.Pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pm := d.pairMembers(p)
			aud := pool.audience(pm[:])
			turn := 0
			for k := 0; time.Now().Before(deadline); k++ {
				sender := pool.byMember[pm[turn]][0]
				rd := r.col.newRound(fmt.Sprintf("d-%d-%d", p, k), aud)
				err := sender.send(ctx, rd, d.directs[p], fmt.Sprintf("bench 1:1 %d", k))
				if err == nil {
					err = waitAck(ctx, rd, cfg.RoundTimeout)
				}
				if errors.Is(err, errThrottled) {
					r.col.forget(rd) // the same member tries again
					if pause(ctx, 200*time.Millisecond) != nil {
						return
					}
					continue
				}
				turn = 1 - turn
				var complete bool
				if err == nil {
					complete, err = r.col.waitDone(ctx, rd, cfg.RoundTimeout)
				} else {
					r.abandon(ctx, rd)
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("(d) pair %d, message %d: %w", p, k, err)
					}
					mu.Unlock()
					return
				}
				acks = append(acks, rd.ackLatency())
				if complete {
					trips = append(trips, rd.toLast())
					if at := r.col.epoch.Add(time.Duration(rd.last.Load())); at.After(lastDelivery) {
						lastDelivery = at
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.measured(cpu, "(d)")
	if firstErr != nil {
		return firstErr
	}
	res := &pairsResult{delivered: len(trips), elapsed: lastDelivery.Sub(start), ack: summarize(acks), trip: summarize(trips)}
	r.res.pairs = res
	cfg.logf("(d) %d messages delivered in %s: %.0f/s", res.delivered, res.elapsed.Round(time.Millisecond), res.rate())
	return nil
}

// rate is delivered messages per second.
func (p *pairsResult) rate() float64 {
	if p.elapsed <= 0 {
		return 0
	}
	return float64(p.delivered) / p.elapsed.Seconds()
}
