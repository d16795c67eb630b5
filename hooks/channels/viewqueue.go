package channels

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The public post page counts its views off the request path: QueueView
// notes the view in memory and a timer writes all the views noted in the
// last second in one transaction (FlushViews). A page then never waits for
// the write lock nor a disk flush (docs/PERFORMANCE.md, "Channels"); the
// count a reader sees lags by up to a second. The JSON API's GET of a post
// still counts synchronously (CountView), so a client sees its own view.

// Tuning of the view queue.
const (
	viewFlushEvery = time.Second
	viewQueueLimit = 20000 // views waiting at most; more are dropped (a flood, not readers)
)

// queuedView is one view waiting to be written.
type queuedView struct{ post, viewer, day string }

// viewQueue holds the views noted since the last flush.
type viewQueue struct {
	mu      sync.Mutex
	pending map[queuedView]struct{}
	timer   *time.Timer
	closed  bool       // the app is shutting down: count synchronously
	flushMu sync.Mutex // one flush at a time
	dropped int        // views dropped since the last flush (a full queue)
}

// QueueView notes one view of a post for the next flush (at most a second
// away), once per viewer per day as CountView. A full queue drops the view
// and logs it at the next flush.
func (s *Service) QueueView(v Viewer, postID string) error {
	day := s.now().Format("2006-01-02")
	key := v.MemberID
	if key == "" {
		key = s.visits.Key(day, v.Addr)
	}
	q := &s.views
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		_, err := s.CountView(v, postID)
		return err
	}
	if q.pending == nil {
		q.pending = make(map[queuedView]struct{})
	}
	if len(q.pending) >= viewQueueLimit {
		q.dropped++
	} else {
		q.pending[queuedView{postID, key, day}] = struct{}{}
	}
	if q.timer == nil {
		q.timer = time.AfterFunc(viewFlushEvery, s.flushLogged)
	}
	q.mu.Unlock()
	return nil
}

// flushLogged is the timer's flush: an error is logged (the views are
// lost: a count, not money).
func (s *Service) flushLogged() {
	if err := s.FlushViews(); err != nil {
		s.app.Logger().Error("channels: write queued views", "error", err.Error())
	}
}

// FlushViews writes the views noted since the last flush now, in one
// transaction (the timer calls it; tests call it to read a count at once).
func (s *Service) FlushViews() error {
	q := &s.views
	q.flushMu.Lock()
	defer q.flushMu.Unlock()
	q.mu.Lock()
	batch, dropped := q.pending, q.dropped
	q.pending, q.dropped = nil, 0
	if q.timer != nil {
		q.timer.Stop()
		q.timer = nil
	}
	q.mu.Unlock()
	if dropped > 0 {
		s.app.Logger().Warn("channels: view queue full, views dropped", "dropped", dropped)
	}
	if len(batch) == 0 {
		return nil
	}
	views := make([]queuedView, 0, len(batch))
	for v := range batch {
		views = append(views, v)
	}
	return s.app.RunInTransaction(func(tx core.App) error { return s.writeViews(tx, views) })
}

// viewRowsPerStatement is how many views one INSERT writes: one
// statement per batch instead of one per view (each statement costs a
// statement journal and a parse: 0.26 ms a view one by one).
const viewRowsPerStatement = 200

// writeViews inserts views in tx (those counted already, of a post gone,
// or the owner's own count nothing) and adds the new ones to their posts'
// counts, Popular scores and channels' days.
func (s *Service) writeViews(tx core.App, views []queuedView) error {
	type postDay struct{ post, day string }
	added := map[postDay]int{}
	for len(views) > 0 {
		batch := views[:min(len(views), viewRowsPerStatement)]
		views = views[len(batch):]
		var sql strings.Builder
		params := dbx.Params{}
		sql.WriteString("WITH v(id, post, viewer, day) AS (VALUES ")
		for i, v := range batch {
			if i > 0 {
				sql.WriteString(", ")
			}
			n := strconv.Itoa(i)
			fmt.Fprintf(&sql, "({:i%s}, {:p%s}, {:v%s}, {:d%s})", n, n, n, n)
			params["i"+n], params["p"+n], params["v"+n], params["d"+n] = s.viewID(), v.post, v.viewer, v.day
		}
		sql.WriteString(`)
			INSERT INTO channels_views (id, post, viewer, day)
			SELECT v.id, v.post, v.viewer, v.day FROM v JOIN channels_posts p ON p.id = v.post AND p.taken_down = 0
			WHERE p.channel NOT IN (SELECT id FROM channels WHERE owner = v.viewer)
			ON CONFLICT (post, viewer, day) DO NOTHING
			RETURNING post, day`)
		var rows []struct {
			Post string `db:"post"`
			Day  string `db:"day"`
		}
		if err := tx.DB().NewQuery(sql.String()).Bind(params).All(&rows); err != nil {
			return fmt.Errorf("insert views: %w", err)
		}
		for _, r := range rows {
			added[postDay{r.Post, r.Day}]++
		}
	}
	for pd, n := range added {
		var c counts
		if err := tx.DB().NewQuery(`UPDATE channels_posts SET views = views + {:n} WHERE id = {:p}
			RETURNING channel, likes, comments, views, posted`).Bind(dbx.Params{"n": n, "p": pd.post}).One(&c); err != nil {
			return fmt.Errorf("count views: %w", err)
		}
		if err := setHot(tx, pd.post, c); err != nil {
			return err
		}
		if err := addDaily(tx, c.Channel, pd.day, "views", n); err != nil {
			return err
		}
	}
	return nil
}

// closeViews writes what is queued and makes later views count
// synchronously: the app is shutting down.
func (s *Service) closeViews() error {
	s.views.mu.Lock()
	s.views.closed = true
	s.views.mu.Unlock()
	return s.FlushViews()
}
