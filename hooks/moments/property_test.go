package moments_test

// TestVisibilityMatchesTheRules builds random communities (friendships,
// tags, per-friend switches, blocks, ranges, "strangers may see ten"),
// posts, likes, comments and replies through the real operations, then
// changes things after posting (unfriend, block, tag edits, range, private,
// takedown, deletes), and compares what every member sees — feed, every
// album, every post, likes, comments, reminds, notifications, badge, media
// access, and what each member was allowed to do — with an oracle written
// straight from the rules in docs/MOMENTS.md. It shares no code with the
// package.
//
//	go test ./hooks/moments/ -run TestVisibilityMatchesTheRules            # 50 seeds
//	go test ./hooks/moments/ -run TestVisibilityMatchesTheRules -short     # 5 seeds
//	go test ./hooks/moments/ -run TestVisibilityMatchesTheRules -moments.seeds 500
//	go test ./hooks/moments/ -run TestVisibilityMatchesTheRules -moments.seed 17 -v

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/moments"
	"plaza/hooks/problem"
)

var (
	propSeeds = flag.Int("moments.seeds", 0, "TestVisibilityMatchesTheRules: how many seeds (default 50, 5 with -short)")
	propSeed  = flag.Int64("moments.seed", -1, "TestVisibilityMatchesTheRules: run only this seed")
)

func TestVisibilityMatchesTheRules(t *testing.T) {
	n := *propSeeds
	if n == 0 {
		n = 50
		if testing.Short() {
			n = 5
		}
	}
	for seed := int64(1); seed <= int64(n); seed++ {
		if *propSeed >= 0 && seed != *propSeed {
			continue
		}
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel() // each seed has its own app
			runWorld(t, seed)
		})
	}
}

// --- the oracle's model -----------------------------------------------------

type pair struct{ a, b string }

type oPost struct {
	id, author, vis    string
	audience           map[string]bool
	reminds            []string
	posted             time.Time
	takenDown, deleted bool
	likes              []oLike
	comments           []oComment
}

type oLike struct {
	member string
	at     time.Time
}

type oComment struct {
	id, author, replyTo string
	at                  time.Time
	deleted             bool
}

type oNote struct {
	member, actor, post, kind, comment string
	at                                 time.Time
}

type model struct {
	ids       []string
	friend    map[pair]bool // both orders stored
	block     map[pair]bool // owner → target
	chatOnly  map[pair]bool // owner's switch for friend
	hideMine  map[pair]bool
	hideTheir map[pair]bool
	tags      map[string]map[string][]string // owner → tag id → friends
	rangeOf   map[string]string
	strangers map[string]bool
	posts     []*oPost
	notes     []*oNote
	now       time.Time
}

func (m *model) blocked(a, b string) bool { return m.block[pair{a, b}] || m.block[pair{b, a}] }
func (m *model) friends(a, b string) bool { return m.friend[pair{a, b}] && !m.blocked(a, b) }
func (m *model) chatOnlyEither(a, b string) bool {
	return m.chatOnly[pair{a, b}] || m.chatOnly[pair{b, a}]
}

// inPeople: whose likes and comments v sees.
func (m *model) inPeople(v, who string) bool {
	return v == who || m.friends(v, who) && !m.chatOnlyEither(v, who)
}

const (
	aNone = iota
	aSelf
	aFriend
	aStranger
)

func (m *model) access(v, o string) int {
	switch {
	case v == o:
		return aSelf
	case m.friends(v, o):
		if m.chatOnlyEither(v, o) || m.hideMine[pair{o, v}] {
			return aNone
		}
		return aFriend
	case m.blocked(v, o):
		return aNone
	}
	return aStranger
}

func (m *model) cutoff(o string) time.Time {
	switch m.rangeOf[o] {
	case "6m":
		return m.now.AddDate(0, -6, 0)
	case "1m":
		return m.now.AddDate(0, -1, 0)
	case "3d":
		return m.now.AddDate(0, 0, -3)
	}
	return time.Time{}
}

