package channels_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
)

// TestFollowsAndStats: following twice counts once, unfollowing twice
// once; the daily stats keep who came and went, and the followers line
// walks back from today's count.
func TestFollowsAndStats(t *testing.T) {
	w := newWorld(t)
	han := w.creator("hans_kitchen")
	ann, bo, cy := w.member("ann"), w.member("bo"), w.member("cy")
	day0 := w.now
	for range 2 {
		must(w.svc.Follow(ann, "hans_kitchen"))(t)
		must(w.svc.Follow(bo, "HANS_KITCHEN"))(t)
	}
	if ch := must(w.svc.ByHandle(ann, "hans_kitchen"))(t); ch.Followers != 2 || !ch.Following {
		t.Fatalf("day 0: %d followers, following %v", ch.Followers, ch.Following)
	}
	w.now = day0.Add(24 * time.Hour)
	must(w.svc.Follow(cy, "hans_kitchen"))(t)
	for range 2 {
		if ch := must(w.svc.Unfollow(ann, "hans_kitchen"))(t); ch.Following || ch.Followers != 2 {
			t.Fatalf("unfollowed: %d followers, following %v", ch.Followers, ch.Following)
		}
	}
	_, err := w.svc.Follow(ann, "no_such_channel")
	wantProblem(t, "follow nothing", err, http.StatusNotFound, "channels.not_found")

	w.now = day0.Add(48*time.Hour + 5*time.Hour)
	st := must(w.svc.StatsOf(han))(t)
	if len(st.Days) != channels.StatsDays || st.Days[channels.StatsDays-1].Day != w.now.Format("2006-01-02") {
		t.Fatalf("%d days, last %s", len(st.Days), st.Days[len(st.Days)-1].Day)
	}
	type line struct{ followers, followed, lost int }
	var got []line
	for _, d := range st.Days[channels.StatsDays-4:] {
		got = append(got, line{d.Followers, d.Followed, d.Lost})
	}
	want := []line{{0, 0, 0}, {2, 2, 0}, {2, 1, 1}, {2, 0, 0}} // before, day 0, day 1, today
	if !slices.Equal(got, want) || st.Days[0].Followers != 0 {
		t.Fatalf("stats: %v, want %v", got, want)
	}
	_, err = w.svc.StatsOf(ann)
	wantProblem(t, "stats without a channel", err, http.StatusNotFound, "channels.not_found")
}

// TestViewsCountOncePerViewerPerDay: a member's views and a visitor's
// (by address: another browser or User-Agent is the same visitor; an IPv6
// host is its /64) count once a day each, and again the next day; the
// owner's own never; the post's count, its score and the channel's stats
// follow.
func TestViewsCountOncePerViewerPerDay(t *testing.T) {
	w := newWorld(t)
	han, ann := w.creator("hans_kitchen"), w.member("ann")
	p := w.post(han, "noodles")
	view := func(v channels.Viewer, want bool) {
		t.Helper()
		if got := must(w.svc.CountView(v, p.ID))(t); got != want {
			t.Fatalf("view by %+v counted %v, want %v", v, got, want)
		}
	}
	visitor := channels.Viewer{Addr: "203.0.113.7"}
	view(channels.Viewer{MemberID: han}, false) // the owner's own
	view(channels.Viewer{MemberID: ann}, true)
	view(channels.Viewer{MemberID: ann}, false)
	view(visitor, true)
	view(visitor, false)
	view(channels.Viewer{Addr: "2001:db8:1:2::10"}, true)
	view(channels.Viewer{Addr: "2001:db8:1:2::99"}, false) // the same /64
	view(channels.Viewer{Addr: "198.51.100.2"}, true)
	if got := must(w.svc.PostFor("", p.ID))(t); got.Views != 4 {
		t.Fatalf("%d views, want 4", got.Views)
	}
	w.now = w.now.Add(24 * time.Hour)
	view(channels.Viewer{MemberID: ann}, true)
	view(visitor, true)
	view(visitor, false)
	got := must(w.svc.PostFor("", p.ID))(t)
	if got.Views != 6 {
		t.Fatalf("%d views the next day, want 6", got.Views)
	}
	var hot float64
	if err := w.app.DB().NewQuery(`SELECT hot FROM channels_posts WHERE id = {:p}`).Bind(map[string]any{"p": p.ID}).Row(&hot); err != nil {
		t.Fatal(err)
	}
	if want := channels.Hot(0, 0, 6, got.Posted); hot != want {
		t.Fatalf("hot %v, want %v", hot, want)
	}
	var stored int
	if err := w.app.DB().NewQuery(`SELECT count(*) FROM channels_views WHERE viewer LIKE '%203.0.113%' OR viewer LIKE '%Firefox%'`).Row(&stored); err != nil || stored != 0 {
		t.Fatalf("a visitor's address or browser is stored (%d rows, %v)", stored, err)
	}
	st := must(w.svc.StatsOf(han))(t)
	if n := len(st.Days); st.Days[n-1].Views != 2 || st.Days[n-2].Views != 4 || st.Views != 6 {
		t.Fatalf("stats views: yesterday %d, today %d, total %d", st.Days[n-2].Views, st.Days[n-1].Views, st.Views)
	}
	w.now = w.now.Add(72 * time.Hour)
	if err := w.svc.PruneViews(); err != nil {
		t.Fatal(err)
	}
	if err := w.app.DB().NewQuery(`SELECT count(*) FROM channels_views`).Row(&stored); err != nil || stored != 0 {
		t.Fatalf("%d view rows left after pruning (%v)", stored, err)
	}
	if got := must(w.svc.PostFor("", p.ID))(t); got.Views != 6 {
		t.Fatalf("pruning changed the count: %d", got.Views)
	}
}

