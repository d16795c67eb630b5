package oa

import (
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Delivery: a broadcast answers at once; the followers are reached after,
// off the request (docs/OFFICIAL_ACCOUNTS.md, "Broadcasts"). A
// subscription account's broadcast is one frame to every follower's open
// tabs (the Subscriptions row shows it with a dot: nothing is stored per
// follower, and nothing rings). A service account's is a card message in
// each follower's chat with it, followers online first, then everyone in
// batches by member id; each batch of the walk commits with the
// broadcast's cursor, and a message is stored once per broadcast and chat
// (its client id), so a restart resumes where it stopped (the cron job
// wakes the delivery every minute) and sends nothing twice.

// How many followers one delivery transaction reaches: few while the
// online followers wait (the first sockets have it sooner), more in the
// walk of all followers after; small either way, since a transaction
// holds SQLite's one writer (a member's send waits behind it).
const (
	onlineBatch   = 100
	deliveryBatch = 250
)

// deliverer runs at most one delivery at a time, started by a wake.
type deliverer struct {
	mu      sync.Mutex
	running bool
	again   bool
	idle    sync.Cond
	replies sync.WaitGroup // automatic answers being posted (conversations.go)
}

// wakeDelivery starts delivering the broadcasts sent and not yet
// delivered, on a goroutine of its own (once: a wake while it runs makes
// it look again when done).
func (s *Service) wakeDelivery() {
	d := &s.delivery
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.running {
		d.again = true
		return
	}
	d.running = true
	go s.deliverLoop()
}

func (s *Service) deliverLoop() {
	d := &s.delivery
	for {
		if err := s.DeliverPending(); err != nil {
			s.app.Logger().Error("oa: deliver broadcasts", "error", err.Error())
		}
		d.mu.Lock()
		if !d.again {
			d.running = false
			if d.idle.L != nil {
				d.idle.Broadcast()
			}
			d.mu.Unlock()
			return
		}
		d.again = false
		d.mu.Unlock()
	}
}

// WaitDelivered waits until no delivery is running and every automatic
// answer under way is posted (tests, the demo, shutdown).
func (s *Service) WaitDelivered() {
	d := &s.delivery
	d.replies.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.idle.L == nil {
		d.idle.L = &d.mu
	}
	for d.running {
		d.idle.Wait()
	}
}

// pendingBroadcast is a broadcast sent and not yet delivered.
type pendingBroadcast struct {
	ID      string `db:"id"`
	Account string `db:"account"`
	Article string `db:"article"`
	Kind    string `db:"kind"`
	Name    string `db:"name"`
	Title   string `db:"title"`
	SentAt  string `db:"sent_at"`
	Cursor  string `db:"cursor"`
}

// DeliverPending delivers every broadcast sent and not yet delivered, the
// oldest first.
func (s *Service) DeliverPending() error {
	var pending []pendingBroadcast
	if err := s.app.DB().NewQuery(`SELECT b.id, b.account, b.article, a.kind, a.name, x.title, b.sent_at, b.cursor
		FROM oa_broadcasts b JOIN oa_accounts a ON a.id = b.account JOIN oa_articles x ON x.id = b.article
		WHERE b.status = 'sent' AND b.delivered = 0 ORDER BY b.sent_at`).All(&pending); err != nil {
		return fmt.Errorf("pending broadcasts: %w", err)
	}
	for _, b := range pending {
		var err error
		if b.Kind == KindService {
			err = s.deliverChats(b)
		} else {
			err = s.deliverFrames(b)
		}
		if err != nil {
			return fmt.Errorf("deliver broadcast %s: %w", b.ID, err)
		}
	}
	return nil
}

// followers are up to n of an account's followers after member id after,
// in id order, with their chats.
func (s *Service) followers(accountID, after string, n int) ([]follower, error) {
	var out []follower
	err := s.app.DB().NewQuery(`SELECT member, conversation FROM oa_follows WHERE account = {:a} AND member > {:after}
		ORDER BY member LIMIT {:n}`).Bind(dbx.Params{"a": accountID, "after": after, "n": n}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("read followers: %w", err)
	}
	return out, nil
}

type follower struct {
	Member string `db:"member"`
	Conv   string `db:"conversation"`
}

// deliverFrames tells every follower's open tabs of a subscription
// account's article: one frame, nothing stored per follower.
func (s *Service) deliverFrames(b pendingBroadcast) error {
	frame := SubscriptionsFrame{T: "oa_subscriptions", Preview: b.Name + ": " + b.Title}
	if at, err := types.ParseDateTime(b.SentAt); err == nil {
		frame.At = at.Time().UTC().Format(time.RFC3339)
	}
	after := b.Cursor
	for {
		batch, err := s.followers(b.Account, after, 5000)
		if err != nil {
			return err
		}
		ids := make([]string, len(batch))
		for i, f := range batch {
			ids[i] = f.Member
		}
		if s.chat != nil && len(ids) > 0 {
			s.chat.Push(ids, frame)
		}
		if len(batch) < 5000 {
			return s.markDelivered(b.ID)
		}
		after = batch[len(batch)-1].Member
	}
}

// markDelivered records a broadcast delivered to every follower.
func (s *Service) markDelivered(broadcastID string) error {
	_, err := s.app.DB().NewQuery(`UPDATE oa_broadcasts SET delivered = 1 WHERE id = {:b}`).
		Bind(dbx.Params{"b": broadcastID}).Execute()
	if err != nil {
		return fmt.Errorf("mark delivered: %w", err)
	}
	return nil
}
