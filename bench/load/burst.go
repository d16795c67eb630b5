package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// burst is (b): Groups groups of GroupSize members, one socket each; in
// every round one member of each group sends at the same moment. A sample
// is one group's time from its send to its last receipt; the round's
// figure is the slowest group.
func (r *runner) burst(ctx context.Context) error {
	d, cfg := r.data, r.cfg
	members := span(0, d.Groups*d.GroupSize)
	srv, err := r.startServer(ctx, "burst", len(members))
	if err != nil {
		return err
	}
	defer srv.stop()

	t0 := time.Now()
	pool, err := dialPool(ctx, srv, r.col, d.tokens, members, cfg.DialConcurrency)
	if err != nil {
		return fmt.Errorf("(b) open sockets: %w", err)
	}
	defer pool.close()
	cfg.logf("(b) %d sockets open in %s", len(members), time.Since(t0).Round(time.Millisecond))
	auds := make([]*audience, d.Groups)
	for g := range auds {
		auds[g] = pool.audience(d.groupMembers(g))
	}
	if err := pause(ctx, cfg.Calm); err != nil {
		return err
	}

	cpu := startCPU(srv.pid())
	var perGroup, perRound []time.Duration
	for i := range cfg.Warmup + cfg.RoundsB {
		gate := make(chan struct{})
		lat := make([]time.Duration, d.Groups)
		errs := make([]error, d.Groups)
		var wg sync.WaitGroup
		for g := range d.Groups {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sender := pool.byMember[g*d.GroupSize+i%d.GroupSize][0]
				<-gate
				rd, complete, err := r.sendAndWait(ctx, sender, fmt.Sprintf("b-%d-%d", i, g), d.groups[g], auds[g])
				switch {
				case err != nil:
					errs[g] = err
				case complete:
					lat[g] = rd.toLast()
				}
			}()
		}
		close(gate)
		wg.Wait()
		for g, err := range errs {
			if err != nil {
				return fmt.Errorf("(b) round %d, group %d: %w", i, g, err)
			}
		}
		if i >= cfg.Warmup {
			slowest := time.Duration(0)
			for _, l := range lat {
				if l > 0 {
					perGroup = append(perGroup, l)
					slowest = max(slowest, l)
				}
			}
			perRound = append(perRound, slowest)
		}
		if err := pause(ctx, 5*cfg.Pause); err != nil {
			return err
		}
	}
	r.measured(cpu, "(b)")
	r.res.burst = &measure{summarize(perGroup), len(members)}
	r.res.burstRound = &measure{summarize(perRound), len(members)}
	cfg.logf("(b) per group: p50 %.1f ms, p99 %.1f ms", ms(r.res.burst.P50), ms(r.res.burst.P99))
	return nil
}
