package moments_test

// Moments' hot paths on a big world (issue 12, "Performance"), each beside
// a single-goroutine app.Save in the same run (docs/PERFORMANCE.md,
// "Moments"; the world takes 15 s to 2 min to build, hence -timeout):
//
//	go test ./hooks/moments/ -run XXX -bench 'MomentsPlainSave|Publish|Comments' -benchtime 300x -count 3 -timeout 30m
//	go test ./hooks/moments/ -run XXX -bench 'MomentsPlainSave|Feed' -benchtime 20x -count 3 -timeout 30m
//
// The world: a member ("me") with 500 friends who posted 200 posts each
// (100,000 posts over the last year): seven in ten to all friends, one in
// twenty private, one in eight shared with a few chosen friends (me among
// them one time in three), one in ten hidden from a few (me among them one
// time in three); per-friend switches on both sides (chat only, "don't let
// them see my Moments", "hide their Moments"); a quarter of the friends
// limit what friends may see (6 months, 1 month, 3 days); half the posts
// have one to four photos, and every post up to three likes and two
// comments from my friends and from 100 people who are not my friends;
// one post of a friend's (40 days old, so not on the first feed page) has
// 1,000 comments (a fifth of them replies) and 300 likes. It is written
// with raw SQL in one transaction, once per test binary, and each
// benchmark starts from a copy of it.

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/moments"
	"plaza/public"
)

const (
	benchFriends   = 500
	benchPostsEach = 200
	benchStrangers = 100 // commenters who are friends of my friends, not mine
	bigComments    = 1000
	bigPostID      = "bigpost00000000"
	benchTagID     = "benchtag0000000"
)

func friendID(i int) string   { return fmt.Sprintf("f%014d", i) }
func strangerID(i int) string { return fmt.Sprintf("s%014d", i) }

var benchWorld struct {
	once sync.Once
	dir  string // a data dir holding the world
	me   string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchWorld.dir != "" {
		_ = os.RemoveAll(benchWorld.dir)
	}
	os.Exit(code)
}

