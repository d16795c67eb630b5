package chat

import (
	"encoding/json"
	"net"
	"time"
)

// typingEvery throttles a socket's typing signals.
const typingEvery = 2 * time.Second

// Conn is one open socket of a member as the service sees it: its place in
// the hub and its bounded outgoing queue. chatweb runs the socket (the
// HTTP upgrade, the reader and writer loops, the frames' dispatch); the
// service fans frames out to it.
type Conn struct {
	s     *Service
	c     *client
	first bool
}

// Connect attaches a new socket of memberID, before its handshake
// completes, so that nothing sent to it once the client sees it open can be
// missed (frames wait in the queue). drop closes the socket when its queue
// overflows or the member signs out. It returns false while the service
// shuts down. Call Close when the socket ends.
func (s *Service) Connect(memberID string, drop func()) (*Conn, bool) {
	if !s.enter() {
		return nil, false
	}
	c := newClient(memberID)
	c.drop = drop
	return &Conn{s: s, c: c, first: s.hub.attach(c)}, true
}

// Member is the socket's member.
func (k *Conn) Member() string { return k.c.member }

// Opened starts writing to out (the socket, once its handshake is done).
func (k *Conn) Opened(out net.Conn) { k.c.out = out }

// Online tells the member's 1:1 partners they came online, when this is
// their first socket.
func (k *Conn) Online() {
	if k.first {
		k.s.presence(k.c.member, true)
	}
}

// Close detaches the socket; the member's last one going tells their
// partners they went offline.
func (k *Conn) Close() {
	if k.s.hub.detach(k.c) {
		k.s.presence(k.c.member, false)
	}
	k.s.active.Done()
}

// Wake is signalled when frames wait to be written.
func (k *Conn) Wake() <-chan struct{} { return k.c.wake }

// Flush writes every waiting frame.
func (k *Conn) Flush() error { return k.c.write(k.c.take()...) }

// Reply queues a frame for this socket only (dropping the socket if its
// queue is full).
func (k *Conn) Reply(f Frame) { k.ReplyAny(f) }

// ReplyAny queues any JSON frame for this socket alone (the answers of
// frame kinds other modules registered).
func (k *Conn) ReplyAny(f any) {
	data, err := json.Marshal(f)
	if err != nil {
		k.s.app.Logger().Error("chat: encode reply", "error", err.Error())
		return
	}
	k.c.enqueue(data)
}

// Ack answers the sender at once: written straight away unless frames are
// already waiting, which keeps this socket's frames in order. Fan-out to a
// big group must not delay it (it would wait behind every other socket's
// writer).
func (k *Conn) Ack(f Frame) {
	data, err := json.Marshal(f)
	if err != nil {
		return // a Frame always encodes
	}
	if !k.c.idle() || k.c.write(data) != nil {
		k.c.enqueue(data)
	}
}

// Allow reports whether the member may send another costly frame now
// (docs/SECURITY.md §10: 10 a second with bursts of 30, across sockets).
func (k *Conn) Allow() bool { return k.s.limits.allow(k.c.member) }

// Typing tells the other member of a 1:1 chat that this one is typing, at
// most once every two seconds per socket. Only the socket's reader calls
// it.
func (k *Conn) Typing(convID string) {
	if time.Since(k.c.lastTyping) < typingEvery {
		return // throttled
	}
	k.c.lastTyping = time.Now()
	k.s.typing(k.c.member, convID)
}

// Submit stores a message like Send without delivering it: the socket acks
// its sender first, then passes the result to Announce.
func (s *Service) Submit(senderID, convID string, in SendInput) (SendResult, error) {
	return s.submit(senderID, convID, in)
}
