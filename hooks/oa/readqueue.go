package oa

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/visitors"
)

// The public article page counts its reads off the request path
// (QueueRead, a visitors.Batch, as Channels' views): the reads noted in
// the last second are written in one transaction (FlushReads). The JSON
// API's GET of an article still counts synchronously (CountRead).

// queuedRead is one read waiting to be written: the article, the reader's
// key (a member's id or a visitor's daily key), the member ("" for a
// visitor: they run no account) and the day.
type queuedRead struct{ article, viewer, member, day string }

// readRowsPerStatement is how many reads one INSERT writes.
const readRowsPerStatement = 200

// newReadBatch is the service's batch of page reads.
func (s *Service) newReadBatch() *visitors.Batch[queuedRead] {
	return &visitors.Batch[queuedRead]{Every: time.Second, Limit: 20000,
		Write: func(reads []queuedRead) error {
			return s.app.RunInTransaction(func(tx core.App) error { return writeReads(tx, reads) })
		},
		Dropped: func(n int) { s.app.Logger().Warn("oa: read queue full, reads dropped", "dropped", n) },
		Failed:  func(err error) { s.app.Logger().Error("oa: write queued reads", "error", err.Error()) }}
}

// QueueRead notes one read of an article for the next write (at most a
// second away), once per reader per day as CountRead; after the app began
// to shut down it counts at once.
func (s *Service) QueueRead(r Reader, articleID string) error {
	day := s.today()
	key := r.MemberID
	if key == "" {
		key = s.visits.Key(day, r.Addr)
	}
	if s.reads.Add(queuedRead{articleID, key, r.MemberID, day}) {
		return nil
	}
	_, err := s.CountRead(r, articleID)
	return err
}

// FlushReads writes the reads noted since the last write now.
func (s *Service) FlushReads() error { return s.reads.Flush() }

// writeReads inserts reads in tx (those counted already, of an article
// not readable, or by one who runs its account count nothing) and adds
// the new ones to their articles' counts and accounts' days.
func writeReads(tx core.App, reads []queuedRead) error {
	type articleDay struct{ article, day string }
	added := map[articleDay]int{}
	for len(reads) > 0 {
		batch := reads[:min(len(reads), readRowsPerStatement)]
		reads = reads[len(batch):]
		params := dbx.Params{}
		var values strings.Builder
		for i, r := range batch {
			n := strconv.Itoa(i)
			if i > 0 {
				values.WriteString(", ")
			}
			values.WriteString("({:i" + n + "}, {:a" + n + "}, {:v" + n + "}, {:m" + n + "}, {:d" + n + "})")
			params["i"+n], params["a"+n], params["v"+n], params["m"+n], params["d"+n] =
				core.GenerateDefaultRandomId(), r.article, r.viewer, r.member, r.day
		}
		var rows []struct {
			Article string `db:"article"`
			Day     string `db:"day"`
		}
		if err := tx.DB().NewQuery(`WITH v(id, article, viewer, member, day) AS (VALUES ` + values.String() + `)
			INSERT INTO oa_article_reads (id, article, viewer, day)
			SELECT v.id, v.article, v.viewer, v.day FROM v JOIN oa_articles r ON r.id = v.article AND r.published_at > ''
			JOIN oa_accounts c ON c.id = r.account AND c.status = 'approved'
			WHERE c.owner != v.member
			  AND NOT EXISTS (SELECT 1 FROM oa_operators o WHERE o.account = r.account AND o.member = v.member)
			ON CONFLICT (article, viewer, day) DO NOTHING
			RETURNING article, day`).Bind(params).All(&rows); err != nil {
			return fmt.Errorf("insert reads: %w", err)
		}
		for _, r := range rows {
			added[articleDay{r.Article, r.Day}]++
		}
	}
	for ad, n := range added {
		var account string
		if err := tx.DB().NewQuery(`UPDATE oa_articles SET reads = reads + {:n} WHERE id = {:r} RETURNING account`).
			Bind(dbx.Params{"n": n, "r": ad.article}).Row(&account); err != nil {
			return fmt.Errorf("count reads: %w", err)
		}
		if err := addDailyN(tx, account, ad.day, "reads", n); err != nil {
			return err
		}
	}
	return nil
}
