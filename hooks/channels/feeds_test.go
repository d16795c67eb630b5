package channels_test

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
)

// befriend makes members a and b friends.
func (w *world) befriend(a, b string) {
	w.t.Helper()
	ra, err := w.app.FindRecordById("users", a)
	if err != nil {
		w.t.Fatal(err)
	}
	rb, err := w.app.FindRecordById("users", b)
	if err != nil {
		w.t.Fatal(err)
	}
	testapp.Befriend(w.t, w.app, ra, rb)
}

// walk reads every page of a feed, size posts a page.
func walk(t *testing.T, size int, feed func(after string, n int) (channels.Page, error)) []string {
	t.Helper()
	var out []string
	for after, n := "", 0; ; n++ {
		pg := must(feed(after, size))(t)
		if len(pg.Posts) > size || n > 200 {
			t.Fatalf("page %d: %d posts", n, len(pg.Posts))
		}
		out = append(out, ids(pg.Posts)...)
		if after = pg.Next; after == "" {
			return out
		}
	}
}

// TestFollowingFeedBothPaths: the Following feed is the followed channels'
// posts newest first, the same whether it reads each channel's posts
// (few follows) or walks all posts by time (many), on every page size.
func TestFollowingFeedBothPaths(t *testing.T) {
	w := newWorld(t)
	me := w.member("me")
	var handles []string
	owners := map[string]string{}
	for i := range 5 {
		h := fmt.Sprintf("chan_%d", i)
		handles, owners[h] = append(handles, h), w.creator(h)
	}
	var want, chan0 []string
	for k := range 24 {
		h := handles[(k*7)%5]
		p := w.post(owners[h], fmt.Sprint("post ", k))
		if h != "chan_1" && h != "chan_4" {
			want = append(want, p.ID)
		}
		if h == "chan_0" {
			chan0 = append(chan0, p.ID)
		}
	}
	slices.Reverse(want)
	slices.Reverse(chan0)
	if got := walk(t, 2, func(after string, n int) (channels.Page, error) { return w.svc.ChannelPosts("", "chan_0", after, n) }); !slices.Equal(got, chan0) {
		t.Fatalf("chan_0's posts: %v, want %v", got, chan0)
	}
	for _, h := range []string{"chan_0", "chan_2", "chan_3"} {
		must(w.svc.Follow(me, h))(t)
	}
	for _, few := range []int{50, 0} {
		w.svc.SetFollowFew(few)
		for _, size := range []int{1, 4, 10, 30} {
			got := walk(t, size, func(after string, n int) (channels.Page, error) { return w.svc.Following(me, after, n) })
			if !slices.Equal(got, want) {
				t.Fatalf("few=%d, pages of %d: %v\nwant %v", few, size, got, want)
			}
		}
	}
	if pg := must(w.svc.Following(w.member("nobody"), "", 10))(t); len(pg.Posts) != 0 || pg.Next != "" {
		t.Fatalf("a member following no one: %+v", pg)
	}
	_, err := w.svc.Following(me, "garbage", 10)
	wantProblem(t, "bad cursor", err, http.StatusBadRequest, "errors.bad_request")
}