func newer(a, b *oPost) bool {
	return a.posted.After(b.posted) || a.posted.Equal(b.posted) && a.id > b.id
}

func (m *model) sortedPosts(keep func(p *oPost) bool) []*oPost {
	var out []*oPost
	for _, p := range m.posts {
		if !p.deleted && keep(p) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return newer(out[i], out[j]) })
	return out
}

func (m *model) visible(v string, p *oPost) bool {
	if p.deleted || p.takenDown {
		return false
	}
	switch m.access(v, p.author) {
	case aSelf:
		return true
	case aFriend:
		if p.vis == "private" || p.vis == "include" && !p.audience[v] || p.vis == "exclude" && p.audience[v] {
			return false
		}
		return !p.posted.Before(m.cutoff(p.author))
	case aStranger:
		if !m.strangers[p.author] {
			return false
		}
		ten := m.sortedPosts(func(q *oPost) bool {
			return q.author == p.author && q.vis == "all" && !q.takenDown && !q.posted.Before(m.cutoff(p.author))
		})
		for i, q := range ten {
			if i < 10 && q == p {
				return true
			}
		}
	}
	return false
}

func (m *model) feed(v string) []*oPost {
	return m.sortedPosts(func(p *oPost) bool {
		if p.author != v && (!m.friends(v, p.author) || m.hideTheir[pair{v, p.author}]) {
			return false
		}
		return m.visible(v, p)
	})
}

func (m *model) album(v, o string) []*oPost {
	return m.sortedPosts(func(p *oPost) bool { return p.author == o && m.visible(v, p) })
}

func (m *model) seenLikes(v string, p *oPost) []string {
	var out []string
	for _, l := range p.likes {
		if m.inPeople(v, l.member) {
			out = append(out, l.member)
		}
	}
	return out
}

func (m *model) seenComments(v string, p *oPost) []string {
	var out []string
	for _, c := range p.comments {
		if !c.deleted && m.inPeople(v, c.author) && (c.replyTo == "" || m.inPeople(v, c.replyTo)) {
			out = append(out, c.author+">"+c.replyTo+":"+c.id)
		}
	}
	return out
}

func (m *model) seenNotes(v string) []string {
	var out []*oNote
	for _, n := range m.notes {
		p := m.post(n.post)
		if n.member != v || p == nil || p.deleted || p.takenDown || !m.inPeople(v, n.actor) {
			continue
		}
		if p.author != v && !(m.access(v, p.author) == aFriend && m.visible(v, p)) {
			continue
		}
		out = append(out, n)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.After(out[j].at) })
	var keys []string
	for _, n := range out {
		keys = append(keys, n.kind+":"+n.actor+":"+n.post+":"+n.comment)
	}
	return keys
}

func (m *model) post(id string) *oPost {
	for _, p := range m.posts {
		if p.id == id {
			return p
		}
	}
	return nil
}

func (m *model) comment(id string) (*oPost, *oComment) {
	for _, p := range m.posts {
		for i := range p.comments {
			if p.comments[i].id == id {
				return p, &p.comments[i]
			}
		}
	}
	return nil, nil
}

// --- the world ----------------------------------------------------------------

type world struct {
	t    *testing.T
	app  core.App
	svc  *moments.Service
	rng  *rand.Rand
	m    *model
	tick time.Time
}

func (w *world) advance() time.Time {
	w.tick = w.tick.Add(time.Millisecond)
	return w.tick
}

func (w *world) pick(ids []string) string { return ids[w.rng.IntN(len(ids))] }

func (w *world) save(collection string, fields map[string]any) *core.Record {
	w.t.Helper()
	col, err := w.app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		w.t.Fatal(err)
	}
	r := core.NewRecord(col)
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := w.app.Save(r); err != nil {
		w.t.Fatalf("save %s: %v", collection, err)
	}
	return r
}

