package wallet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/plazabin"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// TestMain removes the plaza binary the crash test builds (once per run).
func TestMain(m *testing.M) { plazabin.Main(m) }

// crashRounds is how many times the crash test kills the server.
const crashRounds = 6

// TestCrashKill9: the real binary serves a stream of transfers, accepts,
// red packets and claims from concurrent clients and is killed with
// SIGKILL at a random moment, six times. After each kill `plaza wallet
// verify` passes on the data dir; the server restarts and the clients
// retry every unanswered request with its idempotency key. In the end
// every acknowledged operation is in the database exactly once.
func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	dir := t.TempDir()
	bin := plazabin.Path(t)
	data := filepath.Join(dir, "pb_data")
	seedCrash(t, data)
	tokens, ids := crashTokens(t, data)

	rng := rand.New(rand.NewPCG(7, 11))
	var (
		mu        sync.Mutex
		pending   []crashOp            // sent, no answer: retried after the restart
		transfers = map[string]int64{} // acknowledged transfer id → amount
		accepted  = map[string]bool{}
		packets   []string
		claims    = map[string]int64{}  // packet/member → amount acknowledged
		keys      = map[string]string{} // idempotency key → transfer or packet id
		retried   int
	)
	record := func(op crashOp, status int, out map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		if status == 0 {
			pending = append(pending, op)
			return
		}
		switch op.kind {
		case "transfer":
			if status != http.StatusOK {
				t.Errorf("transfer refused: %d %v", status, out)
				return
			}
			id := out["id"].(string)
			if prev, ok := keys[op.key]; ok && prev != id {
				t.Errorf("key %s answered %s, then %s", op.key, prev, id)
			}
			keys[op.key] = id
			transfers[id] = int64(out["amount"].(float64))
		case "accept":
			if status == http.StatusOK {
				accepted[op.ref] = true
			}
		case "packet":
			if status != http.StatusOK {
				t.Errorf("packet refused: %d %v", status, out)
				return
			}
			id := out["id"].(string)
			if prev, ok := keys[op.key]; ok && prev != id {
				t.Errorf("key %s answered %s, then %s", op.key, prev, id)
			}
			if _, seen := keys[op.key]; !seen {
				packets = append(packets, id)
			}
			keys[op.key] = id
		case "claim":
			if status == http.StatusOK {
				amt := int64(out["amount"].(float64))
				k := op.ref + "/" + op.who
				if prev, ok := claims[k]; ok && prev != amt {
					t.Errorf("claim %s answered %d, then %d", k, prev, amt)
				}
				claims[k] = amt
			}
		}
	}
	nextOp := func(r *rand.Rand, n int) crashOp {
		mu.Lock()
		defer mu.Unlock()
		switch x := r.IntN(10); {
		case x < 4:
			return crashOp{kind: "transfer", who: "ann", key: fmt.Sprintf("crash-t-%d-%d", n, r.Int64()), path: "/api/plaza/wallet/transfers",
				body: map[string]any{"conversation": ids["direct"], "amount": 1 + r.IntN(99), "pin": "246810"}}
		case x < 6 && len(transfers) > 0:
			var open []string
			for id := range transfers {
				if !accepted[id] {
					open = append(open, id)
				}
			}
			if len(open) > 0 {
				id := open[r.IntN(len(open))]
				return crashOp{kind: "accept", who: "bo", ref: id, path: "/api/plaza/wallet/transfers/" + id + "/accept"}
			}
			fallthrough
		case x < 8:
			return crashOp{kind: "packet", who: "ann", key: fmt.Sprintf("crash-p-%d-%d", n, r.Int64()), path: "/api/plaza/wallet/packets",
				body: map[string]any{"conversation": ids["group"], "kind": "lucky", "amount": 3 + r.IntN(300), "count": 3, "pin": "246810"}}
		default:
			if len(packets) == 0 {
				return crashOp{kind: "transfer", who: "ann", key: fmt.Sprintf("crash-t-%d-%d", n, r.Int64()), path: "/api/plaza/wallet/transfers",
					body: map[string]any{"conversation": ids["direct"], "amount": 1 + r.IntN(99), "pin": "246810"}}
			}
			p := packets[r.IntN(len(packets))]
			who := []string{"bo", "cy"}[r.IntN(2)]
			return crashOp{kind: "claim", who: who, ref: p, path: "/api/plaza/wallet/packets/" + p + "/claim"}
		}
	}

	for round := range crashRounds {
		srv := startCrashServer(t, bin, data)
		// Retry what the last crash left unanswered, with the same keys.
		mu.Lock()
		retry := pending
		pending = nil
		retried += len(retry)
		mu.Unlock()
		for _, op := range retry {
			status, out := op.send(srv.base, tokens)
			if status == 0 {
				t.Fatalf("round %d: retry of %s failed on a healthy server", round, op.kind)
			}
			record(op, status, out)
		}
		// Clients run until the server dies under them.
		var wg sync.WaitGroup
		for c := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(round), uint64(c)))
				for n := 0; ; n++ {
					op := nextOp(r, round*100000+c*10000+n)
					status, out := op.send(srv.base, tokens)
					record(op, status, out)
					if status == 0 {
						return
					}
				}
			}()
		}
		time.Sleep(time.Duration(150+rng.IntN(600)) * time.Millisecond)
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-srv.exited
		wg.Wait()
		verify := exec.Command(bin, "wallet", "verify", "--dir", data, "--dev=false")
		if out, err := verify.CombinedOutput(); err != nil {
			t.Fatalf("round %d: plaza wallet verify after kill -9: %v\n%s", round, err, out)
		}
	}
	// A last start settles the requests the final kill left unanswered.
	srv := startCrashServer(t, bin, data)
	retried += len(pending)
	for _, op := range pending {
		status, out := op.send(srv.base, tokens)
		if status == 0 {
			t.Fatalf("final retry of %s failed", op.kind)
		}
		record(op, status, out)
	}
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	<-srv.exited

	// Every acknowledged operation is there exactly once.
	app := openCrashApp(t, data)
	var nTransfers, nPackets int
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM wallet_transfers").Row(&nTransfers)
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM red_packets").Row(&nPackets)
	if nTransfers != len(transfers) || nPackets != len(packets) {
		t.Fatalf("database has %d transfers and %d packets; clients were answered for %d and %d", nTransfers, nPackets, len(transfers), len(packets))
	}
	for id, amount := range transfers {
		var got int64
		var state string
		if err := app.DB().NewQuery("SELECT amount, state FROM wallet_transfers WHERE id = {:id}").Bind(dbx.Params{"id": id}).Row(&got, &state); err != nil || got != amount {
			t.Fatalf("acknowledged transfer %s: %d %v", id, got, err)
		}
		if accepted[id] != (state == wallet.TransferAccepted) {
			t.Fatalf("transfer %s: accepted acknowledged %v, state %s", id, accepted[id], state)
		}
	}
	for k, amount := range claims {
		packet, who := k[:15], k[16:]
		var got int64
		if err := app.DB().NewQuery("SELECT amount FROM red_packet_claims WHERE packet = {:p} AND member = {:m}").
			Bind(dbx.Params{"p": packet, "m": ids[who]}).Row(&got); err != nil || got != amount {
			t.Fatalf("acknowledged claim %s: %d %v", k, got, err)
		}
	}
	r, err := wallet.Verify(app)
	if err != nil || !r.OK() {
		t.Fatalf("verify: %v\n%s", err, r)
	}
	// The command reports a violation and exits non-zero.
	if _, err := app.DB().NewQuery("UPDATE wallet_accounts SET balance = balance + 1 WHERE id = {:t}").Bind(dbx.Params{"t": wallet.TreasuryID}).Execute(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "wallet", "verify", "--dir", data, "--dev=false").CombinedOutput()
	if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() != 1 || !bytes.Contains(out, []byte("every balance equals the sum of its postings")) {
		t.Fatalf("verify on a corrupted ledger: %v\n%s", err, out)
	}
	t.Logf("%d kills; %d requests cut off and retried; %d transfers (%d accepted), %d red packets, %d claims acknowledged; %d entries in the journal",
		crashRounds, retried, len(transfers), len(accepted), len(packets), len(claims), r.Entries)
	if retried == 0 {
		t.Fatal("no kill caught a request in flight: the test proved nothing")
	}
}

