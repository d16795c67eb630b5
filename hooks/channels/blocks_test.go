package channels_test

import (
	"strings"
	"testing"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
)

// TestBlockStopsInteractions: someone the creator blocked (or who
// blocked the creator) cannot like, comment on, reply in or follow the
// creator's channel: the same 404 as a missing post, so a block is never
// told; unliking and unfollowing stay possible. An over-long search is a
// 400, never a slow scan.
func TestBlockStopsInteractions(t *testing.T) {
	w := newWorld(t)
	han, dee, ann := w.creator("hans_kitchen"), w.member("dee_blocked"), w.member("ann")
	p := w.post(han, "noodles")
	c, err := w.svc.AddComment(ann, p.ID, channels.CommentInput{Text: "yum"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Like(dee, p.ID); err != nil { // before the block
		t.Fatal(err)
	}
	hanRec, err := w.app.FindRecordById("users", han)
	if err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, w.app).Contacts.Block(hanRec, dee); err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error) {
		t.Helper()
		if pr, ok := problem.As(err); !ok || pr.Key != "channels.not_found" {
			t.Errorf("%s after the block: %v, want channels.not_found", what, err)
		}
	}
	_, err = w.svc.Like(ann, p.ID) // others are not concerned
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AddComment(dee, p.ID, channels.CommentInput{Text: "hi"})
	refused("a comment", err)
	_, err = w.svc.Follow(dee, "hans_kitchen")
	refused("a follow", err)
	if _, err := w.svc.Unlike(dee, p.ID); err != nil {
		t.Fatalf("taking a like back: %v", err)
	}
	_, err = w.svc.Like(dee, p.ID)
	refused("a like", err)

	// A reply to someone who blocked the replier.
	annRec, err := w.app.FindRecordById("users", ann)
	if err != nil {
		t.Fatal(err)
	}
	eve := w.member("eve")
	if err := testapp.Services(t, w.app).Contacts.Block(annRec, eve); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AddComment(eve, p.ID, channels.CommentInput{Text: "@ann", ReplyTo: c.ID})
	refused("a reply to the blocker", err)
	if _, err := w.svc.AddComment(eve, p.ID, channels.CommentInput{Text: "top level"}); err != nil {
		t.Fatalf("eve's own comment: %v", err)
	}

	_, err = w.svc.Search("", strings.Repeat("面", channels.SearchMax+1))
	if pr, ok := problem.As(err); !ok || pr.Status != 400 {
		t.Fatalf("an over-long search: %v", err)
	}
	if _, err := w.svc.Search("", strings.Repeat("面", channels.SearchMax)); err != nil {
		t.Fatal(err)
	}
}
