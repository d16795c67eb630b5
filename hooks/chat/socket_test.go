package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
}

func serve(t testing.TB, p *pair) string {
	srv := httptest.NewServer(testapp.Handler(t, p.app))
	t.Cleanup(srv.Close)
	return srv.URL
}

func dial(t testing.TB, base string, member *core.Record, header http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	if header == nil {
		header = http.Header{}
	}
	if member != nil {
		header.Set("Cookie", testapp.SessionCookie(t, member))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws", &websocket.DialOptions{HTTPHeader: header})
	if err != nil {
		return nil, res, err
	}
	t.Cleanup(func() { c.CloseNow() })
	c.SetReadLimit(8 << 20) // sync batches can be large
	return &wsClient{t: t, conn: c}, res, nil
}

// dialTinyBuffer opens a socket whose kernel receive buffer is as small as
// the kernel allows, so that a client that never reads fills the server's
// queue after a few hundred frames instead of thousands.
func dialTinyBuffer(t testing.TB, base string, member *core.Record) (*websocket.Conn, error) {
	t.Helper()
	d := &net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		}); err != nil {
			return err
		}
		return serr
	}}
	client := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws", &websocket.DialOptions{
		HTTPClient: client,
		HTTPHeader: http.Header{"Cookie": {testapp.SessionCookie(t, member)}},
	})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.CloseNow() })
	return c, nil
}

func (c *wsClient) send(f any) {
	c.t.Helper()
	data, _ := json.Marshal(f)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, data); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// next reads frames until one of type typ arrives.
func (c *wsClient) next(typ string) chat.Frame {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			c.t.Fatalf("waiting for %q: %v", typ, err)
		}
		var f chat.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			c.t.Fatal(err)
		}
		if f.T == typ {
			return f
		}
	}
}

func closeStatus(t testing.TB, c *wsClient) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if _, _, err := c.conn.Read(ctx); err != nil {
			return websocket.CloseStatus(err)
		}
	}
}

func TestSocketSendAckAndFanOut(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ann, _, err := dial(t, base, p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	boTab1, _, _ := dial(t, base, p.bo, nil)
	boTab2, _, _ := dial(t, base, p.bo, nil)
	ann.send(chat.Frame{T: "send", ID: "cid-1", C: p.conv, Text: "你好 Bo 👋"})
	ack := ann.next("ack")
	if ack.ID != "cid-1" || ack.Seq != 1 || ack.MID == "" {
		t.Fatalf("ack: %+v", ack)
	}
	for _, tab := range []*wsClient{boTab1, boTab2} {
		m := tab.next("msg")
		if m.M == nil || m.M.Text != "你好 Bo 👋" || m.M.Seq != 1 || m.M.Sender != p.ann.Id {
			t.Fatalf("Bo's tab got %+v", m)
		}
	}
	// A retry of the same client id is acknowledged with the same message.
	ann.send(chat.Frame{T: "send", ID: "cid-1", C: p.conv, Text: "你好 Bo 👋"})
	if again := ann.next("ack"); again.Seq != 1 || again.MID != ack.MID {
		t.Fatalf("retry ack: %+v", again)
	}
	// Reading in one tab tells the other.
	boTab1.send(chat.Frame{T: "read", C: p.conv, Seq: 1})
	if r := boTab2.next("read"); r.C != p.conv || r.Seq != 1 {
		t.Fatalf("read sync: %+v", r)
	}
	// Catch-up from a sequence.
	after := int64(0)
	boTab2.send(chat.Frame{T: "sync", C: p.conv, After: &after})
	if got := boTab2.next("msgs"); len(got.Items) != 1 || got.Items[0].Seq != 1 {
		t.Fatalf("sync: %+v", got)
	}
	// Errors come back as frames, in the member's language.
	ann.send(chat.Frame{T: "send", ID: "cid-2", C: "nosuchconversa", Text: "x"})
	if e := ann.next("error"); e.ID != "cid-2" || e.Code != "not_found" || e.Message == "" {
		t.Fatalf("error frame: %+v", e)
	}
}

func TestSocketRefusesForeignOriginAndGuests(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	if _, res, err := dial(t, base, p.ann, http.Header{"Origin": {"https://evil.example"}}); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Origin: err %v, response %v", err, res)
	}
	if _, res, err := dial(t, base, nil, nil); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no auth: err %v, response %v", err, res)
	}
	if _, _, err := dial(t, base, p.ann, http.Header{"Origin": {base}}); err != nil {
		t.Fatalf("own Origin refused: %v", err)
	}
}