// TestTakedownClosesEveryDoor: once a superuser sets taken_down, the post
// is not found by any read, feed, search, media fetch or card, and counts
// no more views; its owner may still delete it.
func TestTakedownClosesEveryDoor(t *testing.T) {
	w := newWorld(t)
	han := w.creator("hans_kitchen")
	me, ann := w.member("me"), w.member("ann")
	w.befriend(me, ann)
	p := w.post(han, "Dumplings #美食")
	must(w.svc.Follow(me, "hans_kitchen"))(t)
	must(w.svc.Like(ann, p.ID))(t)
	must(w.svc.Favourite(me, p.ID))(t)
	c := must(w.svc.AddComment(ann, p.ID, channels.CommentInput{Text: "yum"}))(t)
	card, ok := testapp.Services(t, w.app).Registry.Card(channels.CardPost)
	if !ok {
		t.Fatal("no card type")
	}
	built, err := card.Build(w.app, me, "", p.ID)
	if err != nil || built.Link != channels.PostPath("hans_kitchen", p.ID) || built.Image == "" || built.Title != "HANS_KITCHEN" {
		t.Fatalf("card before the takedown: %+v, %v", built, err)
	}

	if res := must(w.svc.Search(me, "dumpl"))(t); len(res.Posts) != 1 || len(res.Channels) != 0 {
		t.Fatalf("search before the takedown: %d posts, %d channels", len(res.Posts), len(res.Channels))
	}
	if res := must(w.svc.Search(me, "S_K"))(t); len(res.Channels) != 1 || len(res.Posts) != 0 { // "_" is no wildcard
		t.Fatalf("channel search: %d channels, %d posts", len(res.Channels), len(res.Posts))
	}
	if res := must(w.svc.Search(me, "s_k%"))(t); len(res.Channels) != 0 {
		t.Fatal("\"%\" is a wildcard")
	}

	rec, err := w.app.FindRecordById("channels_posts", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("taken_down", true)
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}

	gone := func(what string, err error) {
		t.Helper()
		wantProblem(t, what, err, http.StatusNotFound, "channels.not_found")
	}
	_, err = w.svc.PostFor(me, p.ID)
	gone("PostFor", err)
	_, err = w.svc.PostFor("", p.ID)
	gone("PostFor signed out", err)
	_, err = w.svc.PostIn("", "hans_kitchen", p.ID)
	gone("PostIn", err)
	_, err = w.svc.MediaFor(p.Media[0].ID)
	gone("MediaFor", err)
	_, err = w.svc.Comments(p.ID, "", 10)
	gone("Comments", err)
	_, err = w.svc.Like(me, p.ID)
	gone("Like", err)
	_, err = w.svc.AddComment(me, p.ID, channels.CommentInput{Text: "hello?"})
	gone("AddComment", err)
	gone("DeleteComment", w.svc.DeleteComment(ann, c.ID))
	_, err = card.Build(w.app, me, "", p.ID)
	gone("card", err)
	if st := card.State(w.app, me, p.ID); st != "gone" {
		t.Fatalf("card state %q", st)
	}
	if counted := must(w.svc.CountView(channels.Viewer{MemberID: me}, p.ID))(t); counted {
		t.Fatal("a view of a taken-down post counted")
	}
	feeds := map[string]func() (channels.Page, error){
		"channel":    func() (channels.Page, error) { return w.svc.ChannelPosts(me, "hans_kitchen", "", 10) },
		"following":  func() (channels.Page, error) { return w.svc.Following(me, "", 10) },
		"friends":    func() (channels.Page, error) { return w.svc.Friends(me, "", 10) },
		"popular":    func() (channels.Page, error) { return w.svc.Popular(me, "", 10) },
		"hashtag":    func() (channels.Page, error) { return w.svc.Tagged("", "美食", "", 10) },
		"favourites": func() (channels.Page, error) { return w.svc.Favourites(me, "", 10) },
	}
	for name, feed := range feeds {
		if pg := must(feed())(t); len(pg.Posts) != 0 {
			t.Errorf("%s feed still shows the post", name)
		}
	}
	w.svc.SetFollowFew(0)
	if pg := must(w.svc.Following(me, "", 10))(t); len(pg.Posts) != 0 {
		t.Error("following feed (many) still shows the post")
	}
	if res := must(w.svc.Search(me, "Dumplings"))(t); len(res.Posts) != 0 {
		t.Error("search still finds the post")
	}
	if err := w.svc.Delete(han, p.ID); err != nil {
		t.Fatalf("the owner deletes a taken-down post: %v", err)
	}
}
