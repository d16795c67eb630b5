package chat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks"
	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/public"
)

// TestDeliveryUnderChaos: 50 members in 10 groups of 10 (each in two
// groups) send through real sockets with random delays, duplicated sends
// and random disconnects, and the server restarts half-way. At the end
// every send is stored exactly once, every conversation is gap-free, every
// client holds exactly the stored messages in the same order, and nobody
// received a message of a conversation they are not in.
func TestDeliveryUnderChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("delivery chaos test: skipped with -short")
	}
	const (
		members  = 50
		groups   = 10
		perGroup = 10
		sends    = 8 // per client
	)
	sentSoFar.Store(0)
	app := testapp.New(t)
	var ids []*core.Record
	for i := 0; i < members; i++ {
		ids = append(ids, testapp.CreateMember(t, app, fmt.Sprintf("member_%02d", i)))
	}
	// Group g holds members 5g … 5g+9 (mod 50): everyone is in two groups.
	convOf := map[string][]string{} // member id → their conversations
	var convs []string
	for g := 0; g < groups; g++ {
		var memberIDs []string
		for k := 0; k < perGroup; k++ {
			memberIDs = append(memberIDs, ids[(5*g+k)%members].Id)
		}
		id := createGroupDirect(t, app, memberIDs)
		convs = append(convs, id)
		for _, m := range memberIDs {
			convOf[m] = append(convOf[m], id)
		}
	}

	var base atomic.Value
	srv := httptest.NewServer(testapp.Handler(t, app))
	base.Store("ws" + strings.TrimPrefix(srv.URL, "http"))

	clients := make([]*chaosClient, members)
	var wg sync.WaitGroup
	for i, m := range ids {
		clients[i] = &chaosClient{t: t, member: m.Id, cookie: testapp.SessionCookie(t, m), convs: convOf[m.Id],
			base: &base, rnd: rand.New(rand.NewPCG(uint64(i), 7)), got: map[string]map[int64]string{},
			pending: map[string]chat.Frame{}}
		wg.Add(1)
		go func(c *chaosClient) { defer wg.Done(); c.run(sends) }(clients[i])
	}

	// Restart the server half-way: every socket drops, a new app opens the
	// same data directory, clients reconnect to it and resend their
	// unacknowledged messages with the same client ids.
	for sentSoFar.Load() < members*sends/2 {
		time.Sleep(5 * time.Millisecond)
	}
	srv.CloseClientConnections()
	srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	chat.ServiceOf(app).Shutdown(ctx) // what plaza does on SIGTERM (OnTerminate)
	cancel()
	dataDir := app.DataDir()
	app.ResetBootstrapState()
	app2 := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir, EncryptionEnv: "pb_test_env"})
	if err := app2.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app2.ResetBootstrapState() })
	if err := hooks.Register(app2, public.FS); err != nil {
		t.Fatal(err)
	}
	app2.Settings().RateLimits.Enabled = false
	srv2 := httptest.NewServer(testapp.Handler(t, app2))
	t.Cleanup(srv2.Close)
	base.Store("ws" + strings.TrimPrefix(srv2.URL, "http"))

	wg.Wait()

	// Every client catches up with what the others sent last.
	for _, c := range clients {
		c.catchUp(app2)
	}

	// The stored truth.
	total := 0
	for _, conv := range convs {
		var rows []struct {
			ID     string `db:"id"`
			Seq    int64  `db:"seq"`
			Sender string `db:"sender"`
			CID    string `db:"client_id"`
		}
		if err := app2.DB().NewQuery("SELECT id, seq, sender, client_id FROM messages WHERE conversation = {:c} AND kind = 'text' ORDER BY seq").
			Bind(dbx.Params{"c": conv}).All(&rows); err != nil {
			t.Fatal(err)
		}
		var all []struct {
			ID  string `db:"id"`
			Seq int64  `db:"seq"`
		}
		_ = app2.DB().NewQuery("SELECT id, seq FROM messages WHERE conversation = {:c} ORDER BY seq").Bind(dbx.Params{"c": conv}).All(&all)
		for i, r := range all {
			if r.Seq != int64(i+1) {
				t.Fatalf("conversation %s has a gap at %d (seq %d)", conv, i+1, r.Seq)
			}
		}
		seen := map[string]bool{}
		for _, r := range rows {
			key := r.Sender + "/" + r.CID
			if seen[key] {
				t.Fatalf("client message %s stored twice", key)
			}
			seen[key] = true
		}
		total += len(rows)
		// Every member of the conversation ends with exactly these, in order.
		for _, c := range clients {
			if !contains(c.convs, conv) {
				continue
			}
			got := c.got[conv]
			if len(got) != len(all) {
				t.Fatalf("%s holds %d of %d messages in %s", c.member, len(got), len(all), conv)
			}
			for _, r := range all {
				if got[r.Seq] != r.ID {
					t.Fatalf("%s has %q at seq %d of %s, the store has %q", c.member, got[r.Seq], r.Seq, conv, r.ID)
				}
			}
		}
	}
	want := 0
	for _, c := range clients {
		want += c.sent
		if c.leaks > 0 {
			t.Fatalf("%s received %d messages of conversations it is not in", c.member, c.leaks)
		}
		if c.conflicts > 0 {
			t.Fatalf("%s saw %d different messages under one sequence number", c.member, c.conflicts)
		}
	}
	if total != want {
		t.Fatalf("stored %d messages, clients sent %d (lost or duplicated)", total, want)
	}
	var reconnects int
	for _, c := range clients {
		reconnects += c.connects - 1
	}
	t.Logf("%d clients, %d conversations, %d messages, %d reconnects, one server restart", members, groups, total, reconnects)
}