func TestSocketTicket(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	req, _ := http.NewRequest(http.MethodPost, base+"/api/plaza/ws-ticket", nil)
	req.Header.Set("Authorization", testapp.Token(t, p.ann))
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("ticket: %v %v", err, res)
	}
	var body struct{ Ticket string }
	_ = json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws?ticket=" + body.Ticket
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, ws, nil)
	if err != nil {
		t.Fatalf("dial with ticket: %v", err)
	}
	c.CloseNow()
	if _, res, err := websocket.Dial(ctx, ws, nil); err == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a ticket must work once: %v", err)
	}
}

func TestSocketClosesBadFrames(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)

	big, _, _ := dial(t, base, p.ann, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = big.conn.Write(ctx, websocket.MessageText, []byte(`{"t":"send","text":"`+strings.Repeat("x", chat.MaxFrame)+`"}`))
	if st := closeStatus(t, big); st != websocket.StatusMessageTooBig {
		t.Fatalf("oversize frame: close status %v, want 1009", st)
	}

	bad, _, _ := dial(t, base, p.ann, nil)
	_ = bad.conn.Write(ctx, websocket.MessageText, []byte{'{', 0xff, 0xfe, '}'})
	if st := closeStatus(t, bad); st != websocket.StatusInvalidFramePayloadData {
		t.Fatalf("invalid UTF-8: close status %v, want 1007", st)
	}

	junk, _, _ := dial(t, base, p.ann, nil)
	junk.send(map[string]any{"t": "send", "c": p.conv, "id": "x", "text": "hi", "m": map[string]any{"id": "forged"}})
	if e := junk.next("error"); e.Code != "bad_frame" {
		t.Fatalf("a frame with server-only fields: %+v", e)
	}
}

// TestSlowReaderIsDroppedAndCatchesUp: a client that never reads is
// disconnected once its bounded queue is full (the server does not buffer
// for it); reconnecting, it syncs everything in order.
func TestSlowReaderIsDroppedAndCatchesUp(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	lazy, err := dialTinyBuffer(t, base, p.bo)
	if err != nil {
		t.Fatal(err)
	}
	// Enough to overflow the kernel's socket buffers (small on the client's
	// side) and then the queue.
	total := chat.QueueSize * 3
	for i := 0; i < total; i++ {
		if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "m" + strconv.Itoa(i), Text: strings.Repeat("慢", 4000)}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.svc.Hub().Online(p.bo.Id) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := p.svc.Hub().Online(p.bo.Id); n != 0 {
		t.Fatalf("the slow socket is still attached (%d)", n)
	}
	_ = lazy
	fresh, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []chat.Message
	after := int64(0)
	for {
		fresh.send(chat.Frame{T: "sync", C: p.conv, After: &after})
		f := fresh.next("msgs")
		got = append(got, f.Items...)
		if !f.More {
			break
		}
		after = f.Items[len(f.Items)-1].Seq
	}
	if len(got) != total {
		t.Fatalf("caught up %d of %d", len(got), total)
	}
	for i, m := range got {
		if m.Seq != int64(i+1) {
			t.Fatalf("catch-up out of order at %d: seq %d", i, m.Seq)
		}
	}
}

