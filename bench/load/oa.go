package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// oaConfig sizes (f): Official Account broadcasts.
type oaConfig struct {
	Followers int // members 0…Followers-1 follow both accounts
	Online    int // followers with a socket open: members 1…Online
	Strangers int // sockets of members who follow neither (Followers…): must get nothing
}

func (o oaConfig) validate() error {
	if o.Followers < 2 || o.Online < 1 || o.Online >= o.Followers || o.Strangers < 0 || o.Online+o.Strangers > MaxSockets {
		return fmt.Errorf("(f): %d followers, %d online, %d strangers: want 1 ≤ online < followers and at most %d sockets",
			o.Followers, o.Online, o.Strangers, MaxSockets)
	}
	return nil
}

// oaRounds is how many timed rounds (f) runs per account kind: RoundsF,
// capped so warm-up and timed rounds stay within the subscription
// account's daily quota (the service account's monthly one is larger).
func (c Config) oaRounds() int {
	return max(min(c.RoundsF, oaSubscriptionQuota-c.Warmup, oaServiceQuota-c.Warmup), 1)
}

// oaResult is (f): per account kind, subscription first.
type oaResult struct {
	followers, online, sockets, rounds int
	kinds                              [2]oaKindResult
}

// oaKindResult is one account kind's series.
type oaKindResult struct {
	kind      string
	answer    Summary // request start → answer read
	arrival   Summary // request start → each online follower's socket has it
	slowest   Summary // … the slowest socket of each round
	delivered Summary // request start → the server marked the broadcast delivered
	send      Summary // service: a follower's chat send while the others are still reached, send → ack
}

// oaBroadcast is (f): Online followers of both seeded accounts have a
// socket open (one each, members 1…Online; member 0 owns the accounts),
// with Strangers sockets of members following neither. Each round member
// 0 broadcasts one draft through POST /api/plaza/oa/articles/{id}/broadcast;
// the time to the answer is one sample, and the time from the request's
// start until each follower's socket has the broadcast (a subscription
// account's "oa_subscriptions" frame, a service account's card message in
// the follower's chat with it) one sample per socket. The round ends when
// every socket has it and the server marked the broadcast delivered (read
// from the data dir), so rounds do not overlap. Subscription rounds first,
// then service rounds.
//
// One piece: a load scenario reads as one script (set up, warm up,
// measure, report), as docs/PERFORMANCE.md describes it.
func (r *runner) oaBroadcast(ctx context.Context) error {
	d, cfg := r.data, r.cfg
	if d.oa == nil {
		return errors.New("(f): no official accounts seeded")
	}
	online := span(1, cfg.OA.Online)
	members := append(append([]int(nil), online...), span(cfg.OA.Followers, cfg.OA.Strangers)...)
	srv, err := r.startServer(ctx, "oa", len(members))
	if err != nil {
		return err
	}
	defer srv.stop()
	db, err := core.DefaultDBConnect(filepath.Join(r.tmp, "pb_data", "data.db"))
	if err != nil {
		return fmt.Errorf("(f) open the data dir to watch deliveries: %w", err)
	}
	defer db.Close()

	t0 := time.Now()
	pool, err := dialPool(ctx, srv, r.col, d.tokens, members, cfg.DialConcurrency)
	if err != nil {
		return fmt.Errorf("(f) open sockets: %w", err)
	}
	defer pool.close()
	pool.oa.Store(&oaWatch{serviceChats: d.oa.accounts[1].chatOf})
	cfg.logf("(f) %d sockets open (%d followers, %d strangers) in %s", len(members), len(online), cfg.OA.Strangers, time.Since(t0).Round(time.Millisecond))
	aud := pool.audience(online)
	if err := pause(ctx, cfg.Calm); err != nil {
		return err
	}

	rounds := cfg.oaRounds()
	if rounds < cfg.RoundsF {
		cfg.logf("(f) %d timed rounds, not %d: the subscription account's quota is %d a day, warm-up included", rounds, cfg.RoundsF, oaSubscriptionQuota)
	}
	res := &oaResult{followers: cfg.OA.Followers, online: len(online), sockets: len(members), rounds: rounds}
	for k, a := range d.oa.accounts {
		var answers, arrivals, slowest, delivered, sends []time.Duration
		cpu := startCPU(srv.pid())
		for i := range cfg.Warmup + rounds {
			rd := r.col.newRound(a.roundKey(i), aud)
			answer, id, err := broadcastArticle(ctx, srv, r.col, d.tokens[0], a.articles[i], rd)
			if err != nil {
				r.abandon(ctx, rd)
				return fmt.Errorf("(f) %s round %d: %w", a.kind, i, err)
			}
			complete, err := r.col.waitDone(ctx, rd, cfg.RoundTimeout)
			if err != nil {
				return err
			}
			if a.kind == "service" {
				ack, during, err := r.oaSendDuring(ctx, db, pool, a, online[i%len(online)], id, i)
				if err != nil {
					return fmt.Errorf("(f) %s round %d: %w", a.kind, i, err)
				}
				if during && i >= cfg.Warmup {
					sends = append(sends, ack)
				}
			}
			done, err := waitBroadcastDelivered(ctx, db, r.col, id, 4*cfg.RoundTimeout)
			if err != nil {
				return fmt.Errorf("(f) %s round %d: %w", a.kind, i, err)
			}
			if i >= cfg.Warmup {
				answers, delivered = append(answers, answer), append(delivered, time.Duration(done-rd.start))
				arrivals = append(arrivals, rd.arrivals()...)
				if complete {
					slowest = append(slowest, rd.toLast())
				}
			}
			if err := pause(ctx, cfg.Pause); err != nil {
				return err
			}
		}
		r.measured(cpu, "(f) "+a.kind)
		res.kinds[k] = oaKindResult{kind: a.kind, answer: summarize(answers), arrival: summarize(arrivals),
			slowest: summarize(slowest), delivered: summarize(delivered), send: summarize(sends)}
		cfg.logf("(f) %s: answer p99 %.1f ms, arrival p99 %.1f ms, delivered p50 %.1f ms", a.kind,
			ms(res.kinds[k].answer.P99), ms(res.kinds[k].arrival.P99), ms(res.kinds[k].delivered.P50))
	}
	r.res.oa = res
	return pause(ctx, cfg.Calm) // anything late (a duplicate, a stranger's frame) is still counted
}

