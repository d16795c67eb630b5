package channelsweb_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

// comment is one decoded comment.
type comment struct {
	ID      string
	Author  struct{ ID, Name string }
	ReplyTo *struct{ ID, Name string } `json:"reply_to"`
	Text    string
	Pinned  bool
	Replies []comment
}

func (w *world) comments(who *core.Record, postID string) []comment {
	w.t.Helper()
	rec := w.do(who, "GET", api+"/posts/"+postID+"/comments", "", nil)
	var page struct{ Items []comment }
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
		w.t.Fatalf("comments: %d %s", rec.Code, rec.Body.String())
	}
	return page.Items
}

// TestChannelsAPIComments: a comment, a reply and a reply to the reply
// (one thread, naming whom it answers, as each viewer knows them); only
// the creator pins (not a reply); who may delete what.
func TestChannelsAPIComments(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Dawn ride", 1)
	p := api + "/posts/" + id
	first := w.ok(201, w.bo, "POST", p+"/comments", `{"text":"Lovely light"}`)["id"].(string)
	reply := w.ok(201, w.cy, "POST", p+"/comments", `{"text":"Where?","reply_to":"`+first+`"}`)
	if to := reply["reply_to"].(map[string]any); to["id"] != w.bo.Id || to["name"] != "Bobby B" || reply["author"].(map[string]any)["name"] != "cy0001" {
		t.Errorf("Cy's reply, as Cy sees it: %v", reply)
	}
	deeReply := w.ok(201, w.dee, "POST", p+"/comments", `{"text":"Tempelhof","reply_to":"`+reply["id"].(string)+`"}`)["id"].(string)
	second := w.ok(201, w.dee, "POST", p+"/comments", `{"text":"Second!"}`)["id"].(string)
	w.refused("an empty comment", w.do(w.bo, "POST", p+"/comments", `{"text":"  "}`, nil), 400, "request.invalid", "text", "validation_required")
	w.refused("a reply to nothing", w.do(w.bo, "POST", p+"/comments", `{"text":"x","reply_to":"nosuchcomment12"}`, nil), 400, "request.invalid", "reply_to", "channels.not_found")

	for _, who := range []*core.Record{nil, w.cy} {
		list := w.comments(who, id)
		if len(list) != 2 || list[0].ID != first || len(list[0].Replies) != 2 || list[1].ID != second {
			t.Fatalf("comments as %v: %+v", who, list)
		}
		th := list[0].Replies
		if th[0].Author.ID != w.cy.Id || th[1].ID != deeReply || th[1].ReplyTo == nil || th[1].ReplyTo.ID != w.cy.Id {
			t.Errorf("the thread: %+v", th)
		}
		want := map[*core.Record]string{nil: "bo0001", w.cy: "Bobby B"}[who]
		if list[0].Author.Name != want {
			t.Errorf("Bo's name as %v sees it: %q, want %q", who, list[0].Author.Name, want)
		}
	}
	if n := w.ok(200, nil, "GET", p, "")["comments"]; n != 4.0 {
		t.Errorf("comments counted: %v", n)
	}

	// Pins: the creator's, top-level only; one at a time, shown first.
	w.refused("a commenter pins", w.do(w.bo, "POST", api+"/comments/"+first+"/pin", "", nil), 404, "channels.not_found", "", "")
	w.refused("a reply pinned", w.do(w.ann, "POST", api+"/comments/"+deeReply+"/pin", "", nil), 400, "channels.pin_reply", "", "")
	w.ok(204, w.ann, "POST", api+"/comments/"+first+"/pin", "")
	w.ok(204, w.ann, "POST", api+"/comments/"+second+"/pin", "")
	if list := w.comments(nil, id); list[0].ID != second || !list[0].Pinned || list[1].Pinned {
		t.Errorf("after pinning the second: %+v", list)
	}
	w.ok(204, w.ann, "DELETE", api+"/comments/"+second+"/pin", "")
	if list := w.comments(nil, id); list[0].ID != first || list[1].Pinned {
		t.Errorf("after unpinning: %+v", list)
	}

	// Deleting: one's own, or anything on one's own post; with its replies.
	w.refused("a stranger deletes Bo's comment", w.do(w.cy, "DELETE", api+"/comments/"+first, "", nil), 404, "channels.not_found", "", "")
	w.ok(204, w.dee, "DELETE", api+"/comments/"+deeReply, "")
	w.ok(204, w.ann, "DELETE", api+"/comments/"+first, "")
	if list := w.comments(nil, id); len(list) != 1 || list[0].ID != second {
		t.Errorf("after deleting: %+v", list)
	}
	if n := w.ok(200, nil, "GET", p, "")["comments"]; n != 1.0 {
		t.Errorf("comments counted after deleting: %v", n)
	}
}