// crashOp is one client request; a request without an answer is retried
// with the same key and body.
type crashOp struct {
	kind, who, key, ref, path string
	body                      map[string]any
}

var crashClient = &http.Client{Timeout: 10 * time.Second}

func (op crashOp) send(base string, tokens map[string]string) (int, map[string]any) {
	data, _ := json.Marshal(op.body)
	req, _ := http.NewRequest(http.MethodPost, base+op.path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", tokens[op.who])
	if op.key != "" {
		req.Header.Set("Idempotency-Key", op.key)
	}
	res, err := crashClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	out := map[string]any{}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return 0, nil // cut off mid-answer: not acknowledged
	}
	return res.StatusCode, out
}

type crashServer struct {
	cmd    *exec.Cmd
	base   string
	exited chan struct{}
}

func startCrashServer(t *testing.T, bin, data string) *crashServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logf, _ := os.OpenFile(filepath.Join(filepath.Dir(data), "server.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	cmd := exec.Command(bin, "serve", "--dev=false", "--dir", data, "--http", addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &crashServer{cmd: cmd, base: "http://" + addr, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); logf.Close(); close(s.exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-s.exited })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if res, err := http.Get(s.base + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not start")
	return nil
}

func openCrashApp(t *testing.T, data string) core.App {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: data})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.ResetBootstrapState() })
	return app
}

