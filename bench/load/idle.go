package main

import (
	"context"
	"fmt"
	"time"
)

// idle is (e): the server's resident memory (VmRSS) with no sockets, then
// with Idle idle sockets open (one per member, cycling through the members
// if there are fewer), read twice Settle apart. Afterwards every socket is
// pinged to prove it is still served.
func (r *runner) idle(ctx context.Context) error {
	d, cfg := r.data, r.cfg
	members := make([]int, cfg.Idle)
	for i := range members {
		members[i] = i % d.Users
	}
	srv, err := r.startServer(ctx, "idle", len(members))
	if err != nil {
		return err
	}
	defer srv.stop()

	res := &idleResult{sockets: len(members)}
	if err := pause(ctx, cfg.Settle); err != nil {
		return err
	}
	if res.before, err = srv.rssKB(); err != nil {
		return fmt.Errorf("(e) %w", err)
	}
	t0 := time.Now()
	pool, err := dialPool(ctx, srv, r.col, d.tokens, members, cfg.DialConcurrency)
	if err != nil {
		return fmt.Errorf("(e) open sockets: %w", err)
	}
	defer pool.close()
	cfg.logf("(e) %d sockets open in %s", len(members), time.Since(t0).Round(time.Millisecond))
	cpu := startCPU(srv.pid())
	if err := pause(ctx, cfg.Settle); err != nil {
		return err
	}
	if res.after1, err = srv.rssKB(); err != nil {
		return fmt.Errorf("(e) %w", err)
	}
	if err := pause(ctx, cfg.Settle); err != nil {
		return err
	}
	if res.after2, err = srv.rssKB(); err != nil {
		return fmt.Errorf("(e) %w", err)
	}
	r.measured(cpu, "(e) idle sockets")
	r.res.idle = res
	cfg.logf("(e) VmRSS %d → %d → %d KiB: %.1f KiB per socket", res.before, res.after1, res.after2, res.perSocketKB())

	for _, s := range pool.socks {
		if err := s.ping(ctx); err != nil {
			return fmt.Errorf("(e) ping socket %d: %w", s.idx, err)
		}
	}
	deadline := time.Now().Add(cfg.RoundTimeout)
	for {
		missing := 0
		for _, s := range pool.socks {
			if s.pongs.Load() == 0 {
				missing++
			}
		}
		if missing == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			r.col.lost.Add(int64(missing))
			r.col.note("(e) %d of %d idle sockets did not answer a ping", missing, len(pool.socks))
			return nil
		}
		if err := pause(ctx, 50*time.Millisecond); err != nil {
			return err
		}
	}
}

// perSocketKB is the growth of resident memory per socket (at the second
// reading), in KiB.
func (i *idleResult) perSocketKB() float64 {
	if i.sockets == 0 {
		return 0
	}
	return float64(i.after2-i.before) / float64(i.sockets)
}
