package oa

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Reads are counted once per reader per article per day (never a read by
// one who runs the account), as Channels counts views: a member by their
// id, a signed-out visitor by their daily key (hooks/visitors: no address
// is stored).

// Reader says who reads an article: a member, or a visitor's address.
type Reader struct {
	MemberID string
	Addr     string
}

// CountRead counts one read of a published article, once per reader per
// day; it returns whether this one counted. A draft, a missing article or
// one of an account not approved counts nothing.
func (s *Service) CountRead(r Reader, articleID string) (bool, error) {
	day := s.today()
	key := r.MemberID
	if key == "" {
		key = s.visits.Key(day, r.Addr)
	}
	params := dbx.Params{"id": core.GenerateDefaultRandomId(), "r": articleID, "v": key, "m": r.MemberID, "d": day}
	var seen int // a read counted already needs no write (nor the write lock)
	if err := s.app.DB().NewQuery(`SELECT count(*) FROM oa_article_reads WHERE article = {:r} AND viewer = {:v} AND day = {:d}`).
		Bind(params).Row(&seen); err != nil {
		return false, fmt.Errorf("read read: %w", err)
	}
	if seen > 0 {
		return false, nil
	}
	counted := false
	err := s.app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery(`INSERT INTO oa_article_reads (id, article, viewer, day)
			SELECT {:id}, r.id, {:v}, {:d} FROM oa_articles r JOIN oa_accounts c ON c.id = r.account AND c.status = 'approved'
			WHERE r.id = {:r} AND r.published_at > '' AND c.owner != {:m}
			  AND NOT EXISTS (SELECT 1 FROM oa_operators o WHERE o.account = r.account AND o.member = {:m})
			ON CONFLICT (article, viewer, day) DO NOTHING`).Bind(params).Execute()
		if err != nil {
			return fmt.Errorf("insert read: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // not readable, or counted meanwhile
		}
		counted = true
		var account string
		if err := tx.DB().NewQuery(`UPDATE oa_articles SET reads = reads + 1 WHERE id = {:r} RETURNING account`).
			Bind(params).Row(&account); err != nil {
			return fmt.Errorf("count read: %w", err)
		}
		return addDaily(tx, account, day, "reads")
	})
	return counted, err
}

// PruneReads forgets the read rows of days before the last two (the counts
// stay on the articles and in the daily stats); the cron job runs it.
func (s *Service) PruneReads() error {
	_, err := s.app.DB().NewQuery(`DELETE FROM oa_article_reads WHERE day < {:d}`).
		Bind(dbx.Params{"d": s.now().AddDate(0, 0, -2).Format("2006-01-02")}).Execute()
	if err != nil {
		return fmt.Errorf("prune reads: %w", err)
	}
	return nil
}
