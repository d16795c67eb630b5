package chatweb

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/invopop/ctxi18n/i18n"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/module"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// Socket timings.
const (
	pingEvery     = 25 * time.Second
	pingTimeout   = 10 * time.Second
	syncBatch     = 200
	syncManyBatch = 50 // per conversation, when a sync names many
)

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
func (s *site) serveSocket(e *core.RequestEvent) error {
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
	// Attach before the handshake completes, so that once the client sees the
	// socket open, nothing sent to it can be missed; frames wait in the queue.
	ctx, cancel := context.WithCancel(context.Background())
	var accepted atomic.Pointer[websocket.Conn]
	c, ok := s.Connect(memberID, func() {
		cancel()
		if ws := accepted.Load(); ws != nil {
			_ = ws.Close(websocket.StatusTryAgainLater, "too slow: reconnect and sync") // closing anyway: its error tells nothing
		}
	})
	if !ok {
		cancel()
		return e.Error(http.StatusServiceUnavailable, "The server is restarting; reconnect in a moment.", nil)
	}
	done := func() {
		cancel()
		c.Close()
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
	c.Opened(websocket.NetConn(ctx, ws, websocket.MessageText))
	ws.SetReadLimit(chat.MaxFrame)
	accepted.Store(ws)
	if ctx.Err() != nil { // dropped (or revoked) during the handshake
		_ = ws.Close(websocket.StatusTryAgainLater, "reconnect and sync") // closing anyway
		done()
		return nil
	}
	c.Online()
	go s.writeLoop(ctx, cancel, ws, c)
	go func() {
		defer done()
		s.readLoop(ctx, tctx, ws, c)
	}()
	return nil
}

func (s *site) writeLoop(ctx context.Context, cancel context.CancelFunc, ws *websocket.Conn, c *chat.Conn) {
	defer cancel()
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.Wake():
			if err := c.Flush(); err != nil {
				return
			}
		case <-ping.C:
			pctx, done := context.WithTimeout(ctx, pingTimeout)
			err := ws.Ping(pctx)
			done()
			if err != nil {
				_ = ws.Close(websocket.StatusPolicyViolation, "ping timeout") // closing anyway
				return
			}
		}
	}
}

func (s *site) readLoop(ctx context.Context, tctx context.Context, ws *websocket.Conn, c *chat.Conn) {
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			return // closed, too large (coder/websocket closes with 1009), or dropped
		}
		if typ != websocket.MessageText {
			_ = ws.Close(websocket.StatusUnsupportedData, "text frames only") // closing anyway
			return
		}
		if kind, ok := s.moduleFrame(data); ok {
			s.handleModuleFrame(ctx, tctx, c, kind, data)
			continue
		}
		f, err := chat.DecodeFrame(data)
		if errors.Is(err, chat.ErrNotUTF8) {
			_ = ws.Close(websocket.StatusInvalidFramePayloadData, "invalid UTF-8") // closing anyway
			return
		}
		if err != nil {
			c.Reply(chat.Frame{T: "error", Code: "bad_frame", Message: i18n.T(tctx, "errors.bad_request")})
			continue
		}
		s.handle(tctx, c, f)
	}
}

// moduleFrame finds the registered frame kind of another module that a
// client frame names ({"t": kind, …}); the socket's own kinds are not
// among them.
func (s *site) moduleFrame(data []byte) (module.FrameKind, bool) {
	var head struct {
		T string `json:"t"`
	}
	if len(data) > chat.MaxFrame || !utf8.Valid(data) || json.Unmarshal(data, &head) != nil {
		return module.FrameKind{}, false
	}
	k, ok := s.Registry().Frame(head.T)
	return k, ok && k.Handle != nil
}

// handleModuleFrame runs another module's frame handler under the same
// rate limit as the socket's costly frames; its reply, or its refusal as
// an error frame, goes back on this socket.
func (s *site) handleModuleFrame(ctx, tctx context.Context, c *chat.Conn, k module.FrameKind, data []byte) {
	if !c.Allow() {
		s.replyError(tctx, c, chat.Frame{T: k.Kind}, problem.New(http.StatusTooManyRequests, "errors.too_many"))
		return
	}
	reply, err := k.Handle(ctx, s.app, c.Member(), data)
	if err != nil {
		s.replyError(tctx, c, chat.Frame{T: k.Kind}, err)
		return
	}
	if reply != nil {
		c.ReplyAny(reply)
	}
}

