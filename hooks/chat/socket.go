package chat

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/invopop/ctxi18n/i18n"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// Socket timings.
const (
	pingEvery     = 25 * time.Second
	pingTimeout   = 10 * time.Second
	writeTimeout  = 10 * time.Second
	ticketTTL     = 30 * time.Second
	syncBatch     = 200
	syncManyBatch = 50 // per conversation, when a sync names many
	typingEvery   = 2 * time.Second
)

// tickets are single-use, short-lived socket credentials for API clients
// that cannot send the session cookie (never a long-lived token in a URL).
type tickets struct {
	mu sync.Mutex
	m  map[string]ticket
}

// A ticket dies with the session it was issued to: it remembers that
// session (web.SessionKey) and the member's token key, and is refused once
// that session signed out or the member signed out everywhere.
type ticket struct {
	member   string
	session  string // web.SessionKey of the credential that asked for it
	tokenKey string // the member's token key then
	expires  time.Time
}

func (t *tickets) issue(member, session, tokenKey string) string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	id := base64.RawURLEncoding.EncodeToString(b)
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	for k, v := range t.m { // sweep expired ones
		if now.After(v.expires) {
			delete(t.m, k)
		}
	}
	t.m[id] = ticket{member: member, session: session, tokenKey: tokenKey, expires: now.Add(ticketTTL)}
	return id
}

func (t *tickets) redeem(id string) (ticket, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.m[id]
	delete(t.m, id)
	if !ok || time.Now().After(v.expires) {
		return ticket{}, false
	}
	return v, true
}

// redeemTicket spends a ticket and returns its member, or "" when the
// ticket is unknown, spent, expired, or its session has ended since.
func (s *Service) redeemTicket(id string) string {
	t, ok := s.tickets().redeem(id)
	if !ok || web.SessionRevoked(s.app, t.session) {
		return ""
	}
	m, err := s.app.FindRecordById(accounts.Collection, t.member)
	if err != nil || m.TokenKey() != t.tokenKey {
		return "" // signed out everywhere (or a new password) since
	}
	return t.member
}

// originPatterns are the hosts besides the request's own that may open the
// socket: the configured Application URL's.
func originPatterns(app core.App) []string {
	if u, err := url.Parse(app.Settings().Meta.AppURL); err == nil && u.Host != "" {
		return []string{u.Host}
	}
	return nil
}

// serveSocket is GET /ws: authenticate (session cookie, or ?ticket= from
// POST /api/plaza/ws-ticket), check Origin, then run one reader and one
// writer with a bounded queue. The handler returns once the socket is open:
// the loops run on their own small goroutines and keep only the member's
// id and language, not the request (about half the memory of an idle
// socket was the handler's deep stack and the request it held).
func (s *Service) serveSocket(e *core.RequestEvent) error {
	memberID := ""
	if m := web.Member(e); m != nil {
		memberID = m.Id
	} else if t := e.Request.URL.Query().Get("ticket"); t != "" {
		memberID = s.redeemTicket(t)
	}
	if memberID == "" {
		return e.UnauthorizedError("Please sign in first.", nil)
	}
	tctx := web.WithLang(context.Background(), web.LangOf(e)) // translates this socket's errors
	if !s.enter() {
		return e.Error(http.StatusServiceUnavailable, "The server is restarting; reconnect in a moment.", nil)
	}
	// Attach before the handshake completes, so that once the client sees the
	// socket open, nothing sent to it can be missed; frames wait in the queue.
	ctx, cancel := context.WithCancel(context.Background())
	var accepted atomic.Pointer[websocket.Conn]
	c := newClient(memberID)
	c.drop = func() {
		cancel()
		if ws := accepted.Load(); ws != nil {
			_ = ws.Close(websocket.StatusTryAgainLater, "too slow: reconnect and sync")
		}
	}
	first := s.hub.attach(c)
	done := func() {
		cancel()
		if s.hub.detach(c) {
			s.presence(memberID, false)
		}
		s.active.Done()
	}

	ws, err := websocket.Accept(e.Response, e.Request, &websocket.AcceptOptions{OriginPatterns: originPatterns(e.App)})
	if err != nil {
		done()
		return nil // Accept has answered (403 for a foreign Origin)
	}
	// Frames are written through a net.Conn view of the socket: one write
	// deadline on the connection, moved forward per batch of frames, instead
	// of a new context with a timeout for every frame. (NetConn lifts the
	// read limit; the reader's is set again after it.)
	c.out = websocket.NetConn(ctx, ws, websocket.MessageText)
	ws.SetReadLimit(MaxFrame)
	accepted.Store(ws)
	if ctx.Err() != nil { // dropped (or revoked) during the handshake
		_ = ws.Close(websocket.StatusTryAgainLater, "reconnect and sync")
		done()
		return nil
	}
	if first {
		s.presence(memberID, true)
	}
	go s.writeLoop(ctx, cancel, ws, c)
	go func() {
		defer done()
		s.readLoop(ctx, tctx, ws, c)
	}()
	return nil
}