func runWorld(t *testing.T, seed int64) {
	app := testapp.New(t)
	w := &world{t: t, app: app, svc: testapp.Services(t, app).Moments, rng: rand.New(rand.NewPCG(uint64(seed), 7)),
		m: &model{friend: map[pair]bool{}, block: map[pair]bool{}, chatOnly: map[pair]bool{}, hideMine: map[pair]bool{},
			hideTheir: map[pair]bool{}, tags: map[string]map[string][]string{}, rangeOf: map[string]string{}, strangers: map[string]bool{}}}
	if seed%2 == 0 { // even seeds: every feed walks all posts by time, as a member with many friends'
		w.svc.SetFeedFewAuthors(0)
	}
	base := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	w.m.now = base
	w.tick = base.AddDate(0, -8, 0)
	w.svc.SetClock(func() time.Time { return w.tick })

	w.buildCommunity(20)
	for range 30 {
		w.randomPost()
	}
	w.tick = base.Add(-time.Hour)
	for range 100 {
		w.randomInteraction()
	}
	w.tick = base
	w.compareAll("after posting", false)
	w.changeThings()
	w.tick = base
	w.compareAll("after changes", true)
}

func (w *world) buildCommunity(size int) {
	for i := range size {
		r := testapp.CreateMember(w.t, w.app, fmt.Sprintf("mem%03d", i))
		w.m.ids = append(w.m.ids, r.Id)
	}
	ids := w.m.ids
	for i, a := range ids {
		for _, b := range ids[i+1:] {
			if w.rng.IntN(100) < 45 {
				w.befriend(a, b)
			}
		}
	}
	for _, a := range ids {
		for _, b := range ids {
			if a == b {
				continue
			}
			if w.rng.IntN(100) < 4 {
				w.blockMember(a, b)
			}
		}
		w.m.rangeOf[a] = []string{"all", "all", "6m", "1m", "3d"}[w.rng.IntN(5)]
		w.m.strangers[a] = w.rng.IntN(3) == 0
		if err := w.svc.SaveSettings(a, w.m.rangeOf[a], w.m.strangers[a]); err != nil {
			w.t.Fatal(err)
		}
		w.randomTags(a)
	}
}

func (w *world) befriend(a, b string) {
	for _, p := range []pair{{a, b}, {b, a}} {
		co, hm, ht := w.rng.IntN(100) < 8, w.rng.IntN(100) < 10, w.rng.IntN(100) < 10
		w.save("contacts", map[string]any{"owner": p.a, "friend": p.b, "chat_only": co, "hide_my_moments": hm, "hide_their_moments": ht, "source": "id"})
		w.m.friend[p], w.m.chatOnly[p], w.m.hideMine[p], w.m.hideTheir[p] = true, co, hm, ht
	}
}

func (w *world) blockMember(a, b string) {
	w.save("blocks", map[string]any{"owner": a, "target": b})
	w.m.block[pair{a, b}] = true
}

// randomTags gives a member two tags over some of their friends.
func (w *world) randomTags(owner string) {
	w.m.tags[owner] = map[string][]string{}
	var friends []*core.Record
	recs, err := w.app.FindRecordsByFilter("contacts", "owner = {:o}", "", 0, 0, map[string]any{"o": owner})
	if err != nil {
		w.t.Fatal(err)
	}
	friends = recs
	for k := range 2 {
		tag := w.save("contact_tags", map[string]any{"owner": owner, "name": fmt.Sprintf("tag%d", k)})
		for _, c := range friends {
			if w.rng.IntN(3) == 0 {
				c.Set("tags", append(c.GetStringSlice("tags"), tag.Id))
				if err := w.app.Save(c); err != nil {
					w.t.Fatal(err)
				}
				w.m.tags[owner][tag.Id] = append(w.m.tags[owner][tag.Id], c.GetString("friend"))
			}
		}
	}
}