// roundKey is the collector's key of round i's broadcast: what its frames
// carry (a subscription frame's preview, a card's article id).
func (a *oaAccount) roundKey(i int) string {
	if a.kind == "subscription" {
		return oaSubscriptionKey(a.name + ": " + a.titles[i])
	}
	return oaCardKey(a.articles[i])
}

func oaSubscriptionKey(preview string) string { return "oa-sub:" + preview }
func oaCardKey(articleID string) string       { return "oa-card:" + articleID }

// broadcastArticle broadcasts an article now as its operator; the round's
// start is stamped right before the request. It returns the time to the
// answer and the broadcast's id.
func broadcastArticle(ctx context.Context, srv *server, col *collector, token, articleID string, r *round) (time.Duration, string, error) {
	rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, srv.base+"/api/plaza/oa/articles/"+articleID+"/broadcast", bytes.NewReader([]byte("{}")))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	r.start = col.now()
	res, err := sseClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("broadcast %s: %w", articleID, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	answered := time.Duration(col.now() - r.start)
	if err != nil {
		return 0, "", fmt.Errorf("broadcast %s: read the answer: %w", articleID, err)
	}
	if res.StatusCode != http.StatusCreated {
		return 0, "", fmt.Errorf("broadcast %s: HTTP %d: %s", articleID, res.StatusCode, bytes.TrimSpace(body))
	}
	var b struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &b); err != nil || b.ID == "" || b.Status != "sent" {
		return 0, "", fmt.Errorf("broadcast %s: unexpected answer %s", articleID, body)
	}
	return answered, b.ID, nil
}

// oaSendDuring sends a chat message from member to the service account
// (in their chat with it) while the broadcast is still being delivered to
// the followers offline, and waits for the ack and its own msg frame: how
// long a member's send waits behind the delivery's writes. during is false
// when the delivery was over before the send.
func (r *runner) oaSendDuring(ctx context.Context, db *dbx.DB, pool *wsPool, a *oaAccount, member int, broadcast string, i int) (ack time.Duration, during bool, err error) {
	var delivered bool
	if err := db.NewQuery(`SELECT delivered FROM oa_broadcasts WHERE id = {:id}`).Bind(dbx.Params{"id": broadcast}).Row(&delivered); err != nil {
		return 0, false, fmt.Errorf("read broadcast %s: %w", broadcast, err)
	}
	rd, _, err := r.sendAndWait(ctx, pool.byMember[member][0], fmt.Sprintf("f-send-%d", i), a.chatOf[member], pool.audience([]int{member}))
	if err != nil {
		return 0, false, err
	}
	return rd.ackLatency(), !delivered, nil
}

// waitBroadcastDelivered polls the data dir until the server marked the
// broadcast delivered, and returns when it saw it (collector time).
func waitBroadcastDelivered(ctx context.Context, db *dbx.DB, col *collector, id string, limit time.Duration) (int64, error) {
	deadline := time.Now().Add(limit)
	for {
		var delivered bool
		err := db.NewQuery(`SELECT delivered FROM oa_broadcasts WHERE id = {:id}`).Bind(dbx.Params{"id": id}).Row(&delivered)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("read broadcast %s: %w", id, err)
		}
		if delivered {
			return col.now(), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("broadcast %s not delivered within %s", id, limit)
		}
		if err := pause(ctx, 5*time.Millisecond); err != nil {
			return 0, err
		}
	}
}