func (s *Service) writeLoop(ctx context.Context, cancel context.CancelFunc, ws *websocket.Conn, c *client) {
	defer cancel()
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
			if err := c.write(c.take()...); err != nil {
				return
			}
		case <-ping.C:
			pctx, done := context.WithTimeout(ctx, pingTimeout)
			err := ws.Ping(pctx)
			done()
			if err != nil {
				_ = ws.Close(websocket.StatusPolicyViolation, "ping timeout")
				return
			}
		}
	}
}

// write sends frames in order, each as one text message, giving up when
// they are not all out within writeTimeout (the socket is then closed and
// the client catches up by sequence after reconnecting).
func (c *client) write(frames ...[]byte) error {
	if len(frames) == 0 {
		return nil
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.out.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	for _, f := range frames {
		if _, err := c.out.Write(f); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) readLoop(ctx context.Context, tctx context.Context, ws *websocket.Conn, c *client) {
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			return // closed, too large (coder/websocket closes with 1009), or dropped
		}
		if typ != websocket.MessageText {
			_ = ws.Close(websocket.StatusUnsupportedData, "text frames only")
			return
		}
		f, err := DecodeFrame(data)
		if errors.Is(err, ErrNotUTF8) {
			_ = ws.Close(websocket.StatusInvalidFramePayloadData, "invalid UTF-8")
			return
		}
		if err != nil {
			s.reply(c, Frame{T: "error", Code: "bad_frame", Message: i18n.T(tctx, "errors.bad_request")})
			continue
		}
		s.handle(ctx, tctx, ws, c, f)
	}
}

// handle answers one client frame on the sender's own socket.
func (s *Service) handle(ctx, tctx context.Context, ws *websocket.Conn, c *client, f Frame) {
	cheap := f.T == FramePing || (f.T == FrameSync && f.Convs == nil) || f.T == FrameRead || f.T == FrameTyping
	if !cheap && !s.limits.allow(c.member) {
		s.replyError(tctx, c, f, problem.New(http.StatusTooManyRequests, "errors.too_many"))
		return
	}
	switch f.T {
	case FramePing:
		s.reply(c, Frame{T: "pong"})
	case FrameSend:
		res, err := s.submit(c.member, f.C, SendInput{ClientID: f.ID, Kind: f.Kind, Text: f.Text, ReplyTo: f.Reply, Mentions: f.Mention, All: f.All, Card: f.Card})
		if err != nil {
			s.replyError(tctx, c, f, err)
			return
		}
		// The sender hears first, and straight away: fan-out to a big group
		// must not delay the ack (it would wait behind every other
		// socket's writer). Written here unless frames are already waiting,
		// which keeps this socket's frames in order.
		ack, _ := json.Marshal(Frame{T: "ack", ID: f.ID, C: f.C, Seq: res.Message.Seq, MID: res.Message.ID})
		if !c.idle() || c.write(ack) != nil {
			c.enqueue(ack)
		}
		s.announce(f.C, res)
	case FrameSync:
		if f.Convs != nil {
			s.syncMany(tctx, c, f.Convs)
			return
		}
		items, more, err := History(s.app, c.member, f.C, *f.After, 0, syncBatch)
		if err != nil {
			s.replyError(tctx, c, f, err)
			return
		}
		s.reply(c, Frame{T: "msgs", C: f.C, Items: items, More: more})
	case FrameRead:
		if _, err := s.MarkRead(c.member, f.C, f.Seq); err != nil {
			s.replyError(tctx, c, f, err)
		}
	case FrameTyping:
		if time.Since(c.lastTyping) < typingEvery {
			return // throttled
		}
		c.lastTyping = time.Now()
		s.typing(c.member, f.C)
	case FrameReact:
		if _, err := s.React(c.member, f.C, f.MID, f.Emoji); err != nil {
			s.replyError(tctx, c, f, err)
		}
	case FramePat:
		if err := s.Pat(c.member, f.C, f.Who); err != nil {
			s.replyError(tctx, c, f, err)
		}
	case FrameHide:
		if err := s.HideMessage(c.member, f.C, f.MID); err != nil {
			s.replyError(tctx, c, f, err)
		}
	case FrameFav:
		if err := s.Favourite(c.member, f.C, f.MID); err != nil {
			s.replyError(tctx, c, f, err)
		}
	case FrameRecall:
		if _, err := s.Recall(c.member, f.C, f.MID); err != nil {
			s.replyError(tctx, c, f, err)
		}
	}
}

