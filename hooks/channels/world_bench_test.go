package channels_test

// The benchmarks' world (bench_test.go): written with raw SQL in one
// transaction, once per test binary; each benchmark starts from a copy.
//
// 2,000 channels with 50 posts each (100,000 posts over the last year,
// one photo or video each, a hashtag each), 1,000,000 likes from 50,000
// members (most posts a few, one in a hundred a few hundred), up to three
// comments a post, a view count and Popular score from those counts, one
// view row a post today and 30 days of daily stats a channel. The member
// "me" follows 1,000 channels; two more members follow 20 and 50 (the
// last count the Following feed still reads channel by channel). One post
// (chan_0's, 2 hours old) has 300 top-level comments with 100 replies and
// 2,000 likes: the post page's benchmark opens it.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks"
	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/storage"
	"plaza/public"
)

const (
	benchChannels  = 2000
	benchPostsEach = 50
	benchLikers    = 50_000
	benchUsers     = 2000 // the first likers are members with a name: the commenters
	bigPostID      = "bigpost00000000"
	bigComments    = 300 // top-level; a third as many replies
	bigLikes       = 2000
)

func channelID(i int) string { return fmt.Sprintf("c%014d", i) }
func postID(n int) string    { return fmt.Sprintf("p%014d", n) }

// benchMembers are the world's members the benchmarks act as.
type benchMembers struct {
	me            string // follows 1,000 channels
	few20, few50  string // follow 20 and 50
	bigPostHandle string
}

var benchWorld struct {
	once sync.Once
	dir  string
	who  benchMembers
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchWorld.dir != "" {
		_ = os.RemoveAll(benchWorld.dir)
	}
	os.Exit(code)
}

