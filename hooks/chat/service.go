package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/module"
)

// Service sends messages and fans them out after the transaction commits,
// to whoever is a member at that moment.
type Service struct {
	app   core.App
	reg   *module.Registry
	clock func() time.Time
	hub   *Hub
	out   Fanout

	active  sync.WaitGroup // running sockets
	lifeMu  sync.Mutex     // guards closed and additions to active
	closed  bool           // Shutdown has begun: no new sockets
	limits  sendLimiter    // per-member frame rate
	members members        // member lists for the fan-out (publish.go)

	batchMu sync.Mutex
	pending []*sendRequest // sends waiting to be stored (batch.go)
	leading bool           // a sender is storing a batch

	accountHook func(convID string, m Message) // a member's message in an account chat (accountchat.go)
}

// New builds app's chat service (hooks.Register makes one per app) and
// adds chat's card types, frame kinds, badges and events to reg.
func New(app core.App, reg *module.Registry) *Service {
	hub := NewHub()
	s := &Service{app: app, reg: reg, clock: time.Now, hub: hub, out: hub}
	s.registerCards()
	s.registerFrames()
	return s
}

// Registry is the module registry the service was built with.
func (s *Service) Registry() *module.Registry { return s.reg }

// Shutdown closes every socket and waits (up to ctx) until their handlers
// have finished, so nothing touches the database after the app closes it.
func (s *Service) Shutdown(ctx context.Context) {
	s.lifeMu.Lock()
	s.closed = true
	s.lifeMu.Unlock()
	s.hub.CloseAll()
	done := make(chan struct{})
	go func() { s.active.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// enter counts a new socket, unless the service is shutting down.
func (s *Service) enter() bool {
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	if s.closed {
		return false
	}
	s.active.Add(1)
	return true
}

// Hub is the service's in-process socket hub.
func (s *Service) Hub() *Hub { return s.hub }

// Send stores a message and, if it is new, delivers it to every member's
// sockets. A retried client id returns the stored message without a second
// delivery. Concurrent sends share transactions (batch.go), so Send must
// not be called inside a transaction.
func (s *Service) Send(senderID, convID string, in SendInput) (SendResult, error) {
	res, err := s.submit(senderID, convID, in)
	if err != nil {
		return res, err
	}
	s.announce(convID, res)
	return res, nil
}

// SendInTx stores a message inside the caller's transaction, for modules
// whose own writes and the message must commit or fail together (a
// transfer and its card). Nothing is delivered: once the caller's
// transaction has committed, pass the result to Announce. Use only txApp
// inside the transaction, as everywhere.
func (s *Service) SendInTx(txApp core.App, senderID, convID string, in SendInput) (SendResult, error) {
	in, err := in.normalise()
	if err != nil {
		return SendResult{}, err
	}
	return s.sendTx(txApp, direct{txApp}, senderID, convID, in)
}

// SendCardInTx stores a card the calling module built from its own state
// (a transfer, a red packet, an AA collection) inside the caller's
// transaction: the one trusted path for cards a client may not ask for.
// The type must be registered; the card passes the same checks as any
// other. Pass the result to Announce after the commit.
func (s *Service) SendCardInTx(txApp core.App, senderID, convID, clientID string, card *Card) (SendResult, error) {
	if _, ok := s.reg.Card(card.Type); !ok {
		return SendResult{}, fmt.Errorf("chat: card type %q is not registered", card.Type)
	}
	if err := checkCard(card); err != nil {
		return SendResult{}, fmt.Errorf("chat: card %s: %w", card.Type, err)
	}
	return s.SendInTx(txApp, senderID, convID, SendInput{ClientID: clientID, Kind: MsgCard, card: card})
}

// Announce delivers a message stored by SendInTx after its transaction
// committed.
func (s *Service) Announce(convID string, res SendResult) { s.announce(convID, res) }

// announce delivers a newly stored message to the members' sockets (a
// retried client id was delivered the first time).
func (s *Service) announce(convID string, res SendResult) {
	if !res.New {
		return
	}
	f := Frame{T: "msg", C: convID, M: &res.Message}
	if res.hasVer {
		s.publishAt(convID, res.membersVer, f)
	} else {
		s.publish(convID, f)
	}
	s.accountMessage(convID, res)
}

// MarkRead moves the member's read position and tells their other tabs.
func (s *Service) MarkRead(memberID, convID string, seq int64) (int64, error) {
	read, err := MarkRead(s.app, memberID, convID, seq)
	if err != nil {
		return 0, err
	}
	s.readReceipt(memberID, convID, read)
	s.toMember(memberID, Frame{T: "read", C: convID, Seq: read})
	return read, nil
}

func (s *Service) toMember(memberID string, f Frame) {
	s.deliver([]string{memberID}, f)
}

func (s *Service) deliver(memberIDs []string, f Frame) { s.Push(memberIDs, f) }

// Push sends one frame (a JSON object with its "t") to every open socket
// of each member, at once: how other modules (Moments' notifications…)
// tell members' tabs what changed. Frames of a chat's messages go through
// publish instead, which keeps them in sequence order.
func (s *Service) Push(memberIDs []string, frame any) {
	data, err := json.Marshal(frame)
	if err != nil {
		s.app.Logger().Error("chat: encode frame", "error", err.Error())
		return
	}
	s.out.Deliver(memberIDs, data)
}
