// Command load measures Plaza's chat socket server on loopback: it builds
// the plaza binary (or takes -bin), seeds a fresh temp data dir (members,
// groups, friendships, 1:1 chats, auth tokens), starts the server with
// `serve --dev=false` for each phase, opens authenticated sockets and
// reports:
//
//	(a) fan-out p50/p99, send → last receipt, to a 500-member group with
//	    every member online in two tabs (1,000 sockets), next to PocketBase's
//	    realtime (SSE) delivering one record to 1,000 authenticated subscribers;
//	(b) 10 groups of 500 (5,000 sockets), one message each at once: p99 to
//	    the last receipt of each group;
//	(c) the sender's ack latency in a 2-member and a 500-member group;
//	(d) sustained 1:1 messages per second with 200 pairs;
//	(e) the server's resident memory per idle socket at 10,000 sockets;
//	(f) an Official Account's broadcast to 10,000 followers (a subscription
//	    and a service account): the request's answer, and the time until
//	    each of 2,000 online followers' sockets has it;
//
// with the targets judged next to the figures, and integrity
// counters (lost, duplicated, gaps, out of order, delivered to non-members,
// dropped sockets) that must all be zero.
//
// Usage, from the repository root:
//
//	go run ./bench/load                 # the full run (a few minutes)
//	go run ./bench/load -quick          # smaller sizes, seconds
//	go run ./bench/load -only a,c -rounds 100 -json out.json
//
// It never opens more than 12,000 sockets (-sockets lowers the cap) and
// stops by itself at -timeout. The bench data dir turns PocketBase's rate
// limiter off (every client is 127.0.0.1). Client and server share the
// machine's cores, so the figures include the clients' own work.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	quick := flag.Bool("quick", false, "smaller sizes and fewer rounds (a sanity check, seconds)")
	sockets := flag.Int("sockets", 0, fmt.Sprintf("cap on the sockets any scenario opens (default: the scenario sizes, at most %d)", MaxSockets))
	rounds := flag.Int("rounds", 0, "timed rounds of (a), (c), (b) and (f) (default 50, (b) 30, (f) 10 per account kind, at most 97: the daily broadcast quota)")
	duration := flag.Duration("duration", 0, "how long (d) sends (default 10s)")
	pairs := flag.Int("pairs", 0, "1:1 pairs of (d) (default 200; the server's per-member send limit caps each pair near 20 msg/s)")
	timeout := flag.Duration("timeout", 0, "stop the whole run after this long (default 5m)")
	only := flag.String("only", "", "run only these scenarios, e.g. a,c")
	bin := flag.String("bin", "", "plaza binary to run (default: go build from the repository)")
	repo := flag.String("repo", "", "repository root (default: found above the working directory)")
	keep := flag.Bool("keep", false, "keep the temp data dir and server logs")
	jsonOut := flag.String("json", "", "also write the report as JSON to this file")
	flag.Parse()

	cfg := DefaultConfig()
	if *quick {
		cfg = QuickConfig()
	}
	if *sockets > MaxSockets {
		fmt.Fprintf(os.Stderr, "load: -sockets %d is above the bound of %d\n", *sockets, MaxSockets)
		os.Exit(2)
	}
	if *rounds > 0 {
		cfg.Rounds, cfg.RoundsB, cfg.RoundsF = *rounds, *rounds, *rounds
	}
	if *pairs > 0 {
		cfg.Pairs = *pairs
	}
	if *duration > 0 {
		cfg.Duration = *duration
	}
	if *timeout > 0 {
		cfg.Timeout = *timeout
	}
	if *sockets > 0 {
		cfg.CapSockets(*sockets)
	}
	cfg.Only, cfg.Bin, cfg.Repo, cfg.Keep, cfg.Log = *only, *bin, *repo, *keep, os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := Run(ctx, cfg)
	if rep != nil {
		rep.Write(os.Stdout)
		if *jsonOut != "" {
			if b, jerr := json.MarshalIndent(rep, "", "  "); jerr == nil {
				jerr = os.WriteFile(*jsonOut, b, 0o644)
				if jerr != nil {
					fmt.Fprintf(os.Stderr, "load: write %s: %v\n", *jsonOut, jerr)
				}
			}
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "load: %v\n", err)
		os.Exit(1)
	}
	if rep != nil && !rep.Integrity.OK() {
		fmt.Fprintln(os.Stderr, "load: integrity check failed (see above)")
		os.Exit(1)
	}
}
