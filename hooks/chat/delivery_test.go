package chat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
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
// received a message of a conversation they are not in, and no socket
// received a live msg frame older than one it already had.
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
	testapp.Services(t, app).Chat.Shutdown(ctx) // what plaza does on SIGTERM (OnTerminate)
	cancel()
	dataDir := app.DataDir()
	app.ResetBootstrapState()
	app2 := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir, EncryptionEnv: "pb_test_env"})
	if err := app2.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app2.ResetBootstrapState() })
	if _, err := hooks.Register(app2, public.FS); err != nil {
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
		if c.backwards > 0 {
			t.Fatalf("%s received %d live msg frames out of sequence order", c.member, c.backwards)
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
func createGroupDirect(t testing.TB, app core.App, memberIDs []string) string {
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
	backwards int // live msg frames older than one this socket already had
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
	live := map[string]int64{} // conversation → newest live seq on this socket
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
			if f.M.Seq < live[f.C] {
				c.backwards++
			}
			live[f.C] = max(live[f.C], f.M.Seq)
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

// TestLiveFramesArriveInSequenceOrder: 12 members of each of two groups
// send at once over their sockets without waiting for acks (so the writer
// stores many sends of one chat in one transaction, and several goroutines
// publish after each commit). Every socket must receive each chat's live
// msg frames in sequence order, each exactly one after the last: a frame
// that skips ahead or goes back is what the documented gap rule reads as
// loss.
func TestLiveFramesArriveInSequenceOrder(t *testing.T) {
	const (
		groups   = 2
		perGroup = 12
		sends    = 15 // per member: inside the per-member burst allowance
	)
	app := testapp.New(t)
	srv := httptest.NewServer(testapp.Handler(t, app))
	t.Cleanup(srv.Close)
	base := "ws" + strings.TrimPrefix(srv.URL, "http")

	type socket struct {
		member *core.Record
		conn   *websocket.Conn
		conv   string
		mu     sync.Mutex
		last   map[string]int64 // conversation → last live seq
		bad    int              // frames not exactly one after the last
		got    int
	}
	var sockets []*socket
	var convs []string
	for g := 0; g < groups; g++ {
		var members []*core.Record
		var ids []string
		for k := 0; k < perGroup; k++ {
			m := testapp.CreateMember(t, app, fmt.Sprintf("order_%d_%02d", g, k))
			members = append(members, m)
			ids = append(ids, m.Id)
		}
		conv := createGroupDirect(t, app, ids)
		convs = append(convs, conv)
		for _, m := range members {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			conn, _, err := websocket.Dial(ctx, base+"/ws", &websocket.DialOptions{HTTPHeader: http.Header{"Cookie": {testapp.SessionCookie(t, m)}}})
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			conn.SetReadLimit(8 << 20)
			t.Cleanup(func() { conn.CloseNow() })
			sockets = append(sockets, &socket{member: m, conn: conn, conv: conv, last: map[string]int64{}})
		}
	}
	want := perGroup * sends // live frames per socket
	var wg sync.WaitGroup
	for _, s := range sockets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			for {
				_, data, err := s.conn.Read(ctx)
				if err != nil {
					t.Errorf("%s: read: %v", s.member.GetString("plaza_id"), err)
					return
				}
				var f chat.Frame
				if json.Unmarshal(data, &f) != nil || f.T != "msg" {
					continue
				}
				s.mu.Lock()
				if f.M.Seq != s.last[f.C]+1 {
					s.bad++
				}
				s.last[f.C] = max(s.last[f.C], f.M.Seq)
				s.got++
				done := s.got == want
				s.mu.Unlock()
				if done {
					return
				}
			}
		}()
	}
	start := make(chan struct{})
	var senders sync.WaitGroup
	for _, s := range sockets {
		senders.Add(1)
		go func() {
			defer senders.Done()
			<-start
			for i := 0; i < sends; i++ {
				data, _ := json.Marshal(chat.Frame{T: "send", ID: fmt.Sprintf("%s-%d", s.member.Id, i), C: s.conv, Text: fmt.Sprint("in order ", i)})
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				err := s.conn.Write(ctx, websocket.MessageText, data)
				cancel()
				if err != nil {
					t.Errorf("send: %v", err)
					return
				}
			}
		}()
	}
	close(start)
	senders.Wait()
	wg.Wait()
	bad, got := 0, 0
	for _, s := range sockets {
		bad += s.bad
		got += s.got
	}
	for _, conv := range convs {
		var last int64
		if err := app.DB().NewQuery("SELECT last_seq FROM conversations WHERE id = {:c}").Bind(dbx.Params{"c": conv}).Row(&last); err != nil {
			t.Fatal(err)
		}
		if last != int64(want) {
			t.Fatalf("conversation %s stored %d messages, want %d", conv, last, want)
		}
	}
	t.Logf("%d sockets, %d live msg frames, %d out of sequence order", len(sockets), got, bad)
	if bad != 0 {
		t.Fatalf("%d of %d live msg frames arrived out of sequence order", bad, got)
	}
	if got != len(sockets)*want {
		t.Fatalf("received %d live msg frames, want %d", got, len(sockets)*want)
	}
}

// recordFanout remembers who each msg frame went to.
type recordFanout struct {
	mu sync.Mutex
	to map[string][]string // message text → member ids
}

func (r *recordFanout) Deliver(ids []string, frame []byte) {
	var f chat.Frame
	if json.Unmarshal(frame, &f) != nil || f.T != "msg" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.to[f.M.Text] = append([]string(nil), ids...)
}

// TestFanOutFollowsMembershipChanges: the fan-out caches member lists, and
// every way membership changes (create, invite, remove, leave, join by
// link, a row written by anything else, a deleted conversation) is seen
// by the next message: nobody removed gets it, everyone added does.
func TestFanOutFollowsMembershipChanges(t *testing.T) {
	p := newPair(t)
	rec := &recordFanout{to: map[string][]string{}}
	p.svc.SetFanout(rec)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	eve := testapp.CreateMember(t, p.app, "eve_friend")
	for _, f := range []*core.Record{p.cy, dee, eve} {
		befriend(t, p.app, p.ann, f)
	}
	conv, err := p.svc.CreateGroup(p.ann.Id, "Team", []string{p.bo.Id, p.cy.Id})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(step string, want ...*core.Record) {
		t.Helper()
		n++
		text := fmt.Sprintf("after %s (%d)", step, n)
		if _, err := p.svc.Send(p.ann.Id, conv, chat.SendInput{ClientID: text, Text: text}); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		got := append([]string(nil), rec.to[text]...)
		rec.mu.Unlock()
		var ids []string
		for _, m := range want {
			ids = append(ids, m.Id)
		}
		slices.Sort(got)
		slices.Sort(ids)
		if !slices.Equal(got, ids) {
			t.Fatalf("%s: delivered to %v, want %v", step, got, ids)
		}
	}
	check("create", p.ann, p.bo, p.cy)
	check("create, again (cached)", p.ann, p.bo, p.cy)
	if err := p.svc.Remove(p.ann.Id, conv, p.cy.Id); err != nil {
		t.Fatal(err)
	}
	check("remove", p.ann, p.bo)
	if err := p.svc.Invite(p.ann.Id, conv, []string{dee.Id}); err != nil {
		t.Fatal(err)
	}
	check("invite", p.ann, p.bo, dee)
	if err := p.svc.Leave(p.bo.Id, conv); err != nil {
		t.Fatal(err)
	}
	check("leave", p.ann, dee)
	link, _, err := p.svc.GroupLink(p.ann.Id, conv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Join(eve.Id, link); err != nil {
		t.Fatal(err)
	}
	check("join by link", p.ann, dee, eve)
	// A row written by other code (raw SQL, the admin UI) counts as well.
	if _, err := p.app.DB().NewQuery("DELETE FROM conversation_members WHERE conversation = {:c} AND member = {:m}").
		Bind(dbx.Params{"c": conv, "m": dee.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	check("raw delete", p.ann, eve)
	mc, _ := p.app.FindCollectionByNameOrId(chat.MembersCollection)
	r := core.NewRecord(mc)
	r.Set("conversation", conv)
	r.Set("member", p.bo.Id)
	r.Set("role", "member")
	if err := p.app.Save(r); err != nil {
		t.Fatal(err)
	}
	check("record save", p.ann, eve, p.bo)
	// A 1:1 chat: both, from its first message.
	rec.mu.Lock()
	rec.to = map[string][]string{}
	rec.mu.Unlock()
	if _, err := p.svc.Send(p.bo.Id, p.conv, chat.SendInput{ClientID: "dm", Text: "dm"}); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	got := rec.to["dm"]
	rec.mu.Unlock()
	if len(got) != 2 || !slices.Contains(got, p.ann.Id) || !slices.Contains(got, p.bo.Id) {
		t.Fatalf("1:1 delivered to %v", got)
	}
}
