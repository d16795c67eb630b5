package chat_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks"
	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/public"
)

// ticketFor asks POST /api/plaza/ws-ticket for the member's ticket.
func ticketFor(t *testing.T, base string, member *core.Record) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/plaza/ws-ticket", nil)
	req.Header.Set("Authorization", testapp.Token(t, member))
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("ticket: %v %v", err, res)
	}
	defer res.Body.Close()
	var body struct {
		Ticket    string `json:"ticket"`
		ExpiresIn int    `json:"expires_in"`
	}
	_ = json.NewDecoder(res.Body).Decode(&body)
	if body.Ticket == "" || body.ExpiresIn != 30 {
		t.Fatalf("ticket answer: %+v", body)
	}
	return body.Ticket
}

func dialURL(t *testing.T, url string, header http.Header) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, res, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: header})
	if c != nil {
		t.Cleanup(func() { c.CloseNow() })
	}
	return c, res, err
}

// wantJSONCode reads a refused upgrade's body: Plaza's JSON error with code.
func wantJSONCode(t *testing.T, name string, res *http.Response, status int, code string) {
	t.Helper()
	if res == nil {
		t.Fatalf("%s: no response", name)
	}
	body, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	_ = json.Unmarshal(body, &out)
	if res.StatusCode != status || out["code"] != code {
		t.Fatalf("%s: %d %s, want %d %s", name, res.StatusCode, body, status, code)
	}
}

// TestRefusedUpgradeSpendsTicket: a ticket is spent by the first /ws
// request that presents it, even when the upgrade is then refused (a
// foreign Origin, or no upgrade at all); the next try is 401
// auth.required, so a client asks for a new ticket.
func TestRefusedUpgradeSpendsTicket(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws?ticket="

	tk := ticketFor(t, base, p.ann)
	if _, res, err := dialURL(t, ws+tk, http.Header{"Origin": {"https://evil.example"}}); err == nil || res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign Origin: %v %v", err, res)
	}
	_, res, err := dialURL(t, ws+tk, nil)
	if err == nil {
		t.Fatal("a ticket spent by a refused upgrade opened a socket")
	}
	wantJSONCode(t, "the ticket after a refused upgrade", res, http.StatusUnauthorized, "auth.required")

	tk = ticketFor(t, base, p.ann)
	plain, err := http.Get(base + "/ws?ticket=" + tk) // not an upgrade
	if err != nil {
		t.Fatal(err)
	}
	plain.Body.Close()
	if plain.StatusCode < 400 {
		t.Fatalf("a plain GET of /ws: %d", plain.StatusCode)
	}
	if _, res, err := dialURL(t, ws+tk, nil); err == nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the ticket after a plain GET: %v %v", err, res)
	}

	// An unused ticket works once.
	tk = ticketFor(t, base, p.ann)
	if _, _, err := dialURL(t, ws+tk, nil); err != nil {
		t.Fatalf("a fresh ticket: %v", err)
	}
}

// TestTicketsDoNotSurviveRestart: tickets live in the server's memory; after
// a restart on the same data a ticket is 401 while the member's token
// still works.
func TestTicketsDoNotSurviveRestart(t *testing.T) {
	p := newPair(t)
	srv := httptest.NewServer(testapp.Handler(t, p.app))
	tk := ticketFor(t, srv.URL, p.ann)
	srv.Close()
	dataDir := p.app.DataDir()
	p.app.ResetBootstrapState()
	app2 := core.NewBaseApp(core.BaseAppConfig{DataDir: dataDir, EncryptionEnv: "pb_test_env"})
	if err := app2.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	plaza2, err := hooks.Register(app2, public.FS)
	if err != nil {
		t.Fatal(err)
	}
	app2.Settings().RateLimits.Enabled = false
	srv2 := httptest.NewServer(testapp.Handler(t, app2))
	t.Cleanup(func() { // after the sockets are closed (cleanups run last first)
		srv2.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		plaza2.Chat.Shutdown(ctx)
		cancel()
		_ = app2.ResetBootstrapState()
	})
	ws := "ws" + strings.TrimPrefix(srv2.URL, "http") + "/ws"
	_, res, err := dialURL(t, ws+"?ticket="+tk, nil)
	if err == nil {
		t.Fatal("a ticket from before the restart opened a socket")
	}
	wantJSONCode(t, "a ticket from before the restart", res, http.StatusUnauthorized, "auth.required")
	if _, _, err := dialURL(t, ws, http.Header{"Authorization": {testapp.Token(t, p.ann)}}); err != nil {
		t.Fatalf("the member's token after the restart: %v", err)
	}
}

