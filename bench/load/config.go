package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// MaxSockets bounds every run: no scenario opens more sockets than this.
const MaxSockets = 12_000

// Config is one run of the tool.
type Config struct {
	Bin     string        // plaza binary; empty: build it from Repo
	Repo    string        // the repository root (found from the working directory if empty)
	Keep    bool          // keep the temp data dir and server logs
	Only    string        // comma-separated scenarios (a…f); empty: all
	Timeout time.Duration // the whole run, build included

	GroupSize int      // members of a group: (a), (b), (c)
	Tabs      int      // sockets per member in (a) and (c)
	Groups    int      // groups of (b), all sending at once
	Smalls    int      // 2-member groups of (c), used in turn (the server limits each member's send rate)
	Pairs     int      // 1:1 pairs of (d)
	Idle      int      // idle sockets of (e)
	OA        oaConfig // (f): Official Account broadcasts (oa.go)

	Rounds   int           // timed rounds of (a) (sockets and SSE alike) and (c)
	RoundsB  int           // timed rounds of (b)
	RoundsF  int           // timed rounds of (f), per account kind (capped by the quota, oa.go)
	Warmup   int           // untimed rounds before each timed series
	Duration time.Duration // how long (d) sends
	Settle   time.Duration // (e): wait before each memory reading
	Calm     time.Duration // after opening a pool, before timing (twice that after closing one)
	Pause    time.Duration // between rounds

	DialConcurrency int // handshakes in flight
	RoundTimeout    time.Duration

	Log io.Writer // progress lines (nil: none)
}

// DefaultConfig is the acceptance sizes.
func DefaultConfig() Config {
	return Config{
		Timeout:   5 * time.Minute,
		GroupSize: 500, Tabs: 2, Groups: 10, Smalls: 25, Pairs: 200, Idle: 10_000,
		OA:     oaConfig{Followers: 10_000, Online: 2_000, Strangers: 10},
		Rounds: 50, RoundsB: 30, RoundsF: 10, Warmup: 3,
		Duration: 10 * time.Second, Settle: 3 * time.Second, Calm: time.Second, Pause: 20 * time.Millisecond,
		DialConcurrency: 32, RoundTimeout: 15 * time.Second,
	}
}

// QuickConfig is a smaller run (seconds, not minutes): a sanity check, not
// the figures to judge by.
func QuickConfig() Config {
	c := DefaultConfig()
	c.Timeout = 3 * time.Minute
	c.GroupSize, c.Groups, c.Smalls, c.Pairs, c.Idle = 100, 10, 10, 50, 2_000
	c.OA = oaConfig{Followers: 2_000, Online: 500, Strangers: 5}
	c.Rounds, c.RoundsB, c.RoundsF, c.Warmup = 15, 10, 5, 2
	c.Duration, c.Settle = 3*time.Second, 2*time.Second
	return c
}

// CapSockets shrinks the scenarios so none opens more than n sockets.
func (c *Config) CapSockets(n int) {
	c.Idle = min(c.Idle, n)
	if c.GroupSize*c.Tabs > n {
		c.GroupSize = max(n/c.Tabs, 2)
	}
	c.Groups = max(min(c.Groups, n/c.GroupSize), 1)
	c.Pairs = max(min(c.Pairs, n/2), 1)
	c.Smalls = min(c.Smalls, c.GroupSize/2)
	c.OA.Online = max(min(c.OA.Online, n-c.OA.Strangers), 1)
}

// Validate checks the bounds.
func (c Config) Validate() error {
	switch {
	case c.GroupSize < 2 || c.GroupSize > 500:
		return fmt.Errorf("group size %d: want 2…500 (Plaza's group limit)", c.GroupSize)
	case c.Tabs < 1 || c.Tabs > 4:
		return fmt.Errorf("tabs %d: want 1…4", c.Tabs)
	case c.Groups < 1, c.Pairs < 1, c.Idle < 1, c.Smalls < 1 || 2*c.Smalls > c.GroupSize:
		return fmt.Errorf("groups, pairs, idle sockets and 2-member groups must be ≥ 1 (and 2-member groups ≤ group size / 2)")
	case c.GroupSize*c.Tabs > MaxSockets || c.Groups*c.GroupSize > MaxSockets || 2*c.Pairs > MaxSockets || c.Idle > MaxSockets:
		return fmt.Errorf("a scenario would open more than %d sockets", MaxSockets)
	case c.runs("f") && c.OA.validate() != nil:
		return c.OA.validate()
	case c.Rounds < 1 || c.RoundsB < 1 || c.RoundsF < 1 || c.Duration <= 0:
		return fmt.Errorf("rounds and duration must be positive")
	case c.Timeout <= 0 || c.Timeout > time.Hour:
		return fmt.Errorf("timeout %s: want (0, 1h]", c.Timeout)
	}
	for _, s := range strings.Split(c.Only, ",") {
		s = strings.TrimSpace(s)
		if s != "" && (len(s) != 1 || !strings.Contains("abcdef", s)) {
			return fmt.Errorf("-only %q: want a comma-separated subset of a,b,c,d,e,f", c.Only)
		}
	}
	return nil
}

// runs reports whether scenario s is selected.
func (c Config) runs(s string) bool {
	if strings.TrimSpace(c.Only) == "" {
		return true
	}
	for _, o := range strings.Split(c.Only, ",") {
		if strings.TrimSpace(o) == s {
			return true
		}
	}
	return false
}

// maxSockets is the most sockets (or SSE streams) one selected phase opens.
func (c Config) maxSockets() int {
	n := 0
	if c.runs("a") || c.runs("c") {
		n = c.GroupSize * c.Tabs
	}
	if c.runs("b") {
		n = max(n, c.Groups*c.GroupSize)
	}
	if c.runs("d") {
		n = max(n, 2*c.Pairs)
	}
	if c.runs("e") {
		n = max(n, c.Idle)
	}
	if c.runs("f") {
		n = max(n, c.OA.Online+c.OA.Strangers)
	}
	return n
}

// layout sizes the seeded data for the scenarios.
func (c Config) layout() layout {
	groups := 1
	if c.runs("b") {
		groups = c.Groups
	}
	l := layout{GroupSize: c.GroupSize, Groups: groups, Smalls: c.Smalls, Pairs: c.Pairs}
	l.PairBase = groups * c.GroupSize
	l.Users = l.PairBase + 2*c.Pairs
	if c.runs("e") {
		l.Users = max(l.Users, c.Idle)
	}
	if c.runs("f") {
		l.OA = oaLayout{Followers: c.OA.Followers, Articles: c.Warmup + c.oaRounds()}
		l.Users = max(l.Users, c.OA.Followers+c.OA.Strangers)
	}
	return l
}

func (c Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", args...)
	}
}
