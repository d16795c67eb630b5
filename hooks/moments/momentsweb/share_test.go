package momentsweb_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
)

// TestShareChannelPostIntoMoments: A shares a Channels post into Moments
// (JSON and the compose page); B, A's friend, sees the card in the feed;
// once the post is taken down the card says so; a card type that cannot
// go into Moments, or a post that is gone, is refused.
func TestShareChannelPostIntoMoments(t *testing.T) {
	w := newCircle(t)
	ch := testapp.Services(t, w.app).Channels
	name := "Riverside Runners"
	handle := "runners"
	if _, err := ch.Create(w.c.Id, channels.ProfileInput{Handle: &handle, Name: &name}); err != nil {
		t.Fatal(err)
	}
	photo, err := filesystem.NewFileFromBytes(testapp.PNG(t, 64, 48), "p.png")
	if err != nil {
		t.Fatal(err)
	}
	post, err := ch.Publish(w.c.Id, channels.PostInput{Caption: "Dawn run #river", Photos: []*filesystem.File{photo}})
	if err != nil {
		t.Fatal(err)
	}

	page := w.see(w.a, "/moments/new?share_type=channel_post&share_ref="+post.ID, 200)
	if !strings.Contains(page, `data-testid="post-share"`) || !strings.Contains(page, "Riverside Runners") || !strings.Contains(page, `name="share_ref"`) {
		t.Fatalf("the compose page does not show the shared card:\n%s", page)
	}
	got := w.ok(201, w.a, "POST", "/api/plaza/moments/posts", `{"text":"Look at this","share":{"type":"channel_post","ref":"`+post.ID+`"}}`)
	share, _ := got["share"].(map[string]any)
	if share["title"] != "Riverside Runners" || share["link"] != channels.PostPath("runners", post.ID) || share["state"] != "" {
		t.Fatalf("shared card = %v", got["share"])
	}
	feed := w.ok(200, w.b, "GET", "/api/plaza/moments/feed", "")
	items, _ := feed["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["share"] == nil {
		t.Fatalf("B's feed = %v", feed)
	}

	rec, err := w.app.FindRecordById("channels_posts", post.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("taken_down", true)
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	feed = w.ok(200, w.b, "GET", "/api/plaza/moments/feed", "")
	if s := feed["items"].([]any)[0].(map[string]any)["share"].(map[string]any); s["state"] != "gone" || s["sub"] != nil || s["img"] != nil {
		t.Fatalf("after the takedown the card is %v", s)
	}
	if html := w.see(w.b, "/moments", 200); !strings.Contains(html, `data-gone`) {
		t.Fatal("the feed page does not draw the gone card faded")
	}

	// Refused: a gone post, a type that may not go into Moments, no ref.
	w.ok(404, w.a, "POST", "/api/plaza/moments/posts", `{"text":"again","share":{"type":"channel_post","ref":"`+post.ID+`"}}`)
	w.ok(400, w.a, "POST", "/api/plaza/moments/posts", `{"text":"me","share":{"type":"contact","ref":"`+w.a.Id+`"}}`)
	w.ok(400, w.a, "POST", "/api/plaza/moments/posts", `{"share":{"type":"channel_post","ref":""}}`)
}
