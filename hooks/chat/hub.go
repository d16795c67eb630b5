package chat

import (
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
// sequence number).
type client struct {
	member string
	out    chan []byte
	drop   func()
	once   sync.Once

	lastTyping time.Time // only the socket's reader goroutine touches it
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
			select {
			case c.out <- frame:
			default:
				c.once.Do(func() { go c.drop() })
			}
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