// benchApp is a fresh copy of the benchmark world (its data dir copied,
// about 300 MB): its app, Channels service and members.
func benchApp(b *testing.B) (*tests.TestApp, *channels.Service, benchMembers) {
	b.Helper()
	benchWorld.once.Do(func() {
		start := time.Now()
		benchWorld.dir, benchWorld.who, benchWorld.err = buildWorld(b)
		b.Logf("world built in %v", time.Since(start).Round(time.Millisecond))
	})
	if benchWorld.err != nil {
		b.Fatal(benchWorld.err)
	}
	app, err := tests.NewTestApp(benchWorld.dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(app.Cleanup)
	// The production synchronous level (hooks/storage: FULL on data.db, a
	// commit waits for the disk), as the wallet's benchmarks: the post
	// page writes its view. Test apps otherwise run PocketBase's NORMAL.
	if _, err := app.NonconcurrentDB().NewQuery("PRAGMA synchronous=" + storage.Synchronous("data.db")).Execute(); err != nil {
		b.Fatal(err)
	}
	p, err := hooks.Register(app, public.FS)
	if err != nil {
		b.Fatal(err)
	}
	return app, p.Channels, benchWorld.who
}

func buildWorld(b *testing.B) (string, benchMembers, error) {
	app := testapp.New(b)
	who := benchMembers{me: testapp.CreateMember(b, app, "bench_me").Id, few20: testapp.CreateMember(b, app, "bench_few20").Id,
		few50: testapp.CreateMember(b, app, "bench_few50").Id, bigPostHandle: "chan_0"}
	now := time.Now().UTC()
	err := app.RunInTransaction(func(tx core.App) error {
		return withoutIndexes(tx, func() error {
			if err := writeChannels(tx, now); err != nil {
				return err
			}
			if err := writeBenchPosts(tx, now); err != nil {
				return err
			}
			if err := writeBigPost(tx, now); err != nil {
				return err
			}
			if err := writeLikesAndStats(tx, now); err != nil {
				return err
			}
			return writeFollows(tx, who, now)
		})
	})
	if err != nil {
		return "", who, err
	}
	// PocketBase runs PRAGMA optimize every day: a community this size has
	// its statistics.
	for _, q := range []string{"ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"} {
		if _, err := app.DB().NewQuery(q).Execute(); err != nil {
			return "", who, err
		}
	}
	dir, err := os.MkdirTemp("", "plaza-channels-bench-")
	if err != nil {
		return "", who, err
	}
	return dir, who, os.CopyFS(dir, os.DirFS(app.DataDir()))
}

// withoutIndexes runs write with Channels' indexes dropped, then makes
// them again from their own SQL: building an index from sorted rows once
// is many times faster than keeping it through a million random inserts.
func withoutIndexes(tx core.App, write func() error) error {
	var indexes []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := tx.DB().NewQuery(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN (SELECT value FROM json_each({:tables}))`).Bind(dbx.Params{"tables": jsonTables()}).All(&indexes); err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := tx.DB().NewQuery("DROP INDEX `" + ix.Name + "`").Execute(); err != nil {
			return err
		}
	}
	if err := write(); err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := tx.DB().NewQuery(ix.SQL).Execute(); err != nil {
			return err
		}
	}
	return nil
}

func jsonTables() string {
	b, err := json.Marshal(channels.Tables())
	if err != nil {
		panic(err)
	}
	return string(b)
}

func writeChannels(tx core.App, now time.Time) error {
	q := tx.DB().NewQuery(`INSERT INTO channels (id, owner, handle, name, bio, verified, followers, posts, created, updated)
		VALUES ({:id}, {:o}, {:h}, {:n}, 'A channel of the benchmark world', {:v}, 0, {:posts}, {:at}, {:at})`).Prepare()
	defer q.Close()
	at := now.Format(types.DefaultDateLayout)
	for i := range benchChannels {
		if _, err := q.Bind(dbx.Params{"id": channelID(i), "o": fmt.Sprintf("o%014d", i), "h": fmt.Sprintf("chan_%d", i),
			"n": fmt.Sprintf("Channel %d", i), "v": i%50 == 0, "posts": benchPostsEach, "at": at}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// writeBenchPosts writes the posts (their likes count drawn here, the
// rows written by writeLikesAndStats), one media row and one tag each,
// and their comments.
func writeBenchPosts(tx core.App, now time.Time) error {
	db := tx.DB()
	post := db.NewQuery(`INSERT INTO channels_posts (id, channel, caption, location, media_kind, media_count, likes, comments, views, hot, taken_down, posted, edited, created, updated)
		VALUES ({:id}, {:c}, {:cap}, '', {:mk}, 1, {:likes}, {:comments}, {:views}, {:hot}, 0, {:at}, '', {:at}, {:at})`).Prepare()
	defer post.Close()
	media := db.NewQuery(`INSERT INTO channels_media (id, post, position, kind, file, poster, width, height, duration_ms, mime, size, created)
		VALUES ({:id}, {:p}, 0, {:k}, {:f}, {:poster}, 1080, 1440, {:d}, {:mime}, 900000, {:at})`).Prepare()
	defer media.Close()
	tag := db.NewQuery(`INSERT INTO channels_tags (id, post, tag, posted) VALUES ({:id}, {:p}, {:t}, {:at})`).Prepare()
	defer tag.Close()
	comment := db.NewQuery(`INSERT INTO channels_comments (id, post, author, parent, reply_to, text, pinned, at)
		VALUES ({:id}, {:p}, {:a}, '', '', 'Lovely!', 0, {:at})`).Prepare()
	defer comment.Close()
	rng := rand.New(rand.NewPCG(13, 2026))
	n, nc := 0, 0
	for i := range benchChannels {
		for k := range benchPostsEach {
			n++
			posted := now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			at := posted.Format(types.DefaultDateLayout)
			likes := int(rng.ExpFloat64() * 8)
			if rng.IntN(100) == 0 {
				likes += 100 + rng.IntN(200)
			}
			likes = min(likes, benchLikers)
			comments, views := rng.IntN(4), likes*15+rng.IntN(200)
			kind, mime, file, poster, dur := "photo", "image/jpeg", "photo.jpg", "", 0
			if k%5 == 0 {
				kind, mime, file, poster, dur = "video", "video/webm", "video.webm", "poster.jpg", 15000
			}
			if _, err := post.Bind(dbx.Params{"id": postID(n), "c": channelID(i), "cap": fmt.Sprintf("Post %d of channel %d #tag%d", k, i, n%500),
				"mk": kind, "likes": likes, "comments": comments, "views": views, "hot": channels.Hot(likes, comments, views, posted), "at": at}).Execute(); err != nil {
				return err
			}
			if _, err := media.Bind(dbx.Params{"id": fmt.Sprintf("m%014d", n), "p": postID(n), "k": kind, "f": file, "poster": poster,
				"d": dur, "mime": mime, "at": at}).Execute(); err != nil {
				return err
			}
			if _, err := tag.Bind(dbx.Params{"id": fmt.Sprintf("t%014d", n), "p": postID(n), "t": fmt.Sprint("tag", n%500), "at": at}).Execute(); err != nil {
				return err
			}
			for range comments {
				nc++
				if _, err := comment.Bind(dbx.Params{"id": fmt.Sprintf("k%014d", nc), "p": postID(n), "a": liker(rng.IntN(benchUsers)),
					"at": posted.Add(time.Duration(nc%600) * time.Second).Format(types.DefaultDateLayout)}).Execute(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func liker(i int) string { return fmt.Sprintf("u%014d", i) }

// writeBigPost is chan_0's post of 2 hours ago with bigComments top-level
// comments, a third as many replies, and bigLikes likes (their rows come
// with the rest in writeLikesAndStats).
func writeBigPost(tx core.App, now time.Time) error {
	posted := now.Add(-2 * time.Hour)
	replies := bigComments / 3
	views := bigLikes * 15
	_, err := tx.DB().NewQuery(`INSERT INTO channels_posts (id, channel, caption, location, media_kind, media_count, likes, comments, views, hot, taken_down, posted, edited, created, updated)
		VALUES ({:id}, {:c}, 'The big one #tag1', 'Riverside', 'video', 1, {:likes}, {:comments}, {:views}, {:hot}, 0, {:at}, '', {:at}, {:at})`).
		Bind(dbx.Params{"id": bigPostID, "c": channelID(0), "likes": bigLikes, "comments": bigComments + replies, "views": views,
			"hot": channels.Hot(bigLikes, bigComments+replies, views, posted), "at": posted.Format(types.DefaultDateLayout)}).Execute()
	if err != nil {
		return err
	}
	_, err = tx.DB().NewQuery(`INSERT INTO channels_media (id, post, position, kind, file, poster, width, height, duration_ms, mime, size, created)
		VALUES ('bigmedia0000000', {:p}, 0, 'video', 'video.webm', 'poster.jpg', 720, 1280, 30000, 'video/webm', 5000000, {:at})`).
		Bind(dbx.Params{"p": bigPostID, "at": posted.Format(types.DefaultDateLayout)}).Execute()
	if err != nil {
		return err
	}
	comment := tx.DB().NewQuery(`INSERT INTO channels_comments (id, post, author, parent, reply_to, text, pinned, at)
		VALUES ({:id}, {:p}, {:a}, {:parent}, {:r}, {:t}, {:pin}, {:at})`).Prepare()
	defer comment.Close()
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range bigComments + replies {
		parent, reply := "", ""
		if i >= bigComments {
			parent, reply = fmt.Sprintf("bigc%011d", rng.IntN(bigComments)), liker(rng.IntN(benchUsers))
		}
		if _, err := comment.Bind(dbx.Params{"id": fmt.Sprintf("bigc%011d", i), "p": bigPostID, "a": liker(rng.IntN(benchUsers)),
			"parent": parent, "r": reply, "t": fmt.Sprintf("comment %d on the big post", i), "pin": i == 7,
			"at": posted.Add(time.Duration(i) * time.Second).Format(types.DefaultDateLayout)}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// writeLikesAndStats writes each post's likes (as many as its count, by
// distinct members), the members who comment (the first benchUsers
// likers), one view row a post for today, and 30 days of daily stats a
// channel, each in one statement.
func writeLikesAndStats(tx core.App, now time.Time) error {
	day := now.Format("2006-01-02")
	for _, q := range []string{
		`CREATE TEMP TABLE bench_n (i INTEGER PRIMARY KEY)`,
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {:max}) INSERT INTO bench_n SELECT i FROM n`,
		`INSERT INTO channels_likes (id, post, member, at)
		SELECT printf('l%014d', p.rowid * 5000 + n.i), p.id, printf('u%014d', (p.rowid * 7919 + n.i) % {:likers}), p.posted
		FROM channels_posts p CROSS JOIN bench_n n WHERE n.i < p.likes`,
		`INSERT INTO users (id, email, password, tokenKey, name, plaza_id, verified, created, updated)
		SELECT printf('u%014d', i), printf('u%d@bench.test', i), 'x', printf('tk%d', i), printf('Member %d', i), printf('bench_u%d', i), 1, {:day}, {:day}
		FROM bench_n WHERE i < {:users}`,
		`INSERT INTO channels_views (id, post, viewer, day) SELECT printf('v%s', substr(id, 2)), id, printf('u%014d', rowid % {:likers}), {:day}
		FROM channels_posts`,
		`WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 29)
		INSERT INTO channels_daily (id, channel, day, views, followed, unfollowed)
		SELECT printf('d%s%02d', substr(c.id, 4), d.i), c.id, date({:day}, '-' || d.i || ' days'), 50 + d.i * 3, d.i % 4, d.i % 3
		FROM channels c JOIN d`,
		`DROP TABLE bench_n`,
	} {
		if _, err := tx.DB().NewQuery(q).Bind(dbx.Params{"max": max(bigLikes, benchUsers), "likers": benchLikers, "users": benchUsers, "day": day}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// writeFollows makes me follow every other channel (1,000), the two
// others 20 and 50 channels spread over the world, and sets the channels'
// follower counts.
func writeFollows(tx core.App, who benchMembers, now time.Time) error {
	q := tx.DB().NewQuery(`INSERT INTO channels_follows (id, channel, member, at) VALUES ({:id}, {:c}, {:m}, {:at})`).Prepare()
	defer q.Close()
	at := now.AddDate(0, -1, 0).Format(types.DefaultDateLayout)
	n := 0
	follow := func(member string, every, count int) error {
		for i := range count {
			n++
			if _, err := q.Bind(dbx.Params{"id": fmt.Sprintf("f%014d", n), "c": channelID(i * every), "m": member, "at": at}).Execute(); err != nil {
				return err
			}
		}
		return nil
	}
	for _, f := range []struct {
		member       string
		every, count int
	}{{who.me, 2, 1000}, {who.few20, 97, 20}, {who.few50, 39, 50}} {
		if err := follow(f.member, f.every, f.count); err != nil {
			return err
		}
	}
	_, err := tx.DB().NewQuery(`UPDATE channels SET followers = (SELECT count(*) FROM channels_follows f WHERE f.channel = channels.id)`).Execute()
	return err
}