// TestFriendsFeed: the posts my friends like, the latest liked first, with
// the friends who like each; a stranger's like and a chat-only friend's
// like show nothing.
func TestFriendsFeed(t *testing.T) {
	w := newWorld(t)
	han := w.creator("hans_kitchen")
	me, ann, bo, quiet, stranger := w.member("me"), w.member("ann"), w.member("bo"), w.member("quiet"), w.member("stranger")
	w.befriend(me, ann)
	w.befriend(me, bo)
	w.befriend(me, quiet)
	if _, err := w.app.DB().NewQuery(`UPDATE contacts SET chat_only = 1 WHERE owner = {:m} AND friend = {:q}`).
		Bind(map[string]any{"m": me, "q": quiet}).Execute(); err != nil {
		t.Fatal(err)
	}
	p1, p2, p3, p4 := w.post(han, "one"), w.post(han, "two"), w.post(han, "three"), w.post(han, "four")
	must(w.tick().svc.Like(ann, p1.ID))(t)
	must(w.tick().svc.Like(stranger, p2.ID))(t)
	must(w.tick().svc.Like(bo, p3.ID))(t)
	must(w.tick().svc.Like(ann, p3.ID))(t)
	must(w.tick().svc.Like(quiet, p4.ID))(t)
	pg := must(w.svc.Friends(me, "", 10))(t)
	if !slices.Equal(ids(pg.Posts), []string{p3.ID, p1.ID}) {
		t.Fatalf("friends feed: %v, want three then one", ids(pg.Posts))
	}
	if got := pg.Posts[0].FriendsLiked; !slices.Equal(got, []string{ann, bo}) || pg.Posts[0].Likes != 2 {
		t.Fatalf("♥ by %v (%d likes)", got, pg.Posts[0].Likes)
	}
	if got := walk(t, 1, func(after string, n int) (channels.Page, error) { return w.svc.Friends(me, after, n) }); !slices.Equal(got, ids(pg.Posts)) {
		t.Fatalf("one a page: %v", got)
	}
	if p := must(w.svc.PostFor(me, p4.ID))(t); len(p.FriendsLiked) != 0 || p.Likes != 1 {
		t.Fatalf("a chat-only friend's like: %+v", p.FriendsLiked)
	}
	if p := must(w.svc.PostFor("", p3.ID))(t); len(p.FriendsLiked) != 0 {
		t.Fatal("a visitor is shown friends' likes")
	}
	if pg := must(w.svc.Friends(stranger, "", 10))(t); len(pg.Posts) != 0 {
		t.Fatalf("a member without friends: %v", ids(pg.Posts))
	}
}

// TestPopularFeed: posts by their Hot score, highest first; paging
// returns every post once, none left out.
func TestPopularFeed(t *testing.T) {
	w := newWorld(t)
	a, b := w.creator("chan_a"), w.creator("chan_b")
	var fans []string
	for i := range 6 {
		fans = append(fans, w.member(fmt.Sprint("fan", i)))
	}
	var posts []channels.Post
	for k := range 23 {
		w.now = w.now.Add(3 * time.Hour)
		posts = append(posts, w.post([]string{a, b}[k%2], fmt.Sprint("post ", k)))
	}
	for k, p := range posts {
		for f := range (k * 5) % 7 {
			must(w.svc.Like(fans[f%6], p.ID))(t)
		}
		if k%4 == 0 {
			must(w.svc.AddComment(fans[0], p.ID, channels.CommentInput{Text: "wow"}))(t)
		}
	}
	hot := map[string]float64{}
	for _, p := range posts {
		got := must(w.svc.PostFor("", p.ID))(t)
		hot[p.ID] = channels.Hot(got.Likes, got.Comments, got.Views, got.Posted)
	}
	want := ids(posts)
	slices.SortFunc(want, func(x, y string) int { return cmp.Or(cmp.Compare(hot[y], hot[x]), cmp.Compare(y, x)) })
	byTime := ids(posts)
	slices.Reverse(byTime)
	if slices.Equal(want, byTime) {
		t.Fatal("the likes should reorder the posts (the world is too plain)")
	}
	for _, size := range []int{1, 5, 10, 30} {
		got := walk(t, size, func(after string, n int) (channels.Page, error) { return w.svc.Popular(fans[0], after, n) })
		if !slices.Equal(got, want) {
			t.Fatalf("pages of %d: %v\nwant %v", size, got, want)
		}
	}
	_, err := w.svc.Popular("", "abc|def", 10)
	wantProblem(t, "bad cursor", err, http.StatusBadRequest, "errors.bad_request")
}