// sentSoFar counts sends issued by all chaos clients.
var sentSoFar atomic.Int64

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// createGroupDirect makes a group without friendships (test setup only).
func createGroupDirect(t *testing.T, app core.App, memberIDs []string) string {
	t.Helper()
	cc, _ := app.FindCollectionByNameOrId(chat.ConversationsCollection)
	c := core.NewRecord(cc)
	c.Set("kind", chat.KindGroup)
	c.Set("name", "chaos")
	c.Set("owner", memberIDs[0])
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	mc, _ := app.FindCollectionByNameOrId(chat.MembersCollection)
	for i, id := range memberIDs {
		m := core.NewRecord(mc)
		m.Set("conversation", c.Id)
		m.Set("member", id)
		m.Set("role", map[bool]string{true: "owner", false: "member"}[i == 0])
		if err := app.Save(m); err != nil {
			t.Fatal(err)
		}
	}
	return c.Id
}

// chaosClient speaks the socket protocol like chat.js: an outbox of
// unacknowledged sends resent on every reconnect, and sync from the last
// contiguous sequence of each conversation.
type chaosClient struct {
	t      *testing.T
	member string
	cookie string
	convs  []string
	base   *atomic.Value
	rnd    *rand.Rand

	mu        sync.Mutex
	got       map[string]map[int64]string // conversation → seq → message id
	pending   map[string]chat.Frame       // client id → unacknowledged send
	sent      int
	leaks     int
	conflicts int
	connects  int
}

func (c *chaosClient) contiguous(conv string) int64 {
	var n int64
	for c.got[conv][n+1] != "" {
		n++
	}
	return n
}

func (c *chaosClient) record(m chat.Message) {
	if !contains(c.convs, m.Conversation) {
		c.leaks++
		return
	}
	if c.got[m.Conversation] == nil {
		c.got[m.Conversation] = map[int64]string{}
	}
	if prev := c.got[m.Conversation][m.Seq]; prev != "" && prev != m.ID {
		c.conflicts++
	}
	c.got[m.Conversation][m.Seq] = m.ID
}

