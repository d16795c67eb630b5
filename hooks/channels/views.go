package channels

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Views are counted once per viewer per post per day (never the
// channel's owner's own): a member by their id, a signed-out visitor by a
// key made from their address (visitorNet)
// under a random salt that lives one day in this process's memory only.
// No address is stored, and yesterday's keys cannot be linked to today's
// (docs/CHANNELS.md, "Views").

// visitorKeys makes signed-out visitors' daily keys.
type visitorKeys struct {
	mu   sync.Mutex
	day  string
	salt []byte
}

// key is the visitor's key for day.
func (k *visitorKeys) key(day, addr string) string {
	k.mu.Lock()
	if k.day != day {
		k.day, k.salt = day, make([]byte, 32)
		if _, err := rand.Read(k.salt); err != nil {
			panic(fmt.Sprintf("channels: no randomness: %v", err)) // crypto/rand never fails on Linux
		}
	}
	salt := k.salt
	k.mu.Unlock()
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(visitorNet(addr)))
	return "v:" + hex.EncodeToString(m.Sum(nil)[:16])
}

// Viewer says who views a post: a member, or a visitor's address.
type Viewer struct {
	MemberID string
	Addr     string
}

// visitorNet is what a signed-out visitor is known by: their IPv4
// address, or the /64 network of an IPv6 one (a host picks any address in
// it). Changing one's browser or its User-Agent changes nothing.
func visitorNet(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Is4() || ip.Is4In6() {
		return addr
	}
	p, err := ip.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// CountView counts one view of a post, once per viewer per day; it
// returns whether this one counted. A taken-down or missing post counts
// nothing.
func (s *Service) CountView(v Viewer, postID string) (bool, error) {
	day := s.now().Format("2006-01-02")
	key := v.MemberID
	if key == "" {
		key = s.visits.key(day, v.Addr)
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
		return addDaily(tx, c.Channel, day, "views")
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

// Register adds Channels' cron job to app: once a day, forget the view
// rows of days past (PruneViews).
func Register(app core.App, s *Service) {
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