// seedCrash makes the data dir: Ann, Bo and Cy (friends), a 1:1 chat and a
// group, ¥100,000.00 for Ann, her PIN, and no rate limiter (every client is
// 127.0.0.1).
func seedCrash(t *testing.T, data string) {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: data})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer app.ResetBootstrapState()
	if err := app.RunAllMigrations(); err != nil {
		t.Fatal(err)
	}
	services := testapp.Register(t, app)
	app.Settings().RateLimits.Enabled = false
	if err := app.Save(app.Settings()); err != nil {
		t.Fatal(err)
	}
	ann, bo, cy := testapp.CreateMember(t, app, "ann_lee"), testapp.CreateMember(t, app, "bo_wang"), testapp.CreateMember(t, app, "cy_chen")
	befriend(t, app, ann, bo)
	befriend(t, app, ann, cy)
	if _, err := chat.OpenDirect(app, ann.Id, bo.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := services.Chat.CreateGroup(ann.Id, "Crash", []string{bo.Id, cy.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(app, "ann_lee", 10_000_000, "crash test"); err != nil {
		t.Fatal(err)
	}
	if err := services.Wallet.SetPIN(ann.Id, "246810"); err != nil {
		t.Fatal(err)
	}
}

// crashTokens signs the three members in (tokens stay valid across
// restarts) and finds the chats.
func crashTokens(t *testing.T, data string) (map[string]string, map[string]string) {
	t.Helper()
	app := openCrashApp(t, data)
	tokens, ids := map[string]string{}, map[string]string{}
	for short, pid := range map[string]string{"ann": "ann_lee", "bo": "bo_wang", "cy": "cy_chen"} {
		rec, err := app.FindFirstRecordByData("users", "plaza_id", pid)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := rec.NewAuthToken()
		if err != nil {
			t.Fatal(err)
		}
		tokens[short], ids[short] = tok, rec.Id
	}
	var direct, group string
	_ = app.DB().NewQuery("SELECT id FROM conversations WHERE kind = 'direct'").Row(&direct)
	_ = app.DB().NewQuery("SELECT id FROM conversations WHERE kind = 'group'").Row(&group)
	ids["direct"], ids["group"] = direct, group
	return tokens, ids
}