// TestAuthorizationHeaderOpensSocket: besides the cookie and a ticket, an
// Authorization header authenticates GET /ws (clients that can set
// headers on the upgrade); a request with that header is judged by it
// alone, so a bad token with a good cookie is 401.
func TestAuthorizationHeaderOpensSocket(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ws := "ws" + strings.TrimPrefix(base, "http") + "/ws"
	c, _, err := dialURL(t, ws, http.Header{"Authorization": {testapp.Token(t, p.ann)}})
	if err != nil {
		t.Fatalf("Authorization header: %v", err)
	}
	cl := &wsClient{t: t, conn: c}
	cl.send(chat.Frame{T: "send", ID: "auth-header-1", C: p.conv, Text: "hi"})
	if ack := cl.next("ack"); ack.Seq < 1 {
		t.Fatalf("ack: %+v", ack)
	}
	_, res, err := dialURL(t, ws, http.Header{"Authorization": {"not-a-token"}, "Cookie": {testapp.SessionCookie(t, p.ann)}})
	if err == nil {
		t.Fatal("a bad Authorization header with a good cookie opened a socket")
	}
	wantJSONCode(t, "bad header, good cookie", res, http.StatusUnauthorized, "auth.required")
}

// TestSocketUpgradeRateLimit: GET /ws is limited to 60 a minute per IP;
// the next is 429 rate_limited.
func TestSocketUpgradeRateLimit(t *testing.T) {
	p := newPair(t)
	p.app.Settings().RateLimits.Enabled = true
	h := testapp.Handler(t, p.app)
	for i := range 60 {
		if res := testapp.Do(h, http.MethodGet, "/ws", "", nil); res.Code == http.StatusTooManyRequests {
			t.Fatalf("limited at %d", i+1)
		}
	}
	res := testapp.Do(h, http.MethodGet, "/ws", "", nil)
	out := map[string]any{}
	_ = json.Unmarshal(res.Body.Bytes(), &out)
	if res.Code != http.StatusTooManyRequests || out["code"] != "rate_limited" {
		t.Fatalf("61st upgrade in a minute: %d %s", res.Code, res.Body.String())
	}
}

// TestSocketErrorCodes: the error code (or close code) each kind of bad
// frame gets, as docs/API.md lists them; and a send id is scoped to its
// conversation (the same id in two chats stores two messages).
func TestSocketErrorCodes(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	dan := testapp.CreateMember(t, p.app, "dan_codes")
	befriend(t, p.app, p.ann, dan)
	group, err := p.svc.CreateGroup(p.ann.Id, "Codes", []string{p.bo.Id, dan.Id})
	if err != nil {
		t.Fatal(err)
	}
	former, err := chat.OpenDirect(p.app, p.ann.Id, dan.Id)
	if err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, p.app).Contacts.Unfriend(dan, p.ann.Id); err != nil {
		t.Fatal(err)
	}
	ann, _, err := dial(t, base, p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(s string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := ann.conn.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ name, frame, code string }{
		{"not JSON", `hello`, "bad_frame"},
		{"two objects", `{"t":"ping"}{"t":"ping"}`, "bad_frame"},
		{"an unknown type", `{"t":"shout","c":"` + p.conv + `"}`, "bad_frame"},
		{"an unknown field", `{"t":"ping","x":1}`, "bad_frame"},
		{"a server-only field", `{"t":"read","c":"` + p.conv + `","seq":1,"from":"me"}`, "bad_frame"},
		{"a send without an id", `{"t":"send","c":"` + p.conv + `","text":"hi"}`, "bad_frame"},
		{"an id over 64 characters", `{"t":"send","id":"` + strings.Repeat("i", 65) + `","c":"` + p.conv + `","text":"hi"}`, "bad_frame"},
		{"a picture by frame", `{"t":"send","id":"pic-1","c":"` + p.conv + `","kind":"image"}`, "bad_frame"},
		{"sync without after", `{"t":"sync","c":"` + p.conv + `"}`, "bad_frame"},
		{"a chat I am not in", `{"t":"send","id":"nf-1","c":"nosuchconversa","text":"hi"}`, "not_found"},
		{"recalling someone else's message", `{"t":"recall","c":"` + p.conv + `","mid":"nosuchmessage1"}`, "not_found"},
		{"a reaction outside the set", `{"t":"react","c":"` + p.conv + `","mid":"nosuchmessage1","emoji":"🍕"}`, "bad_request"},
		{"a 1:1 send to a former friend", `{"t":"send","id":"ff-1","c":"` + former + `","text":"hi"}`, "forbidden"},
		{"a card type members cannot send", `{"t":"send","id":"card-1","c":"` + p.conv + `","kind":"card","card":{"type":"transfer","ref":"x"}}`, "not_found"},
	}
	for _, c := range cases {
		raw(c.frame)
		e := ann.next("error")
		if c.code != "" && e.Code != c.code {
			t.Errorf("%s: code %q (%s), want %q", c.name, e.Code, e.Message, c.code)
		}
		if e.Message == "" {
			t.Errorf("%s: no message", c.name)
		}
	}
	// The same send id in two conversations: two messages.
	ann.send(chat.Frame{T: "send", ID: "same-id", C: p.conv, Text: "one"})
	a1 := ann.next("ack")
	ann.send(chat.Frame{T: "send", ID: "same-id", C: group, Text: "two"})
	a2 := ann.next("ack")
	if a1.MID == "" || a1.MID == a2.MID || a2.C != group {
		t.Fatalf("the same id in two chats: %+v %+v", a1, a2)
	}
	// A binary frame closes the socket with 1003.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = ann.conn.Write(ctx, websocket.MessageBinary, []byte{1, 2, 3})
	if st := closeStatus(t, ann); st != websocket.StatusUnsupportedData {
		t.Fatalf("binary frame: close status %v, want 1003", st)
	}
}