// TestChannelsAPIViewsAndStats: a view counts once per member per day and
// once per signed-out visitor per day (by their address: another browser
// at it is the same visitor), never the creator's own, shows in the answer
// that counted it, and in the creator's stats with the followers.
func TestChannelsAPIViewsAndStats(t *testing.T) {
	w := newWorld(t)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	testapp.Services(t, w.app).Channels.SetClock(func() time.Time { return now })
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Dawn ride", 1)
	view := func(who *core.Record, agent string) float64 {
		t.Helper()
		return w.decode(200, "view", w.do(who, "GET", api+"/posts/"+id, "", map[string]string{"User-Agent": agent}))["views"].(float64)
	}
	steps := []struct {
		who   *core.Record
		agent string
		want  float64
	}{{w.ann, "A", 0}, {w.bo, "A", 1}, {w.bo, "B", 1}, {nil, "Firefox", 2}, {nil, "Firefox", 2}, {nil, "Chrome", 2}, {w.cy, "Firefox", 3}}
	for i, s := range steps {
		if got := view(s.who, s.agent); got != s.want {
			t.Fatalf("view %d: %v, want %v", i, got, s.want)
		}
	}
	now = now.Add(24 * time.Hour) // a new day: everyone counts again
	if got := view(w.bo, "A"); got != 4 {
		t.Errorf("Bo the next day: %v", got)
	}
	if got := view(nil, "Firefox"); got != 5 {
		t.Errorf("the visitor the next day: %v", got)
	}
	w.ok(200, w.bo, "POST", api+"/c/annrides/follow", "")
	w.ok(200, w.cy, "POST", api+"/c/annrides/follow", "")
	w.ok(200, w.cy, "DELETE", api+"/c/annrides/follow", "")

	var stats struct {
		Channel struct{ Handle string }
		Views   int
		Days    []struct {
			Day                                    string
			Views, Followers, Followed, Unfollowed int
		}
	}
	rec := w.do(w.ann, "GET", api+"/me/stats", "", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &stats); rec.Code != 200 || err != nil || len(stats.Days) != 30 {
		t.Fatalf("stats: %d %s", rec.Code, rec.Body.String())
	}
	last, before := stats.Days[29], stats.Days[28]
	if stats.Channel.Handle != "annrides" || stats.Views != 5 || last.Day != "2026-03-11" || last.Views != 2 || before.Views != 3 {
		t.Errorf("views: %+v", stats)
	}
	if last.Followers != 1 || last.Followed != 2 || last.Unfollowed != 1 || before.Followers != 0 {
		t.Errorf("followers: %+v %+v", before, last)
	}
	w.refused("stats without a channel", w.do(w.bo, "GET", api+"/me/stats", "", nil), 404, "channels.not_found", "", "")
}