func (w *world) tagIDs(owner string) []string {
	var out []string
	for id := range w.m.tags[owner] {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// randomPost publishes a post at a random age and checks that the server
// accepted exactly what the rules allow.
func (w *world) randomPost() {
	m := w.m
	author := w.pick(m.ids)
	w.tick = m.now.Add(-time.Duration(w.rng.IntN(240*24)) * time.Hour).Add(time.Duration(w.rng.IntN(3600)) * time.Second)
	in := moments.PostInput{Text: "post", Visibility: []string{"all", "all", "private", "include", "exclude"}[w.rng.IntN(5)]}
	var friendsOf []string
	for _, id := range m.ids {
		if m.friends(author, id) {
			friendsOf = append(friendsOf, id)
		}
	}
	audience := map[string]bool{}
	if in.Visibility == "include" || in.Visibility == "exclude" {
		if tags := w.tagIDs(author); len(tags) > 0 && w.rng.IntN(2) == 0 {
			tag := w.pick(tags)
			in.Tags = []string{tag}
			for _, f := range m.tags[author][tag] {
				if m.friends(author, f) {
					audience[f] = true
				}
			}
		}
		for range w.rng.IntN(3) {
			if len(friendsOf) > 0 {
				f := w.pick(friendsOf)
				in.Members = append(in.Members, f)
				audience[f] = true
			}
		}
		if w.rng.IntN(10) == 0 { // anyone among the chosen: a stranger is refused
			x := w.pick(m.ids)
			in.Members = append(in.Members, x)
			audience[x] = true
		}
	}
	if len(friendsOf) > 0 && w.rng.IntN(3) == 0 {
		in.Reminds = []string{w.pick(friendsOf)}
	}
	wantOK := true
	if (in.Visibility == "include" || in.Visibility == "exclude") && len(in.Tags) == 0 && len(in.Members) == 0 {
		wantOK = false
	}
	for _, f := range in.Members {
		if !m.friends(author, f) {
			wantOK = false
		}
	}
	for _, r := range in.Reminds {
		if in.Visibility == "private" || !m.friends(author, r) || m.chatOnlyEither(author, r) || m.hideMine[pair{author, r}] ||
			in.Visibility == "include" && !audience[r] || in.Visibility == "exclude" && audience[r] {
			wantOK = false
		}
	}
	posted := w.tick
	got, err := w.svc.Publish(author, in)
	if (err == nil) != wantOK {
		w.t.Fatalf("publish %+v by %s: got err %v, the rules say ok=%v", in, author, err, wantOK)
	}
	if err != nil {
		if _, ok := problem.As(err); !ok {
			w.t.Fatal(err)
		}
		return
	}
	p := &oPost{id: got.ID, author: author, vis: in.Visibility, audience: audience, reminds: in.Reminds, posted: posted}
	m.posts = append(m.posts, p)
	for _, r := range in.Reminds {
		m.notes = append(m.notes, &oNote{member: r, actor: author, post: p.id, kind: "remind", at: posted})
	}
}

// randomInteraction likes, unlikes, comments, replies or deletes a
// comment as a random member, on a random post, and checks the server
// allowed exactly what the rules allow.
func (w *world) randomInteraction() {
	m := w.m
	live := m.sortedPosts(func(*oPost) bool { return true })
	if len(live) == 0 {
		return
	}
	actor, p := w.pick(m.ids), live[w.rng.IntN(len(live))]
	at := w.advance()
	canSee := m.visible(actor, p)
	switch w.rng.IntN(5) {
	case 0, 1:
		err := w.svc.Like(actor, p.id)
		w.expect(err, canSee, "like")
		if err == nil && !slices.ContainsFunc(p.likes, func(l oLike) bool { return l.member == actor }) {
			p.likes = append(p.likes, oLike{actor, at})
			if actor != p.author {
				m.notes = append(m.notes, &oNote{member: p.author, actor: actor, post: p.id, kind: "like", at: at})
			}
		}
	case 2:
		err := w.svc.Unlike(actor, p.id)
		w.expect(err, canSee, "unlike")
		if err == nil {
			p.likes = slices.DeleteFunc(p.likes, func(l oLike) bool { return l.member == actor })
			m.notes = slices.DeleteFunc(m.notes, func(n *oNote) bool { return n.post == p.id && n.actor == actor && n.kind == "like" })
		}
	case 3:
		in, replyTo, ok := moments.CommentInput{Text: "hi"}, "", canSee
		if live := liveComments(p); len(live) > 0 && w.rng.IntN(2) == 0 {
			c := live[w.rng.IntN(len(live))]
			in.ReplyTo = c.id
			switch {
			case c.author == actor:
			case m.inPeople(actor, c.author):
				replyTo = c.author
			default:
				ok = false
			}
		}
		got, err := w.svc.AddComment(actor, p.id, in)
		w.expect(err, ok, "comment")
		if err == nil {
			p.comments = append(p.comments, oComment{id: got.ID, author: actor, replyTo: replyTo, at: at})
			if replyTo != "" {
				m.notes = append(m.notes, &oNote{member: replyTo, actor: actor, post: p.id, kind: "reply", comment: got.ID, at: at})
			}
			if p.author != actor && p.author != replyTo {
				m.notes = append(m.notes, &oNote{member: p.author, actor: actor, post: p.id, kind: "comment", comment: got.ID, at: at})
			}
		}
	case 4:
		live := liveComments(p)
		if len(live) == 0 {
			return
		}
		c := live[w.rng.IntN(len(live))]
		err := w.svc.DeleteComment(actor, c.id)
		w.expect(err, !p.takenDown && (c.author == actor || p.author == actor), "delete comment")
		if err == nil {
			c.deleted = true
			m.notes = slices.DeleteFunc(m.notes, func(n *oNote) bool { return n.comment == c.id })
		}
	}
}

func liveComments(p *oPost) []*oComment {
	var out []*oComment
	for i := range p.comments {
		if !p.comments[i].deleted {
			out = append(out, &p.comments[i])
		}
	}
	return out
}

func (w *world) expect(err error, allowed bool, what string) {
	w.t.Helper()
	if err == nil && !allowed {
		w.t.Fatalf("%s: the server allowed what the rules refuse", what)
	}
	if err != nil {
		if pr, ok := problem.As(err); !ok || allowed {
			w.t.Fatalf("%s: %v (the rules allow it: %v)", what, err, allowed)
		} else if pr.Key != "moments.not_found" {
			w.t.Fatalf("%s refused with %q, want moments.not_found", what, pr.Key)
		}
	}
}

// changeThings changes the world after posting, as members do.
func (w *world) changeThings() {
	m := w.m
	for range 6 {
		a, b := w.pick(m.ids), w.pick(m.ids)
		switch w.rng.IntN(7) {
		case 0: // unfriend (both sides go)
			if m.friend[pair{a, b}] {
				w.deleteRows("contacts", "(owner = {:a} && friend = {:b}) || (owner = {:b} && friend = {:a})", a, b)
				delete(m.friend, pair{a, b})
				delete(m.friend, pair{b, a})
			}
		case 1: // block
			if a != b && !m.block[pair{a, b}] {
				w.blockMember(a, b)
			}
		case 2: // tag edits: old posts keep their audience
			w.deleteRows("contact_tags", "owner = {:a}", a, "")
			w.randomTags(a)
		case 3: // range and strangers
			m.rangeOf[a] = []string{"all", "6m", "1m", "3d"}[w.rng.IntN(4)]
			m.strangers[a] = !m.strangers[a]
			if err := w.svc.SaveSettings(a, m.rangeOf[a], m.strangers[a]); err != nil {
				w.t.Fatal(err)
			}
		case 4: // a per-friend switch
			if m.friend[pair{a, b}] {
				rec, err := w.app.FindFirstRecordByFilter("contacts", "owner = {:a} && friend = {:b}", map[string]any{"a": a, "b": b})
				if err != nil {
					w.t.Fatal(err)
				}
				field := []string{"chat_only", "hide_my_moments", "hide_their_moments"}[w.rng.IntN(3)]
				rec.Set(field, !rec.GetBool(field))
				if err := w.app.Save(rec); err != nil {
					w.t.Fatal(err)
				}
				flags := map[string]map[pair]bool{"chat_only": m.chatOnly, "hide_my_moments": m.hideMine, "hide_their_moments": m.hideTheir}[field]
				flags[pair{a, b}] = rec.GetBool(field)
			}
		case 5: // set a post private, take one down, delete one
			if live := m.sortedPosts(func(*oPost) bool { return true }); len(live) > 0 {
				p := live[w.rng.IntN(len(live))]
				switch w.rng.IntN(3) {
				case 0:
					if err := w.svc.SetPrivate(p.author, p.id); (err == nil) != !p.takenDown {
						w.t.Fatalf("set private: %v", err)
					}
					if !p.takenDown {
						p.vis = "private"
					}
				case 1:
					rec, err := w.app.FindRecordById("moments_posts", p.id)
					if err != nil {
						w.t.Fatal(err)
					}
					rec.Set("taken_down", true) // what a superuser does in /_/
					if err := w.app.Save(rec); err != nil {
						w.t.Fatal(err)
					}
					p.takenDown = true
				case 2:
					if err := w.svc.Delete(p.author, p.id); (err == nil) != !p.takenDown {
						w.t.Fatalf("delete: %v", err)
					}
					if !p.takenDown {
						p.deleted = true
					}
				}
			}
		case 6: // a stranger tries to delete someone's post
			if live := m.sortedPosts(func(*oPost) bool { return true }); len(live) > 0 {
				p := live[w.rng.IntN(len(live))]
				if a != p.author {
					w.expect(w.svc.Delete(a, p.id), false, "delete someone else's post")
				}
			}
		}
	}
}

func (w *world) deleteRows(collection, filter, a, b string) {
	recs, err := w.app.FindRecordsByFilter(collection, filter, "", 0, 0, map[string]any{"a": a, "b": b})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, r := range recs {
		if err := w.app.Delete(r); err != nil {
			w.t.Fatal(err)
		}
	}
}

// --- comparing ----------------------------------------------------------------

func ids(posts []*oPost) []string {
	out := []string{}
	for _, p := range posts {
		out = append(out, p.id)
	}
	return out
}

// compareAll compares every member's view with the oracle: in full (every
// album, every post through the file door), or, between phases, a sample
// of albums and posts per member (the feed, notifications and badge are
// always compared in full).
func (w *world) compareAll(when string, full bool) {
	t, m := w.t, w.m
	for _, v := range m.ids {
		var got []string
		after := ""
		for {
			page, err := w.svc.Feed(v, after, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Posts {
				got = append(got, p.ID)
			}
			if page.Next == "" {
				break
			}
			after = page.Next
		}
		if want := ids(m.feed(v)); !slices.Equal(nonNil(got), want) {
			t.Fatalf("%s: feed of %s:\n got %v\nwant %v", when, v, got, want)
		}
		for _, o := range m.ids {
			if !full && o != v && w.rng.IntN(4) != 0 {
				continue
			}
			album, err := w.svc.AlbumOf(v, o, "", moments.PageMax)
			if err != nil {
				t.Fatal(err)
			}
			var gotIDs []string
			for _, p := range album.Posts {
				gotIDs = append(gotIDs, p.ID)
			}
			want := ids(m.album(v, o))
			if len(want) > moments.PageMax {
				want = want[:moments.PageMax]
			}
			if !slices.Equal(nonNil(gotIDs), want) {
				t.Fatalf("%s: album of %s seen by %s:\n got %v\nwant %v", when, o, v, gotIDs, want)
			}
			for i, p := range album.Posts {
				w.checkPost(when, v, m.album(v, o)[i], p)
			}
			a := m.access(v, o)
			if wantLimited := a == aStranger || a == aFriend && m.rangeOf[o] != "all"; album.Limited != wantLimited {
				t.Fatalf("%s: album of %s seen by %s: limited %v, want %v", when, o, v, album.Limited, wantLimited)
			}
		}
		// Every post through the file door (CanSee), a few through the
		// one-post door in full; the albums above carry every visible
		// post's likes, comments and reminds, checked in checkPost.
		sample := map[int]bool{w.rng.IntN(len(m.posts)): true, w.rng.IntN(len(m.posts)): true, w.rng.IntN(len(m.posts)): true}
		for i, p := range m.posts {
			if !full && !sample[i] && w.rng.IntN(4) != 0 {
				continue
			}
			canSee := m.visible(v, p)
			if ok, err := w.svc.CanSee(v, p.id); err != nil || ok != canSee {
				t.Fatalf("%s: CanSee(%s, %s) = %v %v, want %v", when, v, p.id, ok, err, canSee)
			}
			if !sample[i] && canSee {
				continue
			}
			got, err := w.svc.PostFor(v, p.id)
			if !canSee {
				if pr, ok := problem.As(err); !ok || pr.Key != "moments.not_found" {
					t.Fatalf("%s: %s opened %s, which the rules hide: %v", when, v, p.id, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %s cannot open %s: %v", when, v, p.id, err)
			}
			w.checkPost(when, v, p, got)
		}
		notes, err := w.svc.Notifications(v, "")
		if err != nil {
			t.Fatal(err)
		}
		var gotNotes []string
		for _, n := range notes {
			gotNotes = append(gotNotes, n.Kind+":"+n.Actor+":"+n.Post+":"+n.Comment)
		}
		want := m.seenNotes(v)
		if len(want) > moments.NotesPageMax {
			want = want[:moments.NotesPageMax]
		}
		if !slices.Equal(nonNil(gotNotes), nonNil(want)) {
			t.Fatalf("%s: notifications of %s:\n got %v\nwant %v", when, v, gotNotes, want)
		}
		badge, err := w.svc.UnreadCount(w.app, v)
		if err != nil || badge != len(m.seenNotes(v)) {
			t.Fatalf("%s: badge of %s = %d %v, want %d", when, v, badge, err, len(m.seenNotes(v)))
		}
	}
}

// checkPost compares one post as v got it with the rules.
func (w *world) checkPost(when, v string, p *oPost, got moments.Post) {
	t, m := w.t, w.m
	if got.ID != p.id {
		t.Fatalf("%s: %s got post %s, want %s", when, v, got.ID, p.id)
	}
	if want := m.seenLikes(v, p); !slices.Equal(nonNil(got.Likes), nonNil(want)) {
		t.Fatalf("%s: likes of %s seen by %s:\n got %v\nwant %v", when, p.id, v, got.Likes, want)
	}
	var gotComments []string
	for _, c := range got.Comments {
		gotComments = append(gotComments, c.Author+">"+c.ReplyTo+":"+c.ID)
	}
	if want := m.seenComments(v, p); !slices.Equal(nonNil(gotComments), nonNil(want)) {
		t.Fatalf("%s: comments of %s seen by %s:\n got %v\nwant %v", when, p.id, v, gotComments, want)
	}
	var wantReminds []string
	for _, r := range p.reminds {
		if m.inPeople(v, r) {
			wantReminds = append(wantReminds, r)
		}
	}
	if !slices.Equal(nonNil(got.Reminds), nonNil(wantReminds)) {
		t.Fatalf("%s: reminds of %s seen by %s: got %v want %v", when, p.id, v, got.Reminds, wantReminds)
	}
	if (got.Visibility != "") != (v == p.author) {
		t.Fatalf("%s: %s sees the visibility of %s's post: %q", when, v, p.author, got.Visibility)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