// TestHashtagPage: a tag's posts newest first, however the tag is written.
func TestHashtagPage(t *testing.T) {
	w := newWorld(t)
	a, b := w.creator("chan_a"), w.creator("chan_b")
	var want []string
	for k := range 7 {
		caption := fmt.Sprintf("dinner %d #美食 #Food", k)
		if k%3 == 1 {
			caption = fmt.Sprintf("run %d #晨跑", k)
		}
		p := w.post([]string{a, b}[k%2], caption)
		if k%3 != 1 {
			want = append(want, p.ID)
		}
	}
	slices.Reverse(want)
	for _, tag := range []string{"美食", "#美食", "FOOD"} {
		if got := walk(t, 2, func(after string, n int) (channels.Page, error) { return w.svc.Tagged("", tag, after, n) }); !slices.Equal(got, want) {
			t.Fatalf("#%s: %v, want %v", tag, got, want)
		}
	}
	if got := must(w.svc.Tagged("", "晨跑", "", 10))(t); len(got.Posts) != 2 {
		t.Fatalf("#晨跑: %d posts", len(got.Posts))
	}
}

// TestFollowingQueriesUseTheIndex explains the Following queries on an
// empty database and on 6,000 posts with SQLite's statistics: "many" walks
// all posts newest first and stops (no sort of the whole result, no list
// of the follows built per page); "few" reads each followed channel's
// newest posts between its own bound and the cursor (docs/PERFORMANCE.md,
// "Channels").
func TestFollowingQueriesUseTheIndex(t *testing.T) {
	w := newWorld(t)
	params := map[string]any{"m": "me", "bk": "9999", "bid": "", "n": 11}
	check := func(when string) {
		for name, q := range channels.PlanSQL {
			var plan []struct {
				Detail string `db:"detail"`
			}
			if err := w.app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(params).All(&plan); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var all []string
			for _, p := range plan {
				all = append(all, p.Detail)
			}
			text := strings.Join(all, "; ")
			t.Logf("%s, %s: %s", when, name, text)
			bad := strings.Contains(text, "LIST SUBQUERY") || strings.Contains(text, "SCAN ")
			switch name {
			case "many":
				bad = bad || !strings.Contains(text, "idx_channels_posts_posted (posted<?)") || strings.Contains(text, "TEMP B-TREE FOR ORDER BY")
			case "few":
				bad = bad || !strings.Contains(text, "idx_channels_posts_channel_posted (channel=? AND posted>? AND posted<?)")
			}
			if bad {
				t.Errorf("%s, %s: plan %s", when, name, text)
			}
		}
	}
	check("empty")
	err := w.app.RunInTransaction(func(tx core.App) error {
		for i := range 6000 {
			at := fmt.Sprintf("2026-%02d-%02d 10:%02d:00.000Z", 1+i%12, 1+i%28, i%60)
			if _, err := tx.DB().NewQuery(`INSERT INTO channels_posts (id, channel, caption, posted, created, updated)
				VALUES ({:id}, {:c}, 'plan', {:at}, {:at}, {:at})`).
				Bind(map[string]any{"id": fmt.Sprintf("p%014d", i), "c": fmt.Sprintf("c%014d", i%60), "at": at}).Execute(); err != nil {
				return err
			}
		}
		for i := range 600 { // me follows 30 channels, 19 others 30 each
			member := map[bool]string{true: "me", false: fmt.Sprint("member", i/30)}[i < 30]
			if _, err := tx.DB().NewQuery(`INSERT INTO channels_follows (id, channel, member, at) VALUES ({:id}, {:c}, {:m}, '2026-01-01')`).
				Bind(map[string]any{"id": fmt.Sprintf("f%014d", i), "c": fmt.Sprintf("c%014d", i*2%60), "m": member}).Execute(); err != nil {
				return err
			}
		}
		_, err := tx.DB().NewQuery("ANALYZE").Execute()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("6,000 posts, analyzed")
}
