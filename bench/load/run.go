package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// runner holds one run's state: the seeded data, the binary, the
// collector shared by every pool, and the results so far.
type runner struct {
	cfg  Config
	col  *collector
	data *dataset
	bin  string
	tmp  string // temp dir: data, logs, binary
	res  results
}

// results are the measured figures, by scenario.
type results struct {
	fanWS, fanSSE     *measure // (a)
	burst, burstRound *measure // (b): per group, and per round (all groups)
	ack2, ack500      *measure // (c)
	pairs             *pairsResult
	idle              *idleResult
	oa                *oaResult  // (f)
	cpu               []CPUShare // per timed part
}

// measure is one latency series.
type measure struct {
	Summary
	conns int
}

// pairsResult is (d).
type pairsResult struct {
	delivered int
	elapsed   time.Duration
	ack, trip Summary
}

// idleResult is (e).
type idleResult struct {
	sockets                int
	before, after1, after2 int64 // VmRSS, KiB
}

// Run seeds a temp data dir, runs the selected scenarios, each against a
// freshly started server, and reports. It stops by itself at cfg.Timeout.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if lim, need := ownOpenFilesLimit(), int64(cfg.maxSockets())+200; lim >= 0 && lim < need {
		return nil, fmt.Errorf("this process may open %d files, the run needs about %d (raise ulimit -n, or lower -sockets)", lim, need)
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	started := time.Now()

	tmp, err := os.MkdirTemp("", "plaza-bench-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	if cfg.Keep {
		cfg.logf("keeping %s (data, server logs)", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	r := &runner{cfg: cfg, col: newCollector(), tmp: tmp, bin: cfg.Bin}

	if r.bin == "" {
		repo := cfg.Repo
		if repo == "" {
			if repo, err = findRepo("."); err != nil {
				return nil, err
			}
		}
		r.bin = filepath.Join(tmp, "plaza")
		cfg.logf("building %s", repo)
		if err := buildBinary(ctx, repo, r.bin); err != nil {
			return nil, err
		}
	}

	l := cfg.layout()
	cfg.logf("seeding %d members, %d groups of %d, %d 2-member groups, %d 1:1 pairs", l.Users, l.Groups, l.GroupSize, l.Smalls, l.Pairs)
	t0 := time.Now()
	if r.data, err = seed(filepath.Join(tmp, "pb_data"), l); err != nil {
		return nil, err
	}
	cfg.logf("seeded in %s", time.Since(t0).Round(time.Millisecond))

	phases := []struct {
		name string
		on   bool
		run  func(context.Context) error
	}{
		{"fanout (a, c)", cfg.runs("a") || cfg.runs("c"), r.fanout},
		{"burst (b)", cfg.runs("b"), r.burst},
		{"pairs (d)", cfg.runs("d"), r.pairs},
		{"idle (e)", cfg.runs("e"), r.idle},
		{"official account broadcast (f)", cfg.runs("f"), r.oaBroadcast},
	}
	for _, p := range phases {
		if !p.on {
			continue
		}
		if err := p.run(ctx); err != nil {
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				err = fmt.Errorf("stopped at the %s timeout: %w", cfg.Timeout, err)
			}
			return r.report(started), fmt.Errorf("phase %s: %w", p.name, err)
		}
	}
	return r.report(started), nil
}

// startServer starts a fresh server on the bench data dir for one phase and
// checks it may open enough files.
func (r *runner) startServer(ctx context.Context, phase string, sockets int) (*server, error) {
	srv, err := startServer(ctx, r.bin, filepath.Join(r.tmp, "pb_data"), filepath.Join(r.tmp, "server-"+phase+".log"))
	if err != nil {
		return nil, fmt.Errorf("phase %s: %w", phase, err)
	}
	if lim := srv.openFilesLimit(); lim >= 0 && lim < int64(sockets)+200 {
		srv.stop()
		return nil, fmt.Errorf("phase %s: the server may open %d files, %d sockets need more (raise ulimit -n)", phase, lim, sockets)
	}
	r.cfg.logf("phase %s: server %s (pid %d)", phase, srv.base, srv.cmd.Process.Pid)
	return srv, nil
}

// sendAndWait sends one message from s to conv and waits for the ack and
// every receipt. A send refused by the server's per-member rate limit is
// retried under a new key after a pause.
func (r *runner) sendAndWait(ctx context.Context, s *sock, key, conv string, aud *audience) (*round, bool, error) {
	for attempt := 0; ; attempt++ {
		k := key
		if attempt > 0 {
			k = fmt.Sprintf("%s-retry%d", key, attempt)
		}
		rd := r.col.newRound(k, aud)
		if err := s.send(ctx, rd, conv, "bench message "+k); err != nil {
			return nil, false, err
		}
		if err := waitAck(ctx, rd, r.cfg.RoundTimeout); err != nil {
			if errors.Is(err, errThrottled) && attempt < 10 {
				r.col.forget(rd)
				if err := pause(ctx, 500*time.Millisecond); err != nil {
					return nil, false, err
				}
				continue
			}
			r.abandon(ctx, rd)
			return nil, false, err
		}
		complete, err := r.col.waitDone(ctx, rd, r.cfg.RoundTimeout)
		return rd, complete, err
	}
}

// measured records how busy server and tool were during a timed part.
func (r *runner) measured(m cpuMeter, part string) {
	r.res.cpu = append(r.res.cpu, m.stop(part))
}

// abandon gives up on a round after an error: what it missed counts as
// lost, unless the run itself was stopped.
func (r *runner) abandon(ctx context.Context, rd *round) {
	if ctx.Err() != nil {
		r.col.forget(rd)
		return
	}
	r.col.settle(rd)
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func hostInfo() string {
	return fmt.Sprintf("%s/%s, %d CPUs, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
}