// connect dials until it gets a socket, then syncs and resends.
func (c *chaosClient) connect() (*websocket.Conn, context.CancelFunc) {
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		conn, _, err := websocket.Dial(ctx, c.base.Load().(string)+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Cookie": {c.cookie}}})
		cancel()
		if err == nil {
			conn.SetReadLimit(8 << 20)
			c.mu.Lock()
			c.connects++
			c.mu.Unlock()
			rctx, rcancel := context.WithCancel(context.Background())
			go c.read(rctx, conn)
			c.mu.Lock()
			var frames []chat.Frame
			for _, conv := range c.convs {
				after := c.contiguous(conv)
				frames = append(frames, chat.Frame{T: "sync", C: conv, After: &after})
			}
			for _, f := range c.pending {
				frames = append(frames, f)
			}
			c.mu.Unlock()
			for _, f := range frames {
				c.write(conn, f)
			}
			return conn, rcancel
		}
		if attempt > 200 {
			c.t.Errorf("%s could not reconnect: %v", c.member, err)
			return nil, func() {}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *chaosClient) write(conn *websocket.Conn, f chat.Frame) {
	data, _ := json.Marshal(f)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = conn.Write(ctx, websocket.MessageText, data) // a failed write is retried after reconnecting
}

func (c *chaosClient) read(ctx context.Context, conn *websocket.Conn) {
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var f chat.Frame
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		c.mu.Lock()
		switch f.T {
		case "msg":
			c.record(*f.M)
			if f.M.Seq > c.contiguous(f.C)+1 { // a gap: sync
				after := c.contiguous(f.C)
				c.mu.Unlock()
				c.write(conn, chat.Frame{T: "sync", C: f.C, After: &after})
				continue
			}
		case "msgs":
			for _, m := range f.Items {
				c.record(m)
			}
			if f.More {
				after := c.contiguous(f.C)
				c.mu.Unlock()
				c.write(conn, chat.Frame{T: "sync", C: f.C, After: &after})
				continue
			}
		case "ack":
			delete(c.pending, f.ID)
		}
		c.mu.Unlock()
	}
}

func (c *chaosClient) run(sends int) {
	conn, stop := c.connect()
	for i := 0; i < sends; i++ {
		conv := c.convs[c.rnd.IntN(len(c.convs))]
		f := chat.Frame{T: "send", ID: fmt.Sprintf("%s-%d", c.member, i), C: conv, Text: fmt.Sprintf("message %d from %s", i, c.member)}
		c.mu.Lock()
		c.pending[f.ID] = f
		c.sent++
		c.mu.Unlock()
		sentSoFar.Add(1)
		if conn != nil {
			c.write(conn, f)
			if c.rnd.IntN(4) == 0 {
				c.write(conn, f) // a duplicated send
			}
		}
		time.Sleep(time.Duration(c.rnd.IntN(60)) * time.Millisecond)
		if c.rnd.IntN(5) == 0 || conn == nil { // a random disconnect
			stop()
			if conn != nil {
				conn.CloseNow()
			}
			conn, stop = c.connect()
		}
	}
	// Wait for every send to be acknowledged and every conversation caught
	// up, reconnecting whenever the socket is gone.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		done := len(c.pending) == 0
		c.mu.Unlock()
		if done {
			break
		}
		time.Sleep(50 * time.Millisecond)
		if c.rnd.IntN(10) == 0 { // nudge: reconnect resends what is pending
			stop()
			conn.CloseNow()
			conn, stop = c.connect()
		}
	}
	stop()
	if conn != nil {
		conn.CloseNow()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 {
		c.t.Errorf("%s: %d sends never acknowledged", c.member, len(c.pending))
	}
}

// catchUp connects once more and syncs until every conversation holds all
// that is stored.
func (c *chaosClient) catchUp(app core.App) {
	conn, stop := c.connect()
	defer func() {
		stop()
		if conn != nil {
			conn.CloseNow()
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		behind := false
		for _, conv := range c.convs {
			var last int64
			_ = app.DB().NewQuery("SELECT last_seq FROM conversations WHERE id = {:c}").Bind(dbx.Params{"c": conv}).Row(&last)
			c.mu.Lock()
			n := c.contiguous(conv)
			c.mu.Unlock()
			if n < last {
				behind = true
				c.write(conn, chat.Frame{T: "sync", C: conv, After: &n})
			}
		}
		if !behind {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Errorf("%s did not catch up", c.member)
}