// handle answers one client frame on the sender's own socket.
func (s *site) handle(tctx context.Context, c *chat.Conn, f chat.Frame) {
	cheap := f.T == chat.FramePing || (f.T == chat.FrameSync && f.Convs == nil) || f.T == chat.FrameRead || f.T == chat.FrameTyping
	if !cheap && !c.Allow() {
		s.replyError(tctx, c, f, problem.New(http.StatusTooManyRequests, "errors.too_many"))
		return
	}
	var err error
	switch f.T {
	case chat.FramePing:
		c.Reply(chat.Frame{T: "pong"})
	case chat.FrameSend:
		var res chat.SendResult
		res, err = s.Submit(c.Member(), f.C, chat.SendInput{ClientID: f.ID, Kind: f.Kind, Text: f.Text, ReplyTo: f.Reply, Mentions: f.Mention, All: f.All, Card: f.Card})
		if err == nil {
			c.Ack(chat.Frame{T: "ack", ID: f.ID, C: f.C, Seq: res.Message.Seq, MID: res.Message.ID}) // the sender hears first
			s.Announce(f.C, res)
		}
	case chat.FrameSync:
		if f.Convs != nil {
			s.syncMany(tctx, c, f.Convs)
			return
		}
		var items []chat.Message
		var more bool
		if items, more, err = chat.History(s.app, c.Member(), f.C, *f.After, 0, syncBatch); err == nil {
			s.WithholdGone(c.Member(), items)
			c.Reply(chat.Frame{T: "msgs", C: f.C, Items: items, More: more})
		}
	case chat.FrameRead:
		_, err = s.MarkRead(c.Member(), f.C, f.Seq)
	case chat.FrameTyping:
		c.Typing(f.C)
	case chat.FrameReact:
		_, err = s.React(c.Member(), f.C, f.MID, f.Emoji)
	case chat.FramePat:
		err = s.Pat(c.Member(), f.C, f.Who)
	case chat.FrameHide:
		err = s.HideMessage(c.Member(), f.C, f.MID)
	case chat.FrameFav:
		err = s.Favourite(c.Member(), f.C, f.MID)
	case chat.FrameRecall:
		_, err = s.Recall(c.Member(), f.C, f.MID)
	}
	if err != nil {
		s.replyError(tctx, c, f, err)
	}
}

// syncMany answers a sync of many conversations (after a reconnect): a
// msgs frame for each one with messages after the client's sequence (up to
// syncManyBatch; more says to go on with a sync of that conversation), an
// error frame naming each one the member is not in, and nothing for those
// with nothing new; then a synced frame, so the client knows it is done.
func (s *site) syncMany(tctx context.Context, c *chat.Conn, convs map[string]int64) {
	ids := make([]string, 0, len(convs))
	for id := range convs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		items, more, err := chat.History(s.app, c.Member(), id, convs[id], 0, syncManyBatch)
		if err != nil {
			s.replyError(tctx, c, chat.Frame{T: chat.FrameSync, C: id}, err)
			continue
		}
		s.WithholdGone(c.Member(), items)
		if len(items) > 0 {
			c.Reply(chat.Frame{T: "msgs", C: id, Items: items, More: more})
		}
	}
	c.Reply(chat.Frame{T: "synced"})
}

func (s *site) replyError(tctx context.Context, c *chat.Conn, f chat.Frame, err error) {
	p, ok := problem.As(err)
	if !ok {
		s.app.Logger().Error("chat: socket frame failed", "type", f.T, "error", err.Error())
		c.Reply(chat.Frame{T: "error", ID: f.ID, C: f.C, Code: "internal", Message: i18n.T(tctx, "errors.internal")})
		return
	}
	key := p.Key
	if key == "" && len(p.Fields) > 0 {
		key = p.Fields[0].Key
	}
	code := map[int]string{http.StatusNotFound: "not_found", http.StatusForbidden: "forbidden",
		http.StatusBadRequest: "bad_request", http.StatusTooManyRequests: "too_many"}[p.Status]
	c.Reply(chat.Frame{T: "error", ID: f.ID, C: f.C, MID: f.MID, Code: code, Message: i18n.T(tctx, key, i18n.M(p.Args))})
}
