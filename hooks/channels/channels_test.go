package channels_test

// Channels' operations through the service, on a real app: profiles,
// posts and hashtags, likes, comments and pins, follows and daily stats,
// views, and a takedown closing every door. The feeds are in
// feeds_test.go.

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
)

// world is a test app, its Channels service and a clock the test moves.
type world struct {
	t   *testing.T
	app core.App
	svc *channels.Service
	now time.Time
}

func newWorld(t *testing.T) *world {
	app := testapp.New(t)
	w := &world{t: t, app: app, svc: testapp.Services(t, app).Channels, now: time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)}
	w.svc.SetClock(func() time.Time { return w.now })
	return w
}

// tick moves the clock a minute on and returns the world.
func (w *world) tick() *world { w.now = w.now.Add(time.Minute); return w }

// member is a new member; short names are padded to a Plaza ID's six
// characters.
func (w *world) member(name string) string {
	return testapp.CreateMember(w.t, w.app, name+strings.Repeat("0", max(0, 6-len(name)))).Id
}

// creator is a new member with a channel of that handle.
func (w *world) creator(handle string) string {
	id := w.member(handle)
	name := strings.ToUpper(handle)
	if _, err := w.svc.Create(id, channels.ProfileInput{Handle: &handle, Name: &name}); err != nil {
		w.t.Fatalf("create %s: %v", handle, err)
	}
	return id
}

// post publishes caption with one photo on owner's channel, a minute
// after the last thing that happened.
func (w *world) post(owner, caption string) channels.Post {
	w.t.Helper()
	p, err := w.tick().svc.Publish(owner, channels.PostInput{Caption: caption, Photos: []*filesystem.File{w.png(32, 24)}})
	if err != nil {
		w.t.Fatalf("publish %q: %v", caption, err)
	}
	return p
}

func (w *world) png(wd, ht int) *filesystem.File {
	f, err := filesystem.NewFileFromBytes(testapp.PNG(w.t, wd, ht), "p.png")
	if err != nil {
		w.t.Fatal(err)
	}
	return f
}

// must returns v, failing the test (given next) on err:
// must(svc.Op(…))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// wantProblem checks err is a Problem of status whose key, or one of
// whose fields' keys, is key.
func wantProblem(t *testing.T, what string, err error, status int, key string) {
	t.Helper()
	p, ok := problem.As(err)
	if !ok || p.Status != status {
		t.Fatalf("%s: want %d %s, got %v", what, status, key, err)
	}
	if p.Key == key {
		return
	}
	for _, f := range p.Fields {
		if f.Key == key {
			return
		}
	}
	t.Fatalf("%s: want %s, got %v", what, key, err)
}

func ids(posts []channels.Post) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

func ptr(s string) *string { return &s }

func TestCreateChannelRules(t *testing.T) {
	w := newWorld(t)
	han, bo := w.member("han"), w.member("bo")
	for _, h := range []string{"ab", "has space", "new", "a-b", strings.Repeat("x", 31)} {
		_, err := w.svc.Create(han, channels.ProfileInput{Handle: ptr(h), Name: ptr("Han")})
		wantProblem(t, "handle "+h, err, http.StatusBadRequest, "channels.bad_handle")
	}
	_, err := w.svc.Create(han, channels.ProfileInput{Handle: ptr("hans_kitchen")})
	wantProblem(t, "no name", err, http.StatusBadRequest, "validation_required")
	_, err = w.svc.Create(han, channels.ProfileInput{Handle: ptr("hans_kitchen"), Name: ptr(strings.Repeat("名", channels.NameMax+1))})
	wantProblem(t, "long name", err, http.StatusBadRequest, "profile.too_long")
	_, err = w.svc.Create(han, channels.ProfileInput{Handle: ptr("hans_kitchen"), Name: ptr("Han"), Bio: ptr("a\x00b")})
	wantProblem(t, "NUL", err, http.StatusBadRequest, "errors.nul_byte")

	ch := must(w.svc.Create(han, channels.ProfileInput{Handle: ptr(" Hans_Kitchen "), Name: ptr(" Han's Kitchen "), Bio: ptr("Noodles"),
		Avatar: w.png(64, 64)}))(t)
	if ch.Handle != "hans_kitchen" || ch.Name != "Han's Kitchen" || !ch.Mine || ch.Following || !ch.HasAvatar || ch.Posts != 0 {
		t.Fatalf("created: %+v", ch)
	}
	_, err = w.svc.Create(han, channels.ProfileInput{Handle: ptr("second_one"), Name: ptr("Again")})
	wantProblem(t, "second channel", err, http.StatusConflict, "channels.already_have")
	_, err = w.svc.Create(bo, channels.ProfileInput{Handle: ptr("HANS_KITCHEN"), Name: ptr("Bo")})
	wantProblem(t, "taken handle", err, http.StatusBadRequest, "channels.handle_taken")

	seen := must(w.svc.ByHandle(bo, "HANS_Kitchen"))(t)
	if seen.Mine || seen.ID != ch.ID || seen.Owner != han {
		t.Fatalf("as bo: %+v", seen)
	}
	if rec := must(w.svc.AvatarRecord("hans_kitchen"))(t); rec == nil {
		t.Fatal("no avatar record")
	}
	_, err = w.svc.ChannelOf(bo, bo)
	wantProblem(t, "bo has none", err, http.StatusNotFound, "channels.not_found")
	_, err = w.svc.Update(bo, channels.ProfileInput{Name: ptr("Bo")})
	wantProblem(t, "update none", err, http.StatusNotFound, "channels.not_found")
	_, err = w.svc.Update(han, channels.ProfileInput{Name: ptr("  ")})
	wantProblem(t, "blank name", err, http.StatusBadRequest, "validation_required")
	up := must(w.svc.Update(han, channels.ProfileInput{Bio: ptr("Noodles and dumplings")}))(t)
	if up.Name != "Han's Kitchen" || up.Bio != "Noodles and dumplings" || up.Handle != "hans_kitchen" {
		t.Fatalf("updated: %+v", up)
	}
}

