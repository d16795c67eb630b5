package chat

import (
	"net"
	"sync"
	"time"
)

// Fanout delivers encoded frames to members' open sockets. The in-process
// Hub implements it; a message bus (NATS) can replace it for several nodes.
type Fanout interface {
	Deliver(memberIDs []string, frame []byte)
}

// client is one open socket as the hub sees it: a bounded queue, and what
// to do when the queue is full (close the socket; it catches up later by
// sequence number). The queue is a slice that grows as frames wait, so an
// idle socket holds almost nothing.
type client struct {
	member string
	drop   func()
	once   sync.Once

	mu   sync.Mutex
	q    [][]byte      // frames waiting for the writer
	wake chan struct{} // signalled (capacity 1) when q gets a frame

	lastTyping time.Time // only the socket's reader goroutine touches it

	out net.Conn   // the socket, for writing frames (set before the loops start)
	wmu sync.Mutex // one writer at a time: the deadline covers its frames
}

func newClient(member string) *client {
	return &client{member: member, wake: make(chan struct{}, 1)}
}

// push queues a frame without blocking; false when the queue is full.
func (c *client) push(frame []byte) bool {
	c.mu.Lock()
	if len(c.q) >= QueueSize {
		c.mu.Unlock()
		return false
	}
	c.q = append(c.q, frame)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return true
}

// take removes and returns every waiting frame, oldest first.
func (c *client) take() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.q
	c.q = nil
	return q
}

// idle reports whether no frame waits.
func (c *client) idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.q) == 0
}

// enqueue pushes a frame or, when the queue is full, drops the socket.
func (c *client) enqueue(frame []byte) {
	if !c.push(frame) {
		c.once.Do(func() { go c.drop() })
	}
}

// QueueSize is each socket's outgoing queue; a client that falls this far
// behind is disconnected rather than slowing anyone down.
const QueueSize = 256

// Hub is the in-process fan-out: member id → open sockets.
type Hub struct {
	mu      sync.RWMutex
	clients map[string]map[*client]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{clients: map[string]map[*client]struct{}{}} }

// attach adds a socket and reports whether it is the member's first.
func (h *Hub) attach(c *client) (first bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	set := h.clients[c.member]
	if set == nil {
		set = map[*client]struct{}{}
		h.clients[c.member] = set
	}
	set[c] = struct{}{}
	return len(set) == 1
}

// detach removes a socket and reports whether it was the member's last.
func (h *Hub) detach(c *client) (last bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if set := h.clients[c.member]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(h.clients, c.member)
			return true
		}
	}
	return false
}

// Deliver queues frame for every open socket of the members, never
// blocking: a full queue drops that socket.
func (h *Hub) Deliver(memberIDs []string, frame []byte) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, id := range memberIDs {
		for c := range h.clients[id] {
			c.enqueue(frame)
		}
	}
}

// CloseMember disconnects every socket of a member (e.g. on sign-out
// everywhere or a password reset).
func (h *Hub) CloseMember(memberID string) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.clients[memberID] {
		c.once.Do(func() { go c.drop() })
	}
}

// CloseAll disconnects every socket (server shutdown or restart; clients
// reconnect and sync).
func (h *Hub) CloseAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, set := range h.clients {
		for c := range set {
			c.once.Do(func() { go c.drop() })
		}
	}
}

// Online reports how many sockets a member has open.
func (h *Hub) Online(memberID string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.clients[memberID])
}

// writeTimeout bounds how long a batch of frames may take to go out.
const writeTimeout = 10 * time.Second

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
