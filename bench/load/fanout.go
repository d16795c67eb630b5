package main

import (
	"context"
	"fmt"
	"time"
)

// fanout is the phase of (a) and (c): group 0's members online in Tabs
// tabs each.
//
// (a) A member sends to group 0; the time from writing the send frame to
// the last of the group's sockets receiving the msg frame is one sample.
// Then the same number of PocketBase realtime subscribers (SSE, the same
// members' tokens) each get one record created through the records API:
// from the create request to the last subscriber's event.
//
// (c) With the same sockets open, a member alternately sends to a 2-member
// group (itself and the next member) and to group 0, waiting each time for
// the ack and every receipt: the sender's ack latency in both.
//
// Senders rotate over the members, because the server limits how fast one
// member may send.
//
// One piece: a load scenario reads as one script (set up, warm up,
// measure, report), as docs/PERFORMANCE.md describes it.
func (r *runner) fanout(ctx context.Context) error {
	d, cfg := r.data, r.cfg
	group := d.groupMembers(0)
	var members []int
	for range cfg.Tabs {
		members = append(members, group...)
	}
	srv, err := r.startServer(ctx, "fanout", len(members))
	if err != nil {
		return err
	}
	defer srv.stop()

	t0 := time.Now()
	pool, err := dialPool(ctx, srv, r.col, d.tokens, members, cfg.DialConcurrency)
	if err != nil {
		return fmt.Errorf("(a) open sockets: %w", err)
	}
	defer pool.close()
	cfg.logf("(a) %d sockets open in %s", len(members), time.Since(t0).Round(time.Millisecond))
	big := pool.audience(group)
	if err := pause(ctx, cfg.Calm); err != nil { // presence and handshake work settles
		return err
	}

	if cfg.runs("a") {
		cpu := startCPU(srv.pid())
		var samples []time.Duration
		for i := range cfg.Warmup + cfg.Rounds {
			sender := pool.byMember[group[i%len(group)]][0]
			rd, complete, err := r.sendAndWait(ctx, sender, fmt.Sprintf("a-%d", i), d.groups[0], big)
			if err != nil {
				return fmt.Errorf("(a) round %d: %w", i, err)
			}
			if complete && i >= cfg.Warmup {
				samples = append(samples, rd.toLast())
			}
			if err := pause(ctx, cfg.Pause); err != nil {
				return err
			}
		}
		r.measured(cpu, "(a) sockets")
		r.res.fanWS = &measure{summarize(samples), len(members)}
		cfg.logf("(a) sockets: p50 %.1f ms, p99 %.1f ms", ms(r.res.fanWS.P50), ms(r.res.fanWS.P99))
	}

	if cfg.runs("c") {
		smalls := make([]*audience, len(d.smalls))
		for k := range smalls {
			smalls[k] = pool.audience([]int{2 * k, 2*k + 1})
		}
		var ack2, ack500 []time.Duration
		cpu := startCPU(srv.pid())
		for i := range cfg.Warmup + cfg.Rounds {
			k := i % len(d.smalls)
			sender := pool.byMember[2*k][0]
			for _, c := range []struct {
				key, conv string
				aud       *audience
				out       *[]time.Duration
			}{
				{fmt.Sprintf("c2-%d", i), d.smalls[k], smalls[k], &ack2},
				{fmt.Sprintf("c500-%d", i), d.groups[0], big, &ack500},
			} {
				rd, _, err := r.sendAndWait(ctx, sender, c.key, c.conv, c.aud)
				if err != nil {
					return fmt.Errorf("(c) round %d: %w", i, err)
				}
				if i >= cfg.Warmup {
					*c.out = append(*c.out, rd.ackLatency())
				}
				if err := pause(ctx, cfg.Pause); err != nil {
					return err
				}
			}
		}
		r.measured(cpu, "(c)")
		r.res.ack2 = &measure{summarize(ack2), len(members)}
		r.res.ack500 = &measure{summarize(ack500), len(members)}
		cfg.logf("(c) ack p50: 2-member %.2f ms, %d-member %.2f ms", ms(r.res.ack2.P50), len(group), ms(r.res.ack500.P50))
	}
	pool.close()

	if cfg.runs("a") {
		if err := pause(ctx, 2*cfg.Calm); err != nil { // the server handles the disconnects
			return err
		}
		if err := r.fanoutSSE(ctx, srv, members); err != nil {
			return err
		}
	}
	return nil
}

// fanoutSSE is (a)'s yardstick: PocketBase's realtime delivering one
// record to as many authenticated subscribers as (a) had sockets.
func (r *runner) fanoutSSE(ctx context.Context, srv *server, members []int) error {
	d, cfg := r.data, r.cfg
	tokens := make([]string, len(members))
	for i, m := range members {
		tokens[i] = d.tokens[m]
	}
	t0 := time.Now()
	subs, err := subscribePool(ctx, srv, r.col, tokens, benchCollection+"/*", cfg.DialConcurrency)
	if err != nil {
		return fmt.Errorf("(a) SSE subscribers: %w", err)
	}
	defer subs.close()
	cfg.logf("(a) %d SSE subscribers in %s", len(tokens), time.Since(t0).Round(time.Millisecond))
	aud := subs.audience()
	if err := pause(ctx, cfg.Calm); err != nil {
		return err
	}
	cpu := startCPU(srv.pid())
	var samples []time.Duration
	for i := range cfg.Warmup + cfg.Rounds {
		rd := r.col.newRound(sseKey(i), aud)
		if err := createEvent(ctx, srv, r.col, d.tokens[members[i%len(members)]], rd, i); err != nil {
			r.abandon(ctx, rd)
			return fmt.Errorf("(a) SSE round %d: %w", i, err)
		}
		complete, err := r.col.waitDone(ctx, rd, cfg.RoundTimeout)
		if err != nil {
			return err
		}
		if complete && i >= cfg.Warmup {
			samples = append(samples, rd.toLast())
		}
		if err := pause(ctx, cfg.Pause); err != nil {
			return err
		}
	}
	r.measured(cpu, "(a) SSE")
	r.res.fanSSE = &measure{summarize(samples), len(tokens)}
	cfg.logf("(a) SSE: p50 %.1f ms, p99 %.1f ms", ms(r.res.fanSSE.P50), ms(r.res.fanSSE.P99))
	return nil
}
