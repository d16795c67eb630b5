package demo_test

import (
	"bytes"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/accounts"
	"plaza/hooks/channels"
	"plaza/hooks/contacts"
	"plaza/hooks/demo"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/moments"
	"plaza/hooks/wallet"
)

func TestSeedIsIdempotentAndUsable(t *testing.T) {
	app := testapp.New(t)
	first, err := demo.Seed(app, testapp.Services(t, app).Demo(), demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 20 {
		t.Fatalf("want about 20 members, got %d", len(first))
	}
	for _, s := range first {
		if !s.Created || len(s.Password) < 12 {
			t.Fatalf("%s: created=%v password=%q", s.PlazaID, s.Created, s.Password)
		}
	}
	var out bytes.Buffer
	demo.Print(&out, first)
	if !strings.Contains(out.String(), first[0].Password) || !strings.Contains(out.String(), "20 demo members created") {
		t.Fatalf("report should print each password once:\n%s", out.String())
	}

	alice, _ := accounts.FindByPlazaID(app, "alice_w")
	friends, err := contacts.Friends(app, alice)
	if err != nil || len(friends) < 8 {
		t.Fatalf("alice_w should have demo friends, got %d (%v)", len(friends), err)
	}
	tags, _ := contacts.Tags(app, alice)
	pending, _ := contacts.PendingCount(app, alice.Id)
	if len(tags) != 3 || pending != 2 {
		t.Fatalf("alice_w: %d tags, %d pending requests; want 3 and 2", len(tags), pending)
	}
	contactRows, _ := app.CountRecords("contacts", nil)
	messages, _ := app.CountRecords("messages", nil)
	groups, _ := app.CountRecords("conversations", dbx.HashExp{"kind": "group"})
	if messages < 300 || groups != 3 {
		t.Fatalf("demo chats have %d messages in %d groups", messages, groups)
	}

	// The wallet: balances, a finished and an open red packet, a pending transfer.
	if b, _ := wallet.Balance(app, alice.Id); b <= 0 {
		t.Fatalf("alice_w's balance: %d", b)
	}
	var finished, open, waiting, entries int
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM red_packets WHERE state = 'finished'").Row(&finished)
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM red_packets WHERE state = 'open'").Row(&open)
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM wallet_transfers WHERE state = 'pending'").Row(&waiting)
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM wallet_entries").Row(&entries)
	if finished != 1 || open != 1 || waiting != 1 {
		t.Fatalf("demo wallet: %d finished and %d open packets, %d pending transfers", finished, open, waiting)
	}

	posts := checkDemoMoments(t, app)
	channelPosts := checkDemoChannels(t, app)
	articles := checkDemoOA(t, app)
	mpVersions := checkDemoMiniPrograms(t, app)

	second, err := demo.Seed(app, testapp.Services(t, app).Demo(), demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := app.CountRecords("moments_posts", nil); again != posts {
		t.Fatalf("running demo twice changed Moments: %d → %d posts", posts, again)
	}
	if again, _ := app.CountRecords("oa_articles", nil); again != articles {
		t.Fatalf("running demo twice changed Official Accounts: %d → %d articles", articles, again)
	}
	if again, _ := app.CountRecords("channels_posts", nil); again != channelPosts {
		t.Fatalf("running demo twice changed Channels: %d → %d posts", channelPosts, again)
	}
	if again := checkDemoMiniPrograms(t, app); again != mpVersions {
		t.Fatalf("running demo twice changed mini programs: %d → %d versions", mpVersions, again)
	}
	n, _ := app.CountRecords("users", nil)
	if int(n) != len(first) {
		t.Fatalf("running demo twice made %d members, want %d", n, len(first))
	}
	if again, _ := app.CountRecords("contacts", nil); again != contactRows {
		t.Fatalf("running demo twice changed the contacts: %d → %d", contactRows, again)
	}
	if again, _ := app.CountRecords("messages", nil); again != messages {
		t.Fatalf("running demo twice changed the chat history: %d → %d", messages, again)
	}
	if again, _ := contacts.Tags(app, alice); len(again) != 3 {
		t.Fatalf("running demo twice made %d tags", len(again))
	}
	var entriesAgain int
	_ = app.DB().NewQuery("SELECT COUNT(*) FROM wallet_entries").Row(&entriesAgain)
	if entriesAgain != entries {
		t.Fatalf("running demo twice moved money: %d → %d journal entries", entries, entriesAgain)
	}
	if r, err := wallet.Verify(app); err != nil || !r.OK() {
		t.Fatalf("demo ledger: %v\n%s", err, r)
	}
	for _, s := range second {
		if s.Created || s.Password != "" {
			t.Fatalf("%s: second run should change nothing", s.PlazaID)
		}
	}

	// A demo member signs in with the printed password and sees their profile.
	li := first[2]
	member, err := accounts.SignIn(app, li.PlazaID, li.Password)
	if err != nil {
		t.Fatalf("demo member cannot sign in: %v", err)
	}
	if member.GetString("avatar") == "" {
		t.Fatal("demo member has no generated avatar")
	}
	h := testapp.Handler(t, app)
	res := testapp.Do(h, http.MethodGet, "/me", "", map[string]string{"Cookie": testapp.SessionCookie(t, member)})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), li.Name) || !strings.Contains(res.Body.String(), li.Region) {
		t.Fatalf("demo profile page: %d", res.Code)
	}

	reset, err := demo.Seed(app, testapp.Services(t, app).Demo(), demo.Options{ResetPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SignIn(app, reset[0].PlazaID, reset[0].Password); err != nil {
		t.Fatalf("--reset-passwords should print working passwords: %v", err)
	}
}

func TestIdenticonsDiffer(t *testing.T) {
	a, err := demo.Identicon("alice_w")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := demo.Identicon("bob_chen")
	again, _ := demo.Identicon("alice_w")
	if bytes.Equal(a, b) || !bytes.Equal(a, again) {
		t.Fatal("identicons should be stable per seed and differ between seeds")
	}
}

// checkDemoMoments checks the demo's Moments: at least 40 posts with
// photos, likes and comments, some limited to tags, and the post where the
// mutual-friends rule shows: the two members README names each see their
// own comment and not the other's. It returns the number of posts.
func checkDemoMoments(t *testing.T, app core.App) int64 {
	t.Helper()
	posts, _ := app.CountRecords("moments_posts", nil)
	photos, _ := app.CountRecords("moments_media", dbx.HashExp{"kind": "photo"})
	likes, _ := app.CountRecords("moments_likes", nil)
	comments, _ := app.CountRecords("moments_comments", nil)
	limited, _ := app.CountRecords("moments_posts", dbx.In("visibility", "include", "exclude"))
	located, _ := app.CountRecords("moments_posts", dbx.NewExp("location != ''"))
	textOnly, _ := app.CountRecords("moments_posts", dbx.HashExp{"media_count": 0})
	if posts < 40 || photos < 60 || likes < 80 || comments < 60 || limited < 3 || located < 5 || textOnly < 3 {
		t.Fatalf("demo Moments: %d posts, %d photos, %d likes, %d comments, %d limited, %d with a place, %d text only",
			posts, photos, likes, comments, limited, located, textOnly)
	}
	svc := testapp.Services(t, app).Moments
	id := func(plazaID string) string {
		r, err := accounts.FindByPlazaID(app, plazaID)
		if err != nil {
			t.Fatal(err)
		}
		return r.Id
	}
	a, b := id(demo.MutualViewerA), id(demo.MutualViewerB)
	if ok, _ := contacts.AreFriends(app, a, b); ok {
		t.Fatalf("%s and %s should not be friends", demo.MutualViewerA, demo.MutualViewerB)
	}
	album, err := svc.AlbumOf(id("alice_w"), id("alice_w"), "", moments.PageMax)
	if err != nil {
		t.Fatal(err)
	}
	postID := ""
	for _, p := range album.Posts {
		if p.Text == demo.MutualFriendsPost {
			postID = p.ID
		}
	}
	commenters := func(viewer string) map[string]bool {
		p, err := svc.PostFor(viewer, postID)
		if err != nil {
			t.Fatalf("the mutual-friends post as %s: %v", viewer, err)
		}
		out := map[string]bool{}
		for _, c := range p.Comments {
			out[c.Author] = true
		}
		return out
	}
	seenByA, seenByB, seenByLi := commenters(a), commenters(b), commenters(id("li_lei"))
	if !seenByA[a] || seenByA[b] || !seenByB[b] || seenByB[a] || !seenByLi[a] || !seenByLi[b] {
		t.Fatalf("mutual-friends rule on the demo post: %s sees %v, %s sees %v, li_lei sees %v",
			demo.MutualViewerA, seenByA, demo.MutualViewerB, seenByB, seenByLi)
	}
	return posts
}

// checkDemoChannels checks the demo's Channels: the three channels README
// names, owned by their members, with photo and video posts (the embedded
// clip with its poster), followers, likes, views, comments and a pinned
// one; alice_w's Following and Friends feeds ("♥ by" her friends) have
// posts. It returns the number of posts.
func checkDemoChannels(t *testing.T, app core.App) int64 {
	t.Helper()
	svc := testapp.Services(t, app).Channels
	posts, _ := app.CountRecords("channels_posts", nil)
	videos, _ := app.CountRecords("channels_media", dbx.HashExp{"kind": "video", "mime": "video/webm"})
	photos, _ := app.CountRecords("channels_media", dbx.HashExp{"kind": "photo"})
	likes, _ := app.CountRecords("channels_likes", nil)
	comments, _ := app.CountRecords("channels_comments", nil)
	pinned, _ := app.CountRecords("channels_comments", dbx.HashExp{"pinned": true})
	follows, _ := app.CountRecords("channels_follows", nil)
	if posts < 15 || videos != 3 || photos < 20 || likes < 40 || comments < 15 || pinned != 3 || follows < 20 {
		t.Fatalf("demo Channels: %d posts, %d videos, %d photos, %d likes, %d comments, %d pinned, %d follows",
			posts, videos, photos, likes, comments, pinned, follows)
	}
	for owner, handle := range demo.DemoChannels {
		m, err := accounts.FindByPlazaID(app, owner)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := svc.ChannelOf("", m.Id)
		if err != nil || ch.Handle != handle || !ch.HasAvatar || ch.Followers < 5 {
			t.Fatalf("%s's channel: %+v, %v", owner, ch, err)
		}
		page, err := svc.ChannelPosts("", handle, "", 10)
		if err != nil || len(page.Posts) != 5 || page.Posts[0].Views == 0 {
			t.Fatalf("%s signed out: %d posts, %v", handle, len(page.Posts), err)
		}
		res := testapp.Do(testapp.Handler(t, app), http.MethodGet, "/c/"+handle, "", nil)
		if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "@"+handle) {
			t.Fatalf("/c/%s signed out: %d", handle, res.Code)
		}
		st, err := svc.StatsOf(m.Id)
		if err != nil || st.Views == 0 || st.Days[0].Followers >= st.Days[channels.StatsDays-1].Followers {
			t.Fatalf("%s's stats: %d views, followers %d → %d, %v", handle, st.Views, st.Days[0].Followers, st.Days[channels.StatsDays-1].Followers, err)
		}
	}
	alice, _ := accounts.FindByPlazaID(app, "alice_w")
	following, err := svc.Following(alice.Id, "", 10)
	if err != nil || len(following.Posts) != 10 {
		t.Fatalf("alice_w's Following: %d posts, %v", len(following.Posts), err)
	}
	friends, err := svc.Friends(alice.Id, "", 10)
	if err != nil || len(friends.Posts) < 3 || len(friends.Posts[0].FriendsLiked) == 0 {
		t.Fatalf("alice_w's Friends feed: %d posts, %v", len(friends.Posts), err)
	}
	return posts
}