// TestSignOutEverywhereClosesSockets (docs/SECURITY.md §12).
func TestSignOutEverywhereClosesSockets(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	c, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := accounts.SignOutEverywhere(p.app, p.bo); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if _, _, err := c.conn.Read(ctx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("the socket stayed open after signing out everywhere")
			}
			return
		}
	}
}

func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{
		`{"t":"send","id":"a","c":"abc","text":"hi"}`, `{"t":"sync","c":"abc","after":3}`, `{"t":"read","c":"abc","seq":2}`,
		`{"t":"ping"}`, `{"t":"send"}`, `{}`, `[]`, `{"t":"msg","m":{}}`, "\xff", `{"t":"ping"} {"t":"ping"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := chat.DecodeFrame(data)
		if err != nil {
			return
		}
		switch fr.T {
		case chat.FrameSend:
			if fr.C == "" || fr.ID == "" || len(fr.ID) > chat.ClientIDMax {
				t.Fatalf("accepted a bad send: %+v", fr)
			}
		case chat.FrameSync:
			if fr.After == nil || *fr.After < 0 {
				t.Fatalf("accepted a bad sync: %+v", fr)
			}
		case chat.FrameRead, chat.FramePing:
		default:
			t.Fatalf("accepted unknown type %q", fr.T)
		}
		if fr.M != nil || fr.Items != nil || fr.Code != "" {
			t.Fatalf("accepted server-only fields: %+v", fr)
		}
	})
}

func TestSocketRecall(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ann, _, _ := dial(t, base, p.ann, nil)
	bo, _, _ := dial(t, base, p.bo, nil)
	ann.send(chat.Frame{T: "send", ID: "r1", C: p.conv, Text: "oops"})
	ack := ann.next("ack")
	bo.next("msg")
	bo.send(chat.Frame{T: "recall", C: p.conv, MID: ack.MID})
	if e := bo.next("error"); e.Code != "not_found" || e.MID != ack.MID {
		t.Fatalf("Bo recalling Ann's message: %+v", e)
	}
	ann.send(chat.Frame{T: "recall", C: p.conv, MID: ack.MID})
	for _, c := range []*wsClient{ann, bo} {
		if f := c.next("recalled"); f.MID != ack.MID || f.Seq != 1 {
			t.Fatalf("recalled frame: %+v", f)
		}
	}
}

// TestSocketSignals: typing, presence and read receipts reach the 1:1
// partner, and each privacy switch stops its signal.
func TestSocketSignals(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ann, _, _ := dial(t, base, p.ann, nil)
	waitOnline(t, p, p.ann.Id)

	bo, _, _ := dial(t, base, p.bo, nil)
	if f := ann.next("presence"); f.From != p.bo.Id || !f.Online {
		t.Fatalf("presence online: %+v", f)
	}
	bo.send(chat.Frame{T: "typing", C: p.conv})
	if f := ann.next("typing"); f.From != p.bo.Id || f.C != p.conv {
		t.Fatalf("typing: %+v", f)
	}

	// Read receipts are off by default: Ann learns nothing when Bo reads.
	ann.send(chat.Frame{T: "send", ID: "s1", C: p.conv, Text: "hi"})
	ann.next("ack")
	bo.send(chat.Frame{T: "read", C: p.conv, Seq: 1})
	bo.next("read")
	ann.send(chat.Frame{T: "ping"})
	if f := ann.next("pong"); f.T != "pong" {
		t.Fatal(f)
	}
	// With receipts on, Ann sees how far Bo read.
	setFlag(t, p, p.bo, "read_receipts", true)
	ann.send(chat.Frame{T: "send", ID: "s2", C: p.conv, Text: "there?"})
	ann.next("ack")
	bo.send(chat.Frame{T: "read", C: p.conv, Seq: 2})
	if f := ann.next("seen"); f.Seq != 2 || f.C != p.conv {
		t.Fatalf("seen: %+v", f)
	}
	if got := p.svc.ReadBy(p.ann.Id, p.conv); got != 2 {
		t.Fatalf("ReadBy = %d", got)
	}

	// Bo hides his typing: nothing reaches Ann (the pong comes first).
	setFlag(t, p, p.bo, "hide_typing", true)
	time.Sleep(2100 * time.Millisecond) // past the typing throttle
	bo.send(chat.Frame{T: "typing", C: p.conv})
	ann.send(chat.Frame{T: "ping"})
	readUntil(t, ann, "pong", "typing")

	// Going offline is announced with the time.
	bo.conn.Close(websocket.StatusNormalClosure, "")
	if f := ann.next("presence"); f.From != p.bo.Id || f.Online || f.Seen == "" {
		t.Fatalf("presence offline: %+v", f)
	}
	if online, seen := p.svc.Presence(p.bo.Id); online || seen.IsZero() {
		t.Fatalf("Presence: %v %v", online, seen)
	}
	setFlag(t, p, p.bo, "hide_presence", true)
	if online, seen := p.svc.Presence(p.bo.Id); online || !seen.IsZero() {
		t.Fatal("hidden presence is still shown")
	}
}

func setFlag(t *testing.T, p *pair, m *core.Record, field string, on bool) {
	t.Helper()
	r, err := p.app.FindRecordById("users", m.Id)
	if err != nil {
		t.Fatal(err)
	}
	r.Set(field, on)
	if err := p.app.Save(r); err != nil {
		t.Fatal(err)
	}
}

func waitOnline(t *testing.T, p *pair, id string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for p.svc.Hub().Online(id) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

// readUntil reads frames until want arrives, failing on forbidden first.
func readUntil(t *testing.T, c *wsClient, want, forbidden string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", want, err)
		}
		var f chat.Frame
		_ = json.Unmarshal(data, &f)
		if f.T == forbidden {
			t.Fatalf("got %s: %+v", forbidden, f)
		}
		if f.T == want {
			return
		}
	}
}

func TestSocketReactions(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ann, _, _ := dial(t, base, p.ann, nil)
	bo, _, _ := dial(t, base, p.bo, nil)
	ann.send(chat.Frame{T: "send", ID: "x1", C: p.conv, Text: "lunch?"})
	ack := ann.next("ack")
	bo.send(chat.Frame{T: "react", C: p.conv, MID: ack.MID, Emoji: "👍"})
	for _, c := range []*wsClient{ann, bo} {
		if f := c.next("reactions"); f.MID != ack.MID || len(f.Reactions["👍"]) != 1 || f.Reactions["👍"][0] != p.bo.Id {
			t.Fatalf("reactions: %+v", f)
		}
	}
	msgs, _ := chat.Messages(p.app, p.ann.Id, p.conv, 0, 0, 10)
	if len(msgs[0].Reactions["👍"]) != 1 {
		t.Fatalf("history should carry reactions: %+v", msgs[0])
	}
	bo.send(chat.Frame{T: "react", C: p.conv, MID: ack.MID, Emoji: "👍"}) // toggles off
	if f := ann.next("reactions"); len(f.Reactions) != 0 {
		t.Fatalf("toggled off: %+v", f)
	}
	bo.send(chat.Frame{T: "react", C: p.conv, MID: ack.MID, Emoji: "💩"})
	if e := bo.next("error"); e.Code != "bad_request" {
		t.Fatalf("an emoji not on offer: %+v", e)
	}
	if _, err := p.svc.React(p.cy.Id, p.conv, ack.MID, "👍"); !isStatus(err, http.StatusNotFound) {
		t.Fatalf("a stranger reacted: %v", err)
	}
}

// TestSyncManyConversationsAfterReconnect: a client back from an outage
// names every conversation it holds a sequence for in one sync frame and
// gets what it missed in each (in pages), nothing for a quiet one, a
// not_found error for one it is not in (nothing of it leaks), then synced.
func TestSyncManyConversationsAfterReconnect(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	group := createGroupDirect(t, p.app, []string{p.ann.Id, p.bo.Id, p.cy.Id})
	quiet := createGroupDirect(t, p.app, []string{p.ann.Id, p.bo.Id, p.cy.Id})
	secret := createGroupDirect(t, p.app, []string{p.ann.Id, p.cy.Id}) // Bo is not in it
	send := func(conv string, n int, tag string) {
		for i := 0; i < n; i++ {
			if _, err := p.svc.Send(p.ann.Id, conv, chat.SendInput{ClientID: tag + strconv.Itoa(i), Text: tag}); err != nil {
				t.Fatal(err)
			}
		}
	}
	send(quiet, 2, "quiet")
	send(p.conv, 1, "before")
	// Bo's socket drops; meanwhile messages arrive in two of his chats.
	first, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	first.conn.CloseNow()
	send(p.conv, 3, "dm")
	send(group, 60, "group")
	send(secret, 2, "secret")

	bo, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	bo.send(map[string]any{"t": "sync", "convs": map[string]int64{p.conv: 1, group: 0, quiet: 2, secret: 0}})
	got := map[string]chat.Frame{}
	var errs []chat.Frame
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := bo.conn.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for synced: %v", err)
		}
		var f chat.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		if f.T == "synced" {
			break
		}
		switch f.T {
		case "msgs":
			got[f.C] = f
		case "error":
			errs = append(errs, f)
		}
	}
	if dm := got[p.conv]; len(dm.Items) != 3 || dm.Items[0].Seq != 2 || dm.Items[0].Text != "dm" || dm.More {
		t.Fatalf("1:1 catch-up: %+v", dm)
	}
	if g := got[group]; len(g.Items) != 50 || g.Items[0].Seq != 1 || g.Items[49].Seq != 50 || !g.More {
		t.Fatalf("group catch-up: %d items, more %v", len(g.Items), g.More)
	}
	if _, ok := got[quiet]; ok {
		t.Fatalf("a chat with nothing new answered: %+v", got[quiet])
	}
	if _, ok := got[secret]; ok {
		t.Fatal("Bo received messages of a group he is not in")
	}
	if len(errs) != 1 || errs[0].C != secret || errs[0].Code != "not_found" {
		t.Fatalf("errors: %+v", errs)
	}
	// The rest of the long one, with the single-conversation sync.
	after := int64(50)
	bo.send(chat.Frame{T: "sync", C: group, After: &after})
	if rest := bo.next("msgs"); len(rest.Items) != 10 || rest.Items[0].Seq != 51 || rest.More {
		t.Fatalf("rest of the group: %d items, more %v", len(rest.Items), rest.More)
	}

	// Malformed or oversized syncs are refused.
	many := map[string]int64{}
	for i := 0; i <= chat.SyncConvsMax; i++ {
		many[fmt.Sprintf("c%013d", i)] = 0
	}
	for name, f := range map[string]any{
		"too many":     map[string]any{"t": "sync", "convs": many},
		"empty":        map[string]any{"t": "sync", "convs": map[string]int64{}},
		"negative":     map[string]any{"t": "sync", "convs": map[string]int64{group: -1}},
		"with c":       map[string]any{"t": "sync", "c": group, "after": 0, "convs": map[string]int64{group: 0}},
		"long id":      map[string]any{"t": "sync", "convs": map[string]int64{strings.Repeat("x", 16): 0}},
		"on a send":    map[string]any{"t": "send", "id": "x", "c": group, "text": "hi", "convs": map[string]int64{group: 0}},
		"not a number": map[string]any{"t": "sync", "convs": map[string]string{group: "zero"}},
	} {
		bo.send(f)
		if e := bo.next("error"); e.Code != "bad_frame" {
			t.Fatalf("%s: %+v", name, e)
		}
	}
}