func TestTags(t *testing.T) {
	long := strings.Repeat("x", channels.TagMax+1)
	for caption, want := range map[string][]string{
		"Dinner #美食 at home #Food_1, #food_1 again":  {"美食", "food_1"},
		"a#b is not a tag, nor is # alone, nor x#美食": nil,
		"(#one)#two ##three #four.#five":             {"one", "two", "three", "four", "five"},
		"#" + long + " #ok":                          {"ok"},
		"#1 #2 #3 #4 #5 #6 #7 #8 #9 #10 #11 #12":     {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
		"跑步#晨跑 中文前面的不是，#晨跑 是的 #東京":                   {"晨跑", "東京"},
		"#Café #CAFÉ":  {"café"},
		"no tags here": nil,
	} {
		if got := channels.Tags(caption); !slices.Equal(got, want) {
			t.Errorf("Tags(%q) = %q, want %q", caption, got, want)
		}
	}
}

func TestPublishEditDelete(t *testing.T) {
	w := newWorld(t)
	han, bo := w.creator("hans_kitchen"), w.member("bo")
	_, err := w.svc.Publish(bo, channels.PostInput{Caption: "hi", Photos: []*filesystem.File{w.png(8, 8)}})
	wantProblem(t, "no channel", err, http.StatusNotFound, "channels.no_channel")
	_, err = w.svc.Publish(han, channels.PostInput{Caption: "words only"})
	wantProblem(t, "no media", err, http.StatusBadRequest, "channels.media_required")
	ten := make([]*filesystem.File, channels.PhotosMax+1)
	_, err = w.svc.Publish(han, channels.PostInput{Photos: ten})
	wantProblem(t, "ten photos", err, http.StatusBadRequest, "moments.too_many_photos")
	webm := func() *filesystem.File {
		f, _ := filesystem.NewFileFromBytes(append([]byte("\x1a\x45\xdf\xa3"), make([]byte, 600)...), "v.webm")
		return f
	}
	_, err = w.svc.Publish(han, channels.PostInput{Video: webm(), DurationMs: 2000})
	wantProblem(t, "no poster", err, http.StatusBadRequest, "moments.poster_required")
	_, err = w.svc.Publish(han, channels.PostInput{Video: webm(), Poster: w.png(8, 8), DurationMs: 601_000})
	wantProblem(t, "too long", err, http.StatusBadRequest, "moments.video_too_long")

	p := must(w.svc.Publish(han, channels.PostInput{Caption: " Dumplings #美食 #Food a#b ", Location: "Hangzhou",
		Photos: []*filesystem.File{w.png(40, 30), w.png(30, 40)}}))(t)
	if p.Caption != "Dumplings #美食 #Food a#b" || !slices.Equal(p.Tags, []string{"美食", "food"}) || p.MediaKind != "photo" ||
		len(p.Media) != 2 || p.Media[0].Width != 40 || p.Media[1].Height != 40 || !p.Channel.Mine || p.Location != "Hangzhou" ||
		!p.Posted.Equal(w.now) || p.Edited {
		t.Fatalf("published: %+v", p)
	}
	v := must(w.svc.Publish(han, channels.PostInput{Caption: "clip", Video: webm(), Poster: w.png(16, 9), DurationMs: 2500}))(t)
	if v.MediaKind != "video" || len(v.Media) != 1 || v.Media[0].Mime != "video/webm" || v.Media[0].DurationMs != 2500 || !v.Media[0].HasPoster {
		t.Fatalf("video post: %+v", v)
	}
	if ch := must(w.svc.ChannelOf("", han))(t); ch.Posts != 2 {
		t.Fatalf("channel counts %d posts", ch.Posts)
	}

	_, err = w.svc.EditCaption(bo, p.ID, "mine now")
	wantProblem(t, "edit by another", err, http.StatusNotFound, "channels.not_found")
	ed := must(w.svc.EditCaption(han, p.ID, "Dumplings #早餐"))(t)
	if !ed.Edited || !slices.Equal(ed.Tags, []string{"早餐"}) {
		t.Fatalf("edited: %+v", ed)
	}
	if old := must(w.svc.Tagged("", "美食", "", 10))(t); len(old.Posts) != 0 {
		t.Fatal("the old tag still lists the post")
	}
	if now := must(w.svc.Tagged("", "#早餐", "", 10))(t); !slices.Equal(ids(now.Posts), []string{p.ID}) {
		t.Fatalf("the new tag: %v", ids(now.Posts))
	}
	wantProblem(t, "delete by another", w.svc.Delete(bo, p.ID), http.StatusNotFound, "channels.not_found")
	if err := w.svc.Delete(han, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.PostFor(han, p.ID)
	wantProblem(t, "deleted", err, http.StatusNotFound, "channels.not_found")
	if ch := must(w.svc.ChannelOf("", han))(t); ch.Posts != 1 {
		t.Fatalf("after delete the channel counts %d posts", ch.Posts)
	}
	if _, err := w.svc.PostIn("", "hans_kitchen", v.ID); err != nil {
		t.Fatal(err)
	}
	w.creator("other_one")
	_, err = w.svc.PostIn("", "other_one", v.ID)
	wantProblem(t, "under another handle", err, http.StatusNotFound, "channels.not_found")
}

func TestLikesAndFavouritesAreIdempotent(t *testing.T) {
	w := newWorld(t)
	han, bo, cy := w.creator("hans_kitchen"), w.member("bo"), w.member("cy")
	p := w.post(han, "noodles")
	hot0 := channels.Hot(0, 0, 0, p.Posted)
	for range 2 {
		if got := must(w.svc.Like(bo, p.ID))(t); got.Likes != 1 || !got.Liked {
			t.Fatalf("bo likes: %d, liked %v", got.Likes, got.Liked)
		}
	}
	if got := must(w.svc.Like(cy, p.ID))(t); got.Likes != 2 || !got.Liked {
		t.Fatalf("cy likes: %d", got.Likes)
	}
	for range 2 {
		if got := must(w.svc.Unlike(bo, p.ID))(t); got.Likes != 1 || got.Liked {
			t.Fatalf("bo unlikes: %d, liked %v", got.Likes, got.Liked)
		}
	}
	if got := must(w.svc.PostFor(cy, p.ID))(t); got.Likes != 1 || !got.Liked {
		t.Fatalf("as cy: %d, liked %v", got.Likes, got.Liked)
	}
	var hot float64
	if err := w.app.DB().NewQuery(`SELECT hot FROM channels_posts WHERE id = {:p}`).Bind(map[string]any{"p": p.ID}).Row(&hot); err != nil {
		t.Fatal(err)
	}
	if want := channels.Hot(1, 0, 0, p.Posted); hot != want || hot <= hot0 {
		t.Fatalf("hot %v, want %v (unliked %v)", hot, want, hot0)
	}
	for range 2 {
		if got := must(w.svc.Favourite(bo, p.ID))(t); !got.Favourited {
			t.Fatal("not favourited")
		}
	}
	if favs := must(w.svc.Favourites(bo, "", 10))(t); !slices.Equal(ids(favs.Posts), []string{p.ID}) || !favs.Posts[0].Favourited {
		t.Fatalf("bo's favourites: %v", ids(favs.Posts))
	}
	if got := must(w.svc.Unfavourite(bo, p.ID))(t); got.Favourited {
		t.Fatal("still favourited")
	}
	if favs := must(w.svc.Favourites(bo, "", 10))(t); len(favs.Posts) != 0 {
		t.Fatal("unfavourited post still listed")
	}
	_, err := w.svc.Like(bo, "nosuchpost00000")
	wantProblem(t, "like nothing", err, http.StatusNotFound, "channels.not_found")
}

// TestComments: a reply to a reply joins the top-level thread and names
// whom it answers; authors delete their own comments, the creator any on
// their post; only a top-level comment is pinned, one at a time, first on
// the first page only; pages cover every comment once.
func TestComments(t *testing.T) {
	w := newWorld(t)
	han, ann, bo, cy := w.creator("hans_kitchen"), w.member("ann"), w.member("bo"), w.member("cy")
	p, other := w.post(han, "soup"), w.post(han, "rice")
	add := func(who, text, re string) channels.Comment {
		t.Helper()
		return must(w.tick().svc.AddComment(who, p.ID, channels.CommentInput{Text: text, ReplyTo: re}))(t)
	}
	_, err := w.svc.AddComment(ann, p.ID, channels.CommentInput{Text: "  "})
	wantProblem(t, "blank", err, http.StatusBadRequest, "validation_required")
	_, err = w.svc.AddComment(ann, p.ID, channels.CommentInput{Text: strings.Repeat("字", channels.CommentMax+1)})
	wantProblem(t, "long", err, http.StatusBadRequest, "profile.too_long")
	top := add(ann, "Looks great", "")
	r1 := add(bo, "Agreed", top.ID)
	r2 := add(cy, "Me too, bo", r1.ID)
	if r1.ReplyTo != ann || r2.ReplyTo != bo {
		t.Fatalf("replies answer %q and %q", r1.ReplyTo, r2.ReplyTo)
	}
	_, err = w.svc.AddComment(cy, other.ID, channels.CommentInput{Text: "wrong post", ReplyTo: top.ID})
	wantProblem(t, "reply across posts", err, http.StatusBadRequest, "channels.not_found")
	page := must(w.svc.Comments(p.ID, "", 20))(t)
	if len(page.Comments) != 1 || len(page.Comments[0].Replies) != 2 || page.Comments[0].Replies[1].ID != r2.ID {
		t.Fatalf("thread: %+v", page.Comments)
	}
	if got := must(w.svc.PostFor("", p.ID))(t); got.Comments != 3 {
		t.Fatalf("post counts %d comments", got.Comments)
	}

	wantProblem(t, "cy deletes bo's", w.svc.DeleteComment(cy, r1.ID), http.StatusNotFound, "channels.not_found")
	if err := w.svc.DeleteComment(bo, r1.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeleteComment(han, top.ID); err != nil { // the creator; the replies go with it
		t.Fatal(err)
	}
	if got := must(w.svc.PostFor("", p.ID))(t); got.Comments != 0 {
		t.Fatalf("after deletes the post counts %d comments", got.Comments)
	}

	var tops []channels.Comment
	for i := range 5 {
		tops = append(tops, add([]string{ann, bo, cy}[i%3], "comment "+string(rune('a'+i)), ""))
	}
	reply := add(bo, "a reply", tops[3].ID)
	wantProblem(t, "pin by a commenter", w.svc.PinComment(ann, tops[0].ID, true), http.StatusNotFound, "channels.not_found")
	wantProblem(t, "pin a reply", w.svc.PinComment(han, reply.ID, true), http.StatusBadRequest, "channels.pin_reply")
	for _, pin := range []int{2, 4} {
		if err := w.svc.PinComment(han, tops[pin].ID, true); err != nil {
			t.Fatal(err)
		}
		first := must(w.svc.Comments(p.ID, "", 3))(t)
		if first.Comments[0].ID != tops[pin].ID || !first.Comments[0].Pinned || first.Comments[1].Pinned {
			t.Fatalf("pinned %d: first page %+v", pin, first.Comments)
		}
	}
	// Every page size walks every top-level comment once, the pinned one first.
	for _, size := range []int{1, 2, 3, 5, 6} {
		var got []string
		for after, n := "", 0; n < 10; n++ {
			pg := must(w.svc.Comments(p.ID, after, size))(t)
			for _, c := range pg.Comments {
				got = append(got, c.ID)
			}
			if after = pg.Next; after == "" {
				break
			}
		}
		want := []string{tops[4].ID, tops[0].ID, tops[1].ID, tops[2].ID, tops[3].ID}
		if !slices.Equal(got, want) {
			t.Fatalf("pages of %d: %v, want %v", size, got, want)
		}
	}
	if err := w.svc.PinComment(han, tops[4].ID, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range must(w.svc.Comments(p.ID, "", 10))(t).Comments {
		if c.Pinned {
			t.Fatalf("%s still pinned", c.ID)
		}
	}
}
