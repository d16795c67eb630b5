package oa

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
	"plaza/hooks/settings"
)

// ScheduleMax is how far ahead a broadcast may be scheduled.
const ScheduleMax = 30 * 24 * time.Hour

// Statuses of a broadcast.
const (
	BroadcastScheduled = "scheduled"
	BroadcastSent      = "sent"
	BroadcastCancelled = "cancelled"
)

// Broadcast is an article sent (or to be sent) to an account's followers.
type Broadcast struct {
	ID          string `json:"id" db:"id"`
	Account     string `json:"account" db:"account"`
	Article     string `json:"article" db:"article"`
	Status      string `json:"status" db:"status"`
	ScheduledAt string `json:"scheduled_at" db:"scheduled_at"`
	SentAt      string `json:"sent_at" db:"sent_at"`
}

// quotaPeriod is the period a broadcast at t counts toward: its UTC day
// for a subscription account, its UTC month for a service account, with
// the community's quota for it.
func quotaPeriod(kind string, t time.Time, lim settings.Settings) (from, to time.Time, quota int) {
	t = t.UTC()
	if kind == KindService {
		from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 1, 0), lim.OAServicePerMonth
	}
	from = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(0, 0, 1), lim.OASubscriptionPerDay
}

// Broadcast sends an article to its account's followers at at (now when
// at is zero or past), for one who runs the account. Sent and scheduled
// broadcasts count toward the quota of their day (subscription) or month
// (service): one over it answers oa.quota_exceeded (429). An article is
// broadcast once.
func (s *Service) Broadcast(memberID, articleID string, at time.Time) (Broadcast, error) {
	rec, err := s.articleRecord(memberID, articleID)
	if err != nil {
		return Broadcast{}, err
	}
	now := s.now()
	if at.IsZero() || at.Before(now) {
		at = now
	}
	if at.Sub(now) > ScheduleMax {
		return Broadcast{}, problem.Invalid("at", "oa.schedule_too_far", map[string]any{"days": int(ScheduleMax.Hours() / 24)})
	}
	b := Broadcast{ID: core.GenerateDefaultRandomId(), Account: rec.GetString("account"), Article: articleID,
		Status: BroadcastScheduled, ScheduledAt: at.UTC().Format(types.DefaultDateLayout)}
	if !at.After(now) {
		b.Status, b.SentAt = BroadcastSent, b.ScheduledAt
	}
	lim := settings.Get(s.app)
	err = s.app.RunInTransaction(func(tx core.App) error {
		acct, err := consoleIn(tx, memberID, b.Account)
		if err != nil {
			return err
		}
		var counts struct {
			Same   int `db:"same"`
			Period int `db:"period"`
		}
		from, to, quota := quotaPeriod(acct.Kind, at, lim)
		if err := tx.DB().NewQuery(`SELECT
				count(CASE WHEN article = {:r} THEN 1 END) AS same,
				count(CASE WHEN scheduled_at >= {:from} AND scheduled_at < {:to} THEN 1 END) AS period
			FROM oa_broadcasts WHERE account = {:a} AND status != 'cancelled'`).
			Bind(dbx.Params{"r": articleID, "a": b.Account, "from": from.Format(types.DefaultDateLayout),
				"to": to.Format(types.DefaultDateLayout)}).One(&counts); err != nil {
			return fmt.Errorf("count broadcasts: %w", err)
		}
		if counts.Same > 0 {
			return problem.New(http.StatusConflict, "oa.already_broadcast")
		}
		if counts.Period >= quota {
			return &problem.Problem{Status: http.StatusTooManyRequests, Key: "oa.quota_exceeded",
				Args: map[string]any{"quota": quota, "kind": acct.Kind}}
		}
		if _, err := tx.DB().NewQuery(`INSERT INTO oa_broadcasts (id, account, article, status, scheduled_at, sent_at, created)
			VALUES ({:id}, {:a}, {:r}, {:st}, {:at}, {:sent}, {:now})`).
			Bind(dbx.Params{"id": b.ID, "a": b.Account, "r": articleID, "st": b.Status, "at": b.ScheduledAt, "sent": b.SentAt,
				"now": now.Format(types.DefaultDateLayout)}).Execute(); err != nil {
			return fmt.Errorf("insert broadcast: %w", err)
		}
		if b.Status == BroadcastSent {
			return publish(tx, articleID, b.SentAt)
		}
		return nil
	})
	if err == nil && b.Status == BroadcastSent {
		s.wakeDelivery() // the followers are reached after the answer (delivery.go)
	}
	return b, err
}