// benchApp is a fresh copy of the benchmark world: its app, Moments service
// and the member "me".
func benchApp(b *testing.B) (core.App, *moments.Service, string) {
	b.Helper()
	benchWorld.once.Do(func() {
		start := time.Now()
		benchWorld.dir, benchWorld.me, benchWorld.err = buildWorld(b)
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
	p, err := hooks.Register(app, public.FS)
	if err != nil {
		b.Fatal(err)
	}
	return app, p.Moments, benchWorld.me
}

func buildWorld(b *testing.B) (string, string, error) {
	app := testapp.New(b)
	me := testapp.CreateMember(b, app, "bench_me").Id
	now := time.Now().UTC()
	err := app.RunInTransaction(func(tx core.App) error {
		if err := writeFriends(tx, me); err != nil {
			return err
		}
		if err := writePosts(tx, me, now); err != nil {
			return err
		}
		return writeBigPost(tx, me, now)
	})
	if err != nil {
		return "", "", err
	}
	for _, db := range []dbx.Builder{app.DB(), app.AuxDB()} {
		if _, err := db.NewQuery("PRAGMA wal_checkpoint(TRUNCATE)").Execute(); err != nil {
			return "", "", err
		}
	}
	dir, err := os.MkdirTemp("", "plaza-moments-bench-")
	if err != nil {
		return "", "", err
	}
	return dir, me, os.CopyFS(dir, os.DirFS(app.DataDir()))
}

// writeFriends makes me's 500 friendships (both contact rows) with the
// per-friend switches, every friend tagged benchTagID by me, and the
// friends' range settings.
func writeFriends(tx core.App, me string) error {
	if _, err := tx.DB().NewQuery(`INSERT INTO contact_tags (id, owner, name) VALUES ({:id}, {:o}, 'Everyone')`).
		Bind(dbx.Params{"id": benchTagID, "o": me}).Execute(); err != nil {
		return err
	}
	contact := tx.DB().NewQuery(`INSERT INTO contacts (id, owner, friend, tags, chat_only, hide_my_moments, hide_their_moments)
		VALUES ({:id}, {:o}, {:f}, {:tags}, {:co}, {:hm}, {:ht})`).Prepare()
	defer contact.Close()
	setting := tx.DB().NewQuery(`INSERT INTO moments_settings (id, member, range) VALUES ({:id}, {:m}, {:r})`).Prepare()
	defer setting.Close()
	for i := range benchFriends {
		f := friendID(i)
		rows := []dbx.Params{
			{"id": fmt.Sprintf("cm%013d", i), "o": me, "f": f, "tags": `["` + benchTagID + `"]`,
				"co": i%50 == 1, "hm": i%25 == 2, "ht": i%20 == 3}, // mine: chat only, hide my Moments, hide theirs
			{"id": fmt.Sprintf("ct%013d", i), "o": f, "f": me, "tags": "[]",
				"co": i%50 == 4, "hm": i%25 == 5, "ht": false}, // theirs: chat only, hide theirs from me
		}
		for _, r := range rows {
			if _, err := contact.Bind(r).Execute(); err != nil {
				return err
			}
		}
		r := map[int]string{0: moments.RangeHalfYear, 1: moments.RangeMonth, 2: moments.RangeThreeDay}[i%10]
		if i%10 == 2 && i%20 != 2 {
			r = ""
		}
		if r != "" {
			if _, err := setting.Bind(dbx.Params{"id": fmt.Sprintf("ms%013d", i), "m": f, "r": r}).Execute(); err != nil {
				return err
			}
		}
	}
	return nil
}

// benchRows are the world's prepared inserts.
type benchRows struct {
	post, audience, media, like, comment *dbx.Query
	n                                    int    // ids so far
	me                                   string // the member the world is seen by
}

func (w *benchRows) id(prefix string) string {
	w.n++
	return fmt.Sprintf("%s%013d", prefix, w.n)
}

func (w *benchRows) close() {
	for _, q := range []*dbx.Query{w.post, w.audience, w.media, w.like, w.comment} {
		q.Close()
	}
}

func prepareRows(tx core.App, me string) *benchRows {
	db := tx.DB()
	return &benchRows{me: me,
		post: db.NewQuery(`INSERT INTO moments_posts (id, author, text, location, visibility, reminds, media_count, media_kind, taken_down, posted, created, updated)
			VALUES ({:id}, {:a}, {:t}, '', {:vis}, '[]', {:mc}, {:mk}, 0, {:at}, {:at}, {:at})`).Prepare(),
		audience: db.NewQuery(`INSERT INTO moments_audience (id, post, member) VALUES ({:id}, {:p}, {:m})`).Prepare(),
		media: db.NewQuery(`INSERT INTO moments_media (id, post, position, kind, file, width, height, mime, size, created)
			VALUES ({:id}, {:p}, {:pos}, 'photo', 'photo.jpg', 1080, 1440, 'image/jpeg', 200000, {:at})`).Prepare(),
		like: db.NewQuery(`INSERT INTO moments_likes (id, post, member, created) VALUES ({:id}, {:p}, {:m}, {:at})`).Prepare(),
		comment: db.NewQuery(`INSERT INTO moments_comments (id, post, author, reply_to, text, created)
			VALUES ({:id}, {:p}, {:a}, {:r}, {:t}, {:at})`).Prepare(),
	}
}

// someone is a friend of mine or one of the strangers, at random.
func someone(rng *rand.Rand) string {
	if n := rng.IntN(benchFriends + benchStrangers); n < benchFriends {
		return friendID(n)
	}
	return strangerID(rng.IntN(benchStrangers))
}

func writePosts(tx core.App, me string, now time.Time) error {
	w := prepareRows(tx, me)
	defer w.close()
	rng := rand.New(rand.NewPCG(12, 2026))
	for i := range benchFriends {
		for k := range benchPostsEach {
			posted := now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			if err := writePost(w, rng, friendID(i), fmt.Sprintf("post %d of friend %d", k, i), posted); err != nil {
				return err
			}
		}
	}
	return nil
}

// writePost writes one post with its audience, photos, likes and comments.
func writePost(w *benchRows, rng *rand.Rand, author, text string, posted time.Time) error {
	at := posted.Format(types.DefaultDateLayout)
	vis, mc, mk := moments.VisibleAll, 0, ""
	switch r := rng.IntN(100); {
	case r >= 90:
		vis = moments.VisibleExclude
	case r >= 77:
		vis = moments.VisibleInclude
	case r >= 72:
		vis = moments.VisiblePrivate
	}
	if rng.IntN(2) == 0 {
		mc, mk = 1+rng.IntN(4), "photo"
	}
	id := w.id("p")
	if _, err := w.post.Bind(dbx.Params{"id": id, "a": author, "t": text, "vis": vis, "mc": mc, "mk": mk, "at": at}).Execute(); err != nil {
		return err
	}
	if vis == moments.VisibleInclude || vis == moments.VisibleExclude {
		members := []string{friendID(rng.IntN(benchFriends)), friendID(rng.IntN(benchFriends))}
		if rng.IntN(3) == 0 {
			members = append(members, w.me)
		}
		slices.Sort(members)
		for _, m := range slices.Compact(members) {
			if _, err := w.audience.Bind(dbx.Params{"id": w.id("a"), "p": id, "m": m}).Execute(); err != nil {
				return err
			}
		}
	}
	for pos := range mc {
		if _, err := w.media.Bind(dbx.Params{"id": w.id("m"), "p": id, "pos": pos, "at": at}).Execute(); err != nil {
			return err
		}
	}
	likers := map[string]bool{}
	for range rng.IntN(4) {
		likers[someone(rng)] = true
	}
	for m := range likers {
		if _, err := w.like.Bind(dbx.Params{"id": w.id("l"), "p": id, "m": m, "at": at}).Execute(); err != nil {
			return err
		}
	}
	for range rng.IntN(3) {
		if _, err := w.comment.Bind(dbx.Params{"id": w.id("c"), "p": id, "a": someone(rng), "r": "", "t": "nice!", "at": at}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// writeBigPost is friend 0's post of 40 days ago with 1,000 comments (half
// by my friends, half by people who are not; a fifth are replies) and 300
// likes.
func writeBigPost(tx core.App, me string, now time.Time) error {
	w := prepareRows(tx, me)
	defer w.close()
	w.n = 50_000_000 // past writePosts' ids
	rng := rand.New(rand.NewPCG(5, 6))
	posted := now.AddDate(0, 0, -40) // off the first feed page: BenchmarkFeedFirstPage measures ordinary posts
	if _, err := w.post.Bind(dbx.Params{"id": bigPostID, "a": friendID(0), "t": "the big one", "vis": moments.VisibleAll,
		"mc": 0, "mk": "", "at": posted.Format(types.DefaultDateLayout)}).Execute(); err != nil {
		return err
	}
	var authors []string
	for i := range bigComments {
		at := posted.Add(time.Duration(i) * time.Second).Format(types.DefaultDateLayout)
		author, reply := someone(rng), ""
		if i > 0 && rng.IntN(5) == 0 {
			reply = authors[rng.IntN(len(authors))]
		}
		authors = append(authors, author)
		if _, err := w.comment.Bind(dbx.Params{"id": w.id("c"), "p": bigPostID, "a": author, "r": reply,
			"t": fmt.Sprintf("comment %d on the big post", i), "at": at}).Execute(); err != nil {
			return err
		}
	}
	for i := range 300 {
		m := friendID(i)
		if i%2 == 1 && i < 2*benchStrangers {
			m = strangerID(i / 2)
		}
		if _, err := w.like.Bind(dbx.Params{"id": w.id("l"), "p": bigPostID, "m": m, "at": posted.Format(types.DefaultDateLayout)}).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// timings collects one duration per iteration and reports p50 and p95.
type timings []time.Duration

func (t timings) report(b *testing.B) {
	if len(t) == 0 {
		return
	}
	slices.Sort(t)
	b.ReportMetric(float64(t[len(t)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(t[len(t)*95/100].Microseconds()), "p95-µs")
}

// BenchmarkMomentsPlainSave is the yardstick: one single-goroutine
// app.Save of a small plain record, on the world's database.
func BenchmarkMomentsPlainSave(b *testing.B) {
	app, _, me := benchApp(b)
	c, err := app.FindCollectionByNameOrId("contact_tags")
	if err != nil {
		b.Fatal(err)
	}
	took := make(timings, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r := core.NewRecord(c)
		r.Set("owner", me)
		r.Set("name", fmt.Sprint("tag", i))
		if err := app.Save(r); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	took.report(b)
}

// BenchmarkFeedFirstPage is me's first feed page: 10 posts with the likes
// and comments I may see.
func BenchmarkFeedFirstPage(b *testing.B) {
	_, svc, me := benchApp(b)
	took := make(timings, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		page, err := svc.Feed(me, "", 10)
		took = append(took, time.Since(start))
		if err != nil || len(page.Posts) != 10 || page.Next == "" {
			b.Fatalf("feed: %d posts, %v", len(page.Posts), err)
		}
	}
	b.StopTimer()
	took.report(b)
}

// BenchmarkPublishTo500 is me posting a text to an audience of 500
// friends: chosen one by one, or by a tag all 500 carry.
func BenchmarkPublishTo500(b *testing.B) {
	friends := make([]string, benchFriends)
	for i := range friends {
		friends[i] = friendID(i)
	}
	for _, c := range []struct {
		name string
		in   moments.PostInput
	}{
		{"members", moments.PostInput{Visibility: moments.VisibleInclude, Members: friends}},
		{"tag", moments.PostInput{Visibility: moments.VisibleInclude, Tags: []string{benchTagID}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			_, svc, me := benchApp(b)
			took := make(timings, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := c.in
				in.Text = fmt.Sprint("hello all 500, post ", i)
				start := time.Now()
				_, err := svc.Publish(me, in)
				took = append(took, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			took.report(b)
		})
	}
}

// BenchmarkPostWith1000Comments is me opening a friend's post with 1,000
// comments: the ones by me and my friends (replies only to people I know).
func BenchmarkPostWith1000Comments(b *testing.B) {
	_, svc, me := benchApp(b)
	took := make(timings, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		post, err := svc.PostFor(me, bigPostID)
		took = append(took, time.Since(start))
		if err != nil || len(post.Comments) < 100 || len(post.Comments) >= bigComments {
			b.Fatalf("post: %d comments, %v", len(post.Comments), err)
		}
	}
	b.StopTimer()
	took.report(b)
}
