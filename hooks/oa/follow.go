package oa

import (
	"fmt"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/chat"
	"plaza/hooks/problem"
)

// ReplyWindow is how long after a follower last wrote an operator may
// answer them.
const ReplyWindow = 48 * time.Hour

// stamp is now in the database's date format.
func (s *Service) stamp() string { return s.now().Format(types.DefaultDateLayout) }

// today is the UTC day of now.
func (s *Service) today() string { return s.now().Format(time.DateOnly) }

// addDaily adds one to an account's day's counter (followed, unfollowed
// or reads).
func addDaily(tx core.App, accountID, day, counter string) error {
	return addDailyN(tx, accountID, day, counter, 1)
}

// addDailyN adds n to an account's day's counter.
func addDailyN(tx core.App, accountID, day, counter string, n int) error {
	_, err := tx.DB().NewQuery(`INSERT INTO oa_daily (id, account, day, followed, unfollowed, reads)
		VALUES ({:id}, {:a}, {:d}, 0, 0, 0) ON CONFLICT (account, day) DO NOTHING`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": accountID, "d": day}).Execute()
	if err != nil {
		return fmt.Errorf("daily row: %w", err)
	}
	_, err = tx.DB().NewQuery(`UPDATE oa_daily SET ` + counter + ` = ` + counter + ` + {:n} WHERE account = {:a} AND day = {:d}`).
		Bind(dbx.Params{"a": accountID, "d": day, "n": n}).Execute()
	if err != nil {
		return fmt.Errorf("daily %s: %w", counter, err)
	}
	return nil
}

// Follow makes memberID follow the approved account accountID, opens
// their chat with it (folded into Subscriptions for a subscription
// account) and posts the account's welcome text there; it returns that
// text ("" when it has none, or when memberID followed it already).
func (s *Service) Follow(memberID, accountID string) (string, error) {
	a, err := s.AccountByID(memberID, accountID)
	if err != nil || a.Status != StatusApproved || memberID == "" {
		return "", notFound()
	}
	welcome := ""
	var posted *chat.SendResult
	err = s.app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery(`INSERT INTO oa_follows (id, account, member, at, last_message_at)
			SELECT {:id}, id, {:m}, {:at}, '' FROM oa_accounts WHERE id = {:a} AND status = 'approved'
			ON CONFLICT (member, account) DO NOTHING`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": accountID, "m": memberID, "at": s.stamp()}).Execute()
		if err != nil {
			return fmt.Errorf("follow: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if err := tx.DB().NewQuery(`UPDATE oa_accounts SET followers = followers + 1 WHERE id = {:a} RETURNING welcome`).
			Bind(dbx.Params{"a": accountID}).Row(&welcome); err != nil {
			return fmt.Errorf("count follower: %w", err)
		}
		if posted, err = s.openChat(tx, a, memberID, welcome); err != nil {
			return err
		}
		return addDaily(tx, accountID, s.today(), "followed")
	})
	if err == nil {
		s.announce(posted)
	}
	return welcome, err
}

// Unfollow stops memberID following accountID (nothing when they did not).
func (s *Service) Unfollow(memberID, accountID string) error {
	return s.app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery(`DELETE FROM oa_follows WHERE member = {:m} AND account = {:a}`).
			Bind(dbx.Params{"m": memberID, "a": accountID}).Execute()
		if err != nil {
			return fmt.Errorf("unfollow: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if _, err := tx.DB().NewQuery(`UPDATE oa_accounts SET followers = max(0, followers - 1) WHERE id = {:a}`).
			Bind(dbx.Params{"a": accountID}).Execute(); err != nil {
			return fmt.Errorf("uncount follower: %w", err)
		}
		if err := chat.LeaveAccountChat(tx, accountID, memberID); err != nil {
			return err
		}
		return addDaily(tx, accountID, s.today(), "unfollowed")
	})
}

// Followed is an account a member follows, with its latest article.
type Followed struct {
	Account   string `json:"account" db:"account"`
	Handle    string `json:"handle" db:"handle"`
	Name      string `json:"name" db:"name"`
	Kind      string `json:"kind" db:"kind"`
	Verified  bool   `json:"verified" db:"verified"`
	HasAvatar bool   `json:"has_avatar" db:"has_avatar"`
	// Latest is the newest published article's id, title and time ("" for
	// none yet).
	Latest      string `json:"latest" db:"latest"`
	LatestTitle string `json:"latest_title" db:"latest_title"`
	LatestAt    string `json:"latest_at" db:"latest_at"`
	// Unread: the latest article came out after the member last opened
	// Subscriptions.
	Unread bool `json:"unread" db:"unread"`
	// Conversation is the member's chat with the account.
	Conversation string `json:"conversation" db:"conversation"`
}

// Followed are the approved accounts memberID follows, the one with the
// newest article first (the Subscriptions list): one query, one index
// seek per account for its latest article.
func (s *Service) Followed(memberID string) ([]Followed, error) {
	var out []Followed
	err := s.app.DB().NewQuery(`SELECT a.id AS account, a.handle, a.name, a.kind, a.verified, (a.avatar != '') AS has_avatar,
			coalesce(l.id, '') AS latest, coalesce(l.title, '') AS latest_title, coalesce(l.published_at, '') AS latest_at,
			coalesce(l.published_at > coalesce(f.seen_at, ''), 0) AS unread, f.conversation
		FROM oa_follows f
		JOIN oa_accounts a ON a.id = f.account AND a.status = 'approved'
		LEFT JOIN oa_articles l ON l.id = (SELECT x.id FROM oa_articles x
			WHERE x.account = f.account AND x.published_at > '' ORDER BY x.published_at DESC LIMIT 1)
		WHERE f.member = {:m}
		ORDER BY latest_at DESC, a.name`).Bind(dbx.Params{"m": memberID}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("followed accounts: %w", err)
	}
	return out, nil
}

// TouchFollowerMessage records that followerID just wrote to accountID,
// opening the operators' reply window; only a follower may write.
func (s *Service) TouchFollowerMessage(followerID, accountID string) error {
	res, err := s.app.DB().NewQuery(`UPDATE oa_follows SET last_message_at = {:at}
		WHERE member = {:m} AND account = {:a}
		  AND EXISTS (SELECT 1 FROM oa_accounts WHERE id = {:a} AND status = 'approved')`).
		Bind(dbx.Params{"at": s.stamp(), "m": followerID, "a": accountID}).Execute()
	if err != nil {
		return fmt.Errorf("touch follower: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound()
	}
	return nil
}

// CanReply says until when operatorID may answer followerID on accountID:
// oa.not_found for one who does not run it or a member who does not
// follow it, oa.reply_window_closed (403) when the follower last wrote
// more than ReplyWindow ago, or never.
func (s *Service) CanReply(operatorID, accountID, followerID string) (time.Time, error) {
	if _, err := s.console(operatorID, accountID); err != nil {
		return time.Time{}, err
	}
	var last []string
	if err := s.app.DB().NewQuery(`SELECT last_message_at FROM oa_follows WHERE member = {:m} AND account = {:a}`).
		Bind(dbx.Params{"m": followerID, "a": accountID}).Column(&last); err != nil {
		return time.Time{}, fmt.Errorf("read follow: %w", err)
	}
	if len(last) == 0 {
		return time.Time{}, notFound()
	}
	at, err := types.ParseDateTime(last[0])
	if err != nil || at.IsZero() {
		return time.Time{}, problem.New(http.StatusForbidden, "oa.reply_window_closed")
	}
	until := at.Time().Add(ReplyWindow)
	if !s.now().Before(until) {
		return until, problem.New(http.StatusForbidden, "oa.reply_window_closed")
	}
	return until, nil
}