// TestChannelsAPIShare: a post shared into a chat arrives as the
// channel_post card whose link is the post's page; a retry sends nothing
// twice; a chat one is not in sends nothing at all.
func TestChannelsAPIShare(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Dawn ride over the river", 1)
	direct, err := chat.OpenDirect(w.app, w.bo.Id, w.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	body := `{"to":["` + direct + `"],"client_id":"share-1"}`
	sent := w.ok(200, w.bo, "POST", api+"/posts/"+id+"/share", body)
	w.ok(200, w.bo, "POST", api+"/posts/"+id+"/share", body) // a retry
	if items := sent["items"].([]any); len(items) != 1 || items[0].(map[string]any)["conversation"] != direct {
		t.Fatalf("sent: %v", sent)
	}
	var history struct{ Items []chat.Message }
	rec := w.do(w.cy, "GET", "/api/plaza/chats/"+direct+"/messages", "", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &history); err != nil || rec.Code != 200 {
		t.Fatalf("history: %d %s", rec.Code, rec.Body.String())
	}
	var cards []*chat.Card
	for _, m := range history.Items {
		if m.Kind == chat.MsgCard {
			cards = append(cards, m.Card)
		}
	}
	if len(cards) != 1 {
		t.Fatalf("cards in the chat: %d (a retry must not send twice)", len(cards))
	}
	c := cards[0]
	if c.Type != "channel_post" || c.Ref != id || c.Title != "annrides TV" || c.Link != "/c/annrides/p/"+id || !strings.HasPrefix(c.Image, "/channels/media/") {
		t.Errorf("the card: %+v", c)
	}
	// The link opens the post: its public page, and the same post here.
	if page := w.do(w.cy, "GET", c.Link, "", nil); page.Code != 200 || !strings.Contains(page.Body.String(), "Dawn ride over the river") {
		t.Errorf("the card's link: %d", page.Code)
	}
	if p := w.ok(200, w.cy, "GET", api+"/posts/"+c.Ref, ""); p["url"] != c.Link {
		t.Errorf("the post's url %v, the card's link %s", p["url"], c.Link)
	}

	annBo, err := chat.OpenDirect(w.app, w.ann.Id, w.bo.Id)
	if err != nil {
		t.Fatal(err)
	}
	w.refused("into a chat one is not in", w.do(w.cy, "POST", api+"/posts/"+id+"/share", `{"to":["`+direct+`","`+annBo+`"]}`, nil),
		404, "chat.not_found", "", "")
	w.refused("into no chat", w.do(w.cy, "POST", api+"/posts/"+id+"/share", `{"to":[]}`, nil), 400, "request.invalid", "to", "chat.forward_pick")
	ten := `{"to":["a","b","c","d","e","f","g","h","i","j"]}`
	w.refused("into ten chats", w.do(w.cy, "POST", api+"/posts/"+id+"/share", ten, nil), 400, "request.invalid", "to", "chat.forward_pick")
	rec = w.do(w.cy, "GET", "/api/plaza/chats/"+direct+"/messages", "", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &history); err != nil || strings.Count(rec.Body.String(), `"channel_post"`) != 1 {
		t.Errorf("a refused share sent a card: %s", rec.Body.String())
	}
}

// TestChannelsAPIReportAndTakedown: a post and a comment are reported
// into the one queue; the superuser's takedown (taken_down, saved as /_/
// saves it) makes the post 404 at every door — for visitors, members and
// its owner — and drops it from every feed and search; the owner may
// still delete it.
func TestChannelsAPIReportAndTakedown(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Buy followers cheap #deal", 1)
	p := api + "/posts/" + id
	cm := w.ok(201, w.bo, "POST", p+"/comments", `{"text":"spam!"}`)["id"].(string)
	w.ok(200, w.bo, "POST", p+"/like", "")
	w.ok(200, w.cy, "POST", p+"/favourite", "")
	w.ok(200, w.bo, "POST", api+"/c/annrides/follow", "")
	direct, err := chat.OpenDirect(w.app, w.ann.Id, w.bo.Id)
	if err != nil {
		t.Fatal(err)
	}
	w.refused("a report without a reason", w.do(w.cy, "POST", p+"/report", `{"note":"ads"}`, nil), 400, "request.invalid", "reason", "chat.report_reason_required")
	w.ok(204, w.cy, "POST", p+"/report", `{"reason":"spam","note":"ads"}`)
	w.ok(204, w.dee, "POST", api+"/comments/"+cm+"/report", `{"reason":"harassment"}`)
	queue, err := w.app.FindRecordsByFilter("reports", "kind = 'channels_post' || kind = 'channels_comment'", "created", 0, 0)
	if err != nil || len(queue) != 2 {
		t.Fatalf("the queue: %d %v", len(queue), err)
	}
	if r := queue[0]; r.GetString("kind") != "channels_post" || r.GetString("ref") != id || r.GetString("person") != w.ann.Id || r.GetString("excerpt") != "Buy followers cheap #deal" {
		t.Errorf("the post's report: %v", r.FieldsData())
	}
	if r := queue[1]; r.GetString("kind") != "channels_comment" || r.GetString("ref") != cm || r.GetString("person") != w.bo.Id {
		t.Errorf("the comment's report: %v", r.FieldsData())
	}
	media := w.ok(200, nil, "GET", p, "")["media"].([]any)[0].(map[string]any)["url"].(string)
	for _, path := range []string{"/c/annrides/p/" + id, media} {
		if rec := w.do(nil, "GET", path, "", nil); rec.Code != 200 {
			t.Fatalf("GET %s before the takedown: %d", path, rec.Code)
		}
	}

	rec, err := w.app.FindRecordById("channels_posts", id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("taken_down", true)
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	for _, who := range []*core.Record{nil, w.bo, w.ann} {
		for _, path := range []string{p, p + "/comments", "/c/annrides/p/" + id, media} {
			if rec := w.do(who, "GET", path, "", nil); rec.Code != 404 {
				t.Errorf("GET %s as %v after the takedown: %d", path, who, rec.Code)
			}
		}
	}
	for _, req := range [][3]string{{"POST", p + "/like", ""}, {"DELETE", p + "/like", ""}, {"POST", p + "/favourite", ""},
		{"DELETE", p + "/favourite", ""}, {"POST", p + "/comments", `{"text":"hi"}`}, {"POST", p + "/share", `{"to":["` + direct + `"]}`},
		{"POST", p + "/report", `{"reason":"spam"}`}, {"POST", api + "/comments/" + cm + "/report", `{"reason":"spam"}`},
		{"DELETE", api + "/comments/" + cm, ""}, {"POST", api + "/comments/" + cm + "/pin", ""}} {
		for _, who := range []*core.Record{w.bo, w.ann} {
			w.refused(req[0]+" "+req[1], w.do(who, req[0], req[1], req[2], nil), 404, "channels.not_found", "", "")
		}
	}
	w.refused("the owner edits it", w.do(w.ann, "PATCH", p, `{"caption":"innocent"}`, nil), 404, "channels.not_found", "", "")
	for _, feed := range []struct {
		who  *core.Record
		path string
	}{{nil, "/c/annrides/posts"}, {nil, "/popular"}, {nil, "/tags/deal"}, {w.bo, "/following"}, {w.cy, "/friends"}, {w.cy, "/favourites"}} {
		if got := ids(w.ok(200, feed.who, "GET", api+feed.path, "")); len(got) != 0 {
			t.Errorf("%s after the takedown: %v", feed.path, got)
		}
	}
	if found := w.ok(200, nil, "GET", api+"/search?q=followers", ""); len(found["posts"].([]any)) != 0 {
		t.Errorf("search after the takedown: %v", found)
	}
	w.ok(204, w.ann, "DELETE", p, "")
}

// TestChannelsRecordsAPIShowsNothing: PocketBase's records API gives a
// member and a signed-out visitor nothing of Channels, not even what the
// public pages show (those are served by Plaza's own routes).
func TestChannelsRecordsAPIShowsNothing(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Dawn ride #bikes", 1)
	w.ok(201, w.bo, "POST", api+"/posts/"+id+"/comments", `{"text":"nice"}`)
	w.ok(200, w.bo, "POST", api+"/posts/"+id+"/like", "")
	w.ok(200, w.bo, "POST", api+"/posts/"+id+"/favourite", "")
	w.ok(200, w.bo, "POST", api+"/c/annrides/follow", "")
	w.ok(200, w.bo, "GET", api+"/posts/"+id, "")
	for _, c := range []string{"channels", "channels_posts", "channels_media", "channels_tags", "channels_likes", "channels_comments",
		"channels_follows", "channels_favourites", "channels_views", "channels_daily"} {
		for _, who := range []*core.Record{nil, w.ann, w.bo} {
			rec := w.do(who, "GET", "/api/collections/"+c+"/records", "", nil)
			if rec.Code == 200 && !strings.Contains(rec.Body.String(), `"items":[]`) || rec.Code >= 500 {
				t.Errorf("%s list as %v: %d %s", c, who, rec.Code, rec.Body.String())
			}
		}
	}
	for _, who := range []*core.Record{nil, w.ann} {
		if rec := w.do(who, "GET", "/api/collections/channels_posts/records/"+id, "", nil); rec.Code != 404 && rec.Code != 403 {
			t.Errorf("the post through the records API as %v: %d", who, rec.Code)
		}
	}
}