// TestSocketTooManyFrames: more than 10 counted frames a second (bursts of
// 30) are refused with too_many; pings are not counted.
func TestSocketTooManyFrames(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	ann, _, err := dial(t, base, p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		ann.send(chat.Frame{T: "ping"})
	}
	for i := range 40 {
		ann.send(chat.Frame{T: "hide", C: p.conv, MID: "nosuchmessage" + string(rune('a'+i%26))})
	}
	seen := map[string]int{}
	for range 40 {
		seen[ann.next("error").Code]++
	}
	if seen["too_many"] == 0 || seen["too_many"] > 40-30 {
		t.Fatalf("40 frames at once: %v, want some too_many after a burst of 30", seen)
	}
}

// TestSocketUpgradeWhileShuttingDown: once the chat service shuts down
// (plaza's SIGTERM), an upgrade is 503 unavailable: retry in a moment.
func TestSocketUpgradeWhileShuttingDown(t *testing.T) {
	p := newPair(t)
	h := testapp.Handler(t, p.app)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p.svc.Shutdown(ctx)
	res := testapp.Do(h, http.MethodGet, "/ws", "", map[string]string{"Cookie": testapp.SessionCookie(t, p.ann)})
	out := map[string]any{}
	_ = json.Unmarshal(res.Body.Bytes(), &out)
	if res.Code != http.StatusServiceUnavailable || out["code"] != "unavailable" || out["message"] == "" {
		t.Fatalf("upgrade while shutting down: %d %s", res.Code, res.Body.String())
	}
}

// TestSocketDispatchesOtherModulesFrames: a frame kind another module
// registers reaches its handler with the socket's member, its reply comes
// back on that socket, its refusal as an error frame; the socket's own
// kinds cannot be registered twice.
func TestSocketDispatchesOtherModulesFrames(t *testing.T) {
	p := newPair(t)
	reg := testapp.Services(t, p.app).Registry
	reg.AddFrame(module.FrameKind{Kind: "echo", Owner: "test", Handle: func(_ context.Context, _ core.App, memberID string, raw json.RawMessage) (any, error) {
		var in struct {
			Say string `json:"say"`
		}
		if err := json.Unmarshal(raw, &in); err != nil || in.Say == "" {
			return nil, problem.Invalid("say", "errors.bad_request", nil)
		}
		return map[string]string{"t": "echoed", "say": in.Say, "member": memberID}, nil
	}})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("registering the socket's own kind again did not panic")
			}
		}()
		reg.AddFrame(module.FrameKind{Kind: chat.FrameSend, Owner: "test"})
	}()
	ws, _, err := dial(t, serve(t, p), p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.send(map[string]string{"t": "echo", "say": "hello"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := ws.conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		if json.Unmarshal(data, &got) == nil && got["t"] == "echoed" {
			if got["say"] != "hello" || got["member"] != p.ann.Id {
				t.Fatalf("reply %v", got)
			}
			break
		}
	}
	ws.send(map[string]string{"t": "echo"})
	if f := ws.next("error"); f.Code != "bad_request" {
		t.Fatalf("a refused module frame: %+v", f)
	}
}
