package channels

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Views are counted once per viewer per post per day (never the
// channel's owner's own): a member by their id, a signed-out visitor by
// their daily key (hooks/visitors: no address is stored; docs/CHANNELS.md,
// "Views").

// Viewer says who views a post: a member, or a visitor's address.
type Viewer struct {
	MemberID string
	Addr     string
}

// CountView counts one view of a post, once per viewer per day; it
// returns whether this one counted. A taken-down or missing post counts
// nothing.
func (s *Service) CountView(v Viewer, postID string) (bool, error) {
	day := s.now().Format("2006-01-02")
	key := v.MemberID
	if key == "" {
		key = s.visits.Key(day, v.Addr)
	}
	params := dbx.Params{"id": s.viewID(), "p": postID, "v": key, "d": day}
	var seen int // a view counted already needs no write (nor the write lock)
	if err := s.app.DB().NewQuery(`SELECT count(*) FROM channels_views WHERE post = {:p} AND viewer = {:v} AND day = {:d}`).
		Bind(params).Row(&seen); err != nil {
		return false, fmt.Errorf("read view: %w", err)
	}
	if seen > 0 {
		return false, nil
	}
	counted := false
	err := s.app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery(`INSERT INTO channels_views (id, post, viewer, day)
			SELECT {:id}, id, {:v}, {:d} FROM channels_posts WHERE id = {:p} AND taken_down = 0
				AND channel NOT IN (SELECT id FROM channels WHERE owner = {:v})
			ON CONFLICT (post, viewer, day) DO NOTHING`).Bind(params).Execute()
		if err != nil {
			return fmt.Errorf("insert view: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // gone, or counted meanwhile
		}
		counted = true
		var c counts
		if err := tx.DB().NewQuery(`UPDATE channels_posts SET views = views + 1 WHERE id = {:p}
			RETURNING channel, likes, comments, views, posted`).Bind(params).One(&c); err != nil {
			return fmt.Errorf("count view: %w", err)
		}
		if err := setHot(tx, postID, c); err != nil {
			return err
		}
		return addDaily(tx, c.Channel, day, "views", 1)
	})
	return counted, err
}

// PruneViews forgets the view rows of days before the last two (the
// counts stay on the posts and in the daily stats); the cron job runs it.
func (s *Service) PruneViews() error {
	_, err := s.app.DB().NewQuery(`DELETE FROM channels_views WHERE day < {:d}`).
		Bind(dbx.Params{"d": s.now().AddDate(0, 0, -2).Format("2006-01-02")}).Execute()
	if err != nil {
		return fmt.Errorf("prune views: %w", err)
	}
	return nil
}

// Register adds Channels' cron job to app (once a day, forget the view
// rows of days past: PruneViews) and writes the queued views when the app
// terminates.
func Register(app core.App, s *Service) {
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if err := s.views.Close(); err != nil {
			e.App.Logger().Error("channels: write queued views", "error", err.Error())
		}
		return e.Next()
	})
	app.Cron().MustAdd("channels_prune_views", "17 3 * * *", func() {
		if err := s.PruneViews(); err != nil {
			app.Logger().Error("channels: prune views", "error", err.Error())
		}
	})
}

// viewID is a new id for a channels_views row, in time order: the rows
// and their primary key grow at the right edge of their B-trees instead
// of at a random page each (a random id made every counted view dirty one
// more page, and every checkpoint copy a hundred more: the post page's
// p99, docs/PERFORMANCE.md, "Channels"). Strictly increasing within the
// service; two random characters after the time.
func (s *Service) viewID() string {
	now := time.Now().UnixNano()
	for {
		last := s.lastView.Load()
		if now <= last {
			now = last + 1
		}
		if s.lastView.CompareAndSwap(last, now) {
			break
		}
	}
	id := strconv.FormatInt(now, 36) // 13 characters until 2059
	return id + core.GenerateDefaultRandomId()[:15-len(id)]
}