// publish makes an article public from at (once: a published article
// keeps its first time).
func publish(tx core.App, articleID, at string) error {
	_, err := tx.DB().NewQuery(`UPDATE oa_articles SET published_at = {:at} WHERE id = {:r} AND published_at = ''`).
		Bind(dbx.Params{"at": at, "r": articleID}).Execute()
	if err != nil {
		return fmt.Errorf("publish article: %w", err)
	}
	return nil
}

// CancelBroadcast cancels a scheduled broadcast, for one who runs its
// account; its quota is freed.
func (s *Service) CancelBroadcast(memberID, broadcastID string) error {
	var account []string
	if err := s.app.DB().NewQuery(`SELECT account FROM oa_broadcasts WHERE id = {:b}`).
		Bind(dbx.Params{"b": broadcastID}).Column(&account); err != nil {
		return fmt.Errorf("find broadcast: %w", err)
	}
	if len(account) == 0 {
		return notFound()
	}
	if _, err := s.console(memberID, account[0]); err != nil {
		return err
	}
	res, err := s.app.DB().NewQuery(`UPDATE oa_broadcasts SET status = 'cancelled' WHERE id = {:b} AND status = 'scheduled'`).
		Bind(dbx.Params{"b": broadcastID}).Execute()
	if err != nil {
		return fmt.Errorf("cancel broadcast: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return problem.New(http.StatusConflict, "oa.broadcast_not_scheduled")
	}
	return nil
}

// Due are the scheduled broadcasts whose time has come, oldest first.
func (s *Service) Due() ([]Broadcast, error) {
	var out []Broadcast
	err := s.app.DB().NewQuery(`SELECT id, account, article, status, scheduled_at, sent_at FROM oa_broadcasts
		WHERE status = 'scheduled' AND scheduled_at <= {:now} ORDER BY scheduled_at LIMIT 500`).
		Bind(dbx.Params{"now": s.stamp()}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("due broadcasts: %w", err)
	}
	return out, nil
}

// MarkSent records a scheduled broadcast sent now and publishes its
// article; it reports whether this call sent it (false when it was sent
// or cancelled meanwhile).
func (s *Service) MarkSent(broadcastID string) (bool, error) {
	sent := false
	at := s.stamp()
	err := s.app.RunInTransaction(func(tx core.App) error {
		var article []string
		if err := tx.DB().NewQuery(`UPDATE oa_broadcasts SET status = 'sent', sent_at = {:at}
			WHERE id = {:b} AND status = 'scheduled' RETURNING article`).
			Bind(dbx.Params{"at": at, "b": broadcastID}).Column(&article); err != nil {
			return fmt.Errorf("mark sent: %w", err)
		}
		if len(article) == 0 {
			return nil
		}
		sent = true
		return publish(tx, article[0], at)
	})
	return sent, err
}

// SendDue sends every due broadcast (the cron job, each minute) and
// returns those it sent; the delivery to followers follows (delivery.go).
func (s *Service) SendDue() ([]Broadcast, error) {
	due, err := s.Due()
	if err != nil {
		return nil, err
	}
	var sent []Broadcast
	for _, b := range due {
		ok, err := s.MarkSent(b.ID)
		if err != nil {
			return sent, err
		}
		if ok {
			b.Status, b.SentAt = BroadcastSent, s.stamp()
			sent = append(sent, b)
		}
	}
	if len(sent) > 0 {
		s.wakeDelivery()
	}
	return sent, nil
}

// Broadcasts are accountID's broadcasts, newest first, for one who runs
// it.
func (s *Service) Broadcasts(memberID, accountID string) ([]Broadcast, error) {
	if _, err := s.console(memberID, accountID); err != nil {
		return nil, err
	}
	var out []Broadcast
	err := s.app.DB().NewQuery(`SELECT id, account, article, status, scheduled_at, sent_at FROM oa_broadcasts
		WHERE account = {:a} ORDER BY scheduled_at DESC LIMIT {:n}`).Bind(dbx.Params{"a": accountID, "n": ListMax}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("list broadcasts: %w", err)
	}
	return out, nil
}