// syncMany answers a sync of many conversations (after a reconnect): a
// msgs frame for each one with messages after the client's sequence (up to
// syncManyBatch; more says to go on with a sync of that conversation), an
// error frame naming each one the member is not in, and nothing for those
// with nothing new; then a synced frame, so the client knows it is done.
func (s *Service) syncMany(tctx context.Context, c *client, convs map[string]int64) {
	ids := make([]string, 0, len(convs))
	for id := range convs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		items, more, err := History(s.app, c.member, id, convs[id], 0, syncManyBatch)
		if err != nil {
			s.replyError(tctx, c, Frame{T: FrameSync, C: id}, err)
			continue
		}
		if len(items) > 0 {
			s.reply(c, Frame{T: "msgs", C: id, Items: items, More: more})
		}
	}
	s.reply(c, Frame{T: "synced"})
}

func (s *Service) replyError(tctx context.Context, c *client, f Frame, err error) {
	p, ok := problem.As(err)
	if !ok {
		s.app.Logger().Error("chat: socket frame failed", "type", f.T, "error", err.Error())
		s.reply(c, Frame{T: "error", ID: f.ID, C: f.C, Code: "internal", Message: i18n.T(tctx, "errors.internal")})
		return
	}
	key := p.Key
	if key == "" && len(p.Fields) > 0 {
		key = p.Fields[0].Key
	}
	code := map[int]string{http.StatusNotFound: "not_found", http.StatusForbidden: "forbidden",
		http.StatusBadRequest: "bad_request", http.StatusTooManyRequests: "too_many"}[p.Status]
	s.reply(c, Frame{T: "error", ID: f.ID, C: f.C, MID: f.MID, Code: code, Message: i18n.T(tctx, key, i18n.M(p.Args))})
}

// reply queues a frame for this socket only (dropping it if the queue is full).
func (s *Service) reply(c *client, f Frame) {
	data, err := json.Marshal(f)
	if err != nil {
		return
	}
	c.enqueue(data)
}

func (s *Service) tickets() *tickets {
	return s.app.Store().GetOrSet("plaza.chat.tickets", func() any { return &tickets{m: map[string]ticket{}} }).(*tickets)
}

// issueTicket is POST /api/plaza/ws-ticket: a single-use credential for
// GET /ws?ticket=…, valid 30 seconds.
func (s *Service) issueTicket(e *core.RequestEvent) error {
	m := web.Member(e)
	return e.JSON(http.StatusOK, map[string]any{"ticket": s.tickets().issue(m.Id, web.SessionKey(e), m.TokenKey()), "expires_in": int(ticketTTL.Seconds())})
}
