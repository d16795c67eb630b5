package channels

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/visitors"
)

// The public post page counts its views off the request path (QueueView,
// a visitors.Batch): the views noted in the last second are written in
// one transaction (FlushViews). The JSON API's GET of a post still counts
// synchronously (CountView), so a client sees its own view.

// queuedView is one view waiting to be written.
type queuedView struct{ post, viewer, day string }

// newViewBatch is the service's batch of page views.
func (s *Service) newViewBatch() *visitors.Batch[queuedView] {
	return &visitors.Batch[queuedView]{Every: time.Second, Limit: 20000,
		Write: func(views []queuedView) error {
			return s.app.RunInTransaction(func(tx core.App) error { return s.writeViews(tx, views) })
		},
		Dropped: func(n int) { s.app.Logger().Warn("channels: view queue full, views dropped", "dropped", n) },
		Failed:  func(err error) { s.app.Logger().Error("channels: write queued views", "error", err.Error()) }}
}

// QueueView notes one view of a post for the next write (at most a second
// away), once per viewer per day as CountView; after the app began to
// shut down it counts at once.
func (s *Service) QueueView(v Viewer, postID string) error {
	day := s.now().Format("2006-01-02")
	key := v.MemberID
	if key == "" {
		key = s.visits.Key(day, v.Addr)
	}
	if s.views.Add(queuedView{postID, key, day}) {
		return nil
	}
	_, err := s.CountView(v, postID)
	return err
}

// FlushViews writes the views noted since the last write now.
func (s *Service) FlushViews() error { return s.views.Flush() }

// viewRowsPerStatement is how many views one INSERT writes: one
// statement per batch instead of one per view (each statement costs a
// statement journal and a parse: 0.26 ms a view one by one).
const viewRowsPerStatement = 200

// valuesCTE is `WITH v(cols) AS (VALUES (…), …)` for n rows of the named
// columns, each row's parameters named by the column's first letter and
// the row's index ({:p0}, {:v0}…).
func valuesCTE(cols []string, n int) string {
	var sql strings.Builder
	sql.WriteString("WITH v(" + strings.Join(cols, ", ") + ") AS (VALUES ")
	for i := range n {
		if i > 0 {
			sql.WriteString(", ")
		}
		marks := make([]string, len(cols))
		for j, c := range cols {
			marks[j] = "{:" + c[:1] + strconv.Itoa(i) + "}"
		}
		sql.WriteString("(" + strings.Join(marks, ", ") + ")")
	}
	sql.WriteString(")")
	return sql.String()
}

// writeViews inserts views in tx (those counted already, of a post gone,
// or the owner's own count nothing) and adds the new ones to their posts'
// counts, Popular scores and channels' days.
func (s *Service) writeViews(tx core.App, views []queuedView) error {
	type postDay struct{ post, day string }
	added := map[postDay]int{}
	for len(views) > 0 {
		batch := views[:min(len(views), viewRowsPerStatement)]
		views = views[len(batch):]
		params := dbx.Params{}
		for i, v := range batch {
			n := strconv.Itoa(i)
			params["i"+n], params["p"+n], params["v"+n], params["d"+n] = s.viewID(), v.post, v.viewer, v.day
		}
		var rows []struct {
			Post string `db:"post"`
			Day  string `db:"day"`
		}
		if err := tx.DB().NewQuery(valuesCTE([]string{"id", "post", "viewer", "day"}, len(batch)) + `
			INSERT INTO channels_views (id, post, viewer, day)
			SELECT v.id, v.post, v.viewer, v.day FROM v JOIN channels_posts p ON p.id = v.post AND p.taken_down = 0
			WHERE p.channel NOT IN (SELECT id FROM channels WHERE owner = v.viewer)
			ON CONFLICT (post, viewer, day) DO NOTHING
			RETURNING post, day`).Bind(params).All(&rows); err != nil {
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
