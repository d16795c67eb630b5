package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// tinyConfig is the whole tool at a toy size: 2 groups of 5 members (two
// tabs in (a) and (c)), 2 pairs, 20 idle sockets, two official accounts
// with 20 followers (5 online, and 2 sockets of members who follow
// neither), a few rounds.
func tinyConfig(t *testing.T) Config {
	c := DefaultConfig()
	c.Timeout = 2 * time.Minute
	c.GroupSize, c.Tabs, c.Groups, c.Smalls, c.Pairs, c.Idle = 5, 2, 2, 2, 2, 20
	c.OA = oaConfig{Followers: 20, Online: 5, Strangers: 2}
	c.Rounds, c.RoundsB, c.RoundsF, c.Warmup = 4, 3, 3, 1
	c.Duration, c.Settle, c.Calm, c.Pause = time.Second, 200*time.Millisecond, 100*time.Millisecond, 5*time.Millisecond
	c.Log = testLog{t}
	return c
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestTinyRun builds the real binary and runs every scenario against it:
// every socket must receive every message of its conversations exactly
// once and in sequence order, nothing may reach a non-member, and every
// series must have all its samples.
func TestTinyRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the plaza binary")
	}
	cfg := tinyConfig(t)
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Write(&b)
	t.Log("\n" + b.String())

	if !rep.Integrity.OK() {
		t.Errorf("integrity: %+v", rep.Integrity)
	}
	want := map[string]int{ // samples per series, in report order
		"a0": cfg.Rounds, "a1": cfg.Rounds, // sockets, SSE
		"b0": cfg.RoundsB * cfg.Groups, "b1": cfg.RoundsB,
		"c0": cfg.Rounds, "c1": cfg.Rounds,
		"f0": cfg.RoundsF, "f1": cfg.RoundsF * cfg.OA.Online, "f2": cfg.RoundsF, "f3": cfg.RoundsF,
		"f4": cfg.RoundsF, "f5": cfg.RoundsF * cfg.OA.Online, "f6": cfg.RoundsF, "f7": cfg.RoundsF,
	}
	seen := map[string]int{}
	for _, r := range rep.Rows {
		key := r.Scenario + string(rune('0'+seen[r.Scenario]))
		seen[r.Scenario]++
		if n, ok := want[key]; ok && r.Samples != n {
			t.Errorf("(%s) %s: %d samples, want %d", r.Scenario, r.What, r.Samples, n)
		}
		if r.Samples > 0 && (r.P50 <= 0 || r.P99 < r.P50 || r.Max < r.P99) {
			t.Errorf("(%s) %s: implausible latencies %+v", r.Scenario, r.What, r)
		}
		switch {
		case r.Scenario == "d" && r.Unit == "msg/s" && (r.Samples == 0 || r.Value <= 0):
			t.Errorf("(d) nothing delivered: %+v", r)
		case r.Scenario == "f" && r.Samples > cfg.RoundsF*cfg.OA.Online:
			t.Errorf("(f) too many samples: %+v", r)
		case r.Scenario == "e" && (r.Conns != cfg.Idle || r.Unit != "KiB/socket"):
			t.Errorf("(e) %+v", r)
		}
	}
	for s, n := range map[string]int{"a": 2, "b": 2, "c": 2, "d": 2, "e": 1, "f": 9} {
		if seen[s] != n {
			t.Errorf("scenario (%s): %d rows, want %d", s, seen[s], n)
		}
	}
	if len(rep.Targets) != 9 {
		t.Errorf("%d targets judged, want 9", len(rep.Targets))
	}
}

// TestCollectorCatchesFaults feeds the collector what a faulty server could
// do: a lost receipt, a duplicate, a message to a non-member, a gap and a
// step back in sequence numbers.
func TestCollectorCatchesFaults(t *testing.T) {
	c := newCollector()
	r := c.newRound("m1", newAudience([]int{0, 1, 2}))
	c.receive(r, 0, 10, "test")
	c.receive(r, 1, 12, "test")
	c.receive(r, 1, 13, "test") // twice
	c.receive(r, 7, 14, "test") // not a member
	if complete, err := c.waitDone(context.Background(), r, 10*time.Millisecond); complete || err != nil {
		t.Fatalf("round with a missing receiver: complete %v, %v", complete, err)
	}
	seqs := seqCheck{}
	for _, s := range []int64{4, 5, 7, 6} { // a gap, then back
		seqs.check(c, "test", "conv", s)
	}
	i := c.integrity()
	if i.Lost != 1 || i.Duplicated != 1 || i.Unexpected != 1 || i.Gaps != 1 || i.OutOfOrder != 1 || i.OK() {
		t.Fatalf("integrity %+v", i)
	}

	ok := c.newRound("m2", newAudience([]int{0, 1}))
	ok.start = 5
	c.receive(ok, 1, 20, "test")
	c.receive(ok, 0, 15, "test")
	if complete, _ := c.waitDone(context.Background(), ok, time.Second); !complete || ok.toLast() != 15 {
		t.Fatalf("complete round: %v, to last %d", complete, ok.toLast())
	}
}

func TestPercentile(t *testing.T) {
	var s []time.Duration
	for i := 100; i >= 1; i-- {
		s = append(s, time.Duration(i))
	}
	sum := summarize(s)
	if sum.N != 100 || sum.P50 != 50 || sum.P99 != 99 || sum.Max != 100 {
		t.Fatalf("%+v", sum)
	}
	if one := summarize([]time.Duration{7}); one.P50 != 7 || one.P99 != 7 {
		t.Fatalf("%+v", one)
	}
}

func TestConfigBounds(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Idle = MaxSockets + 1
	if c.Validate() == nil {
		t.Error("more than MaxSockets idle sockets accepted")
	}
	c = DefaultConfig()
	c.CapSockets(3000)
	if c.Idle != 3000 || c.Groups*c.GroupSize > 3000 || c.GroupSize*c.Tabs > 3000 || c.Validate() != nil {
		t.Errorf("capped config %+v", c)
	}
	c = DefaultConfig()
	c.Only = "a,x"
	if c.Validate() == nil {
		t.Error("-only x accepted")
	}
}
