package channelsweb_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/channels"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// redirects wants a 303 to `to` after who's form.
func (s *site) redirects(who *core.Record, path string, form url.Values, to string) {
	s.t.Helper()
	rec := s.form(who, path, form, nil)
	if rec.Code != 303 || rec.Header().Get("Location") != to {
		s.t.Fatalf("POST %s: %d to %q, want 303 to %q: %.300s", path, rec.Code, rec.Header().Get("Location"), to, rec.Body.String())
	}
}

// TestMemberPagesRender: every member page answers, and the feeds show
// what the domain decided: Bo's like puts Ann's post in her Friends tab
// as "♥ by" Bo under the remark she gave him; htmx asks for fragments.
func TestMemberPagesRender(t *testing.T) {
	s := newSite(t)
	if err := testapp.Services(t, s.app).Contacts.UpdateContact(s.ann, s.bo.Id, contacts.ContactInput{Remark: "Bobby B"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ch.Like(s.bo.Id, s.photo.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ch.Follow(s.bo.Id, "annrides"); err != nil {
		t.Fatal(err)
	}
	friends := s.page(s.ann, "/channels?tab=friends", 200)
	if !strings.Contains(friends, "♥ by Bobby B") || !strings.Contains(friends, `data-testid="channel-card"`) {
		t.Errorf("Ann's Friends tab does not say Bobby B likes her post")
	}
	following := s.page(s.bo, "/channels", 200)
	if !strings.Contains(following, `aria-current="page"`) || !strings.Contains(following, `data-autoplay`) || !strings.Contains(following, s.photo.ID) {
		t.Error("Bo's Following tab does not show Ann's posts with the video set to play in view")
	}
	if got := s.page(s.dee, "/channels", 200); !strings.Contains(got, `data-testid="tab-popular" aria-current="page"`) {
		t.Error("a member who follows no one does not land on Popular")
	}
	for _, p := range []string{"/channels?tab=popular", "/channels/favourites", "/channels/search", "/channels/search?q=sunrise",
		"/channels/search?q=ann", "/channels/me", "/channels/p/" + s.photo.ID + "/share",
		"/channels/p/" + s.photo.ID + "/report", "/channels/tag/ride"} {
		s.page(s.bo, p, 200)
	}
	if got := s.page(s.bo, "/channels/search?q=sunrise", 200); !strings.Contains(got, s.postPath(s.photo)) {
		t.Error("search does not find the post by its caption")
	}
	for _, p := range []string{"/channels/me", "/channels/me/edit", "/channels/compose", "/channels/p/" + s.photo.ID + "/edit"} {
		s.page(s.ann, p, 200)
	}
	for p, to := range map[string]string{"/channels/me/edit": "/channels/me", "/channels/compose": "/channels/me",
		"/channels/p/" + s.photo.ID: s.postPath(s.photo)} {
		if rec := s.get(s.bo, p, nil); rec.Code != 303 || rec.Header().Get("Location") != to {
			t.Errorf("Bo's GET %s: %d to %s", p, rec.Code, rec.Header().Get("Location"))
		}
	}
	stats := s.page(s.ann, "/channels/stats", 200)
	if !strings.Contains(stats, `<svg viewBox="0 0 600 160"`) || !strings.Contains(stats, `data-testid="stats-followers">1<`) {
		t.Error("the stats page draws no chart or misses the follower")
	}
	if rec := s.get(s.dee, "/channels/stats", nil); rec.Code != 303 || rec.Header().Get("Location") != "/channels/me" {
		t.Errorf("stats without a channel: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if got := s.page(s.dee, "/channels/me", 200); !strings.Contains(got, `data-testid="profile-handle"`) {
		t.Error("a member without a channel is not offered to open one")
	}
	// htmx: the follow button on a channel's page swaps its head.
	rec := s.form(s.dee, "/c/annrides/follow", url.Values{"view": {"head"}}, map[string]string{"HX-Request": "true"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `data-testid="unfollow"`) || !strings.Contains(rec.Body.String(), "2 followers") {
		t.Errorf("an htmx follow: %d %s", rec.Code, rec.Body.String())
	}
}

// TestMemberFormsWithoutScript: like, favourite, follow, comment, reply
// (?reply=), pin and delete a comment, each as a plain form that comes
// back to its page; a refused comment shows on the page with its text.
func TestMemberFormsWithoutScript(t *testing.T) {
	s := newSite(t)
	post := s.postPath(s.photo)
	p := "/channels/p/" + s.photo.ID
	s.redirects(s.bo, p+"/like", url.Values{"next": {post}}, post)
	s.redirects(s.bo, p+"/favourite", url.Values{"next": {"/channels?tab=popular"}}, "/channels?tab=popular")
	s.redirects(s.bo, "/c/annrides/follow", url.Values{}, "/c/annrides")
	s.redirects(s.bo, p+"/comments", url.Values{"text": {"Beautiful light"}}, post+"#comments")
	page := s.page(s.bo, post, 200)
	for _, want := range []string{`data-testid="unlike"`, `data-testid="unfavourite"`, `data-testid="unfollow"`, "Beautiful light",
		`data-testid="comment-form"`} {
		if !strings.Contains(page, want) {
			t.Errorf("Bo's view of the post lacks %s", want)
		}
	}
	if strings.Contains(page, `data-testid="comment-pin"`) || strings.Contains(page, `data-testid="owner-tools"`) {
		t.Error("Bo is offered the creator's tools")
	}
	comment := regexp.MustCompile(`data-comment="([a-z0-9]+)"`).FindStringSubmatch(page)[1]
	if got := s.page(s.ann, post+"?reply="+comment, 200); !strings.Contains(got, `name="reply_to" value="`+comment+`"`) {
		t.Error("?reply= does not prepare the reply")
	}
	s.redirects(s.ann, p+"/comments", url.Values{"text": {"Thank you"}, "reply_to": {comment}}, post+"#comments")
	s.redirects(s.ann, "/channels/comments/"+comment+"/pin", url.Values{"next": {post}}, post+"#comments")
	owner := s.page(s.ann, post, 200)
	for _, want := range []string{`data-testid="comment-pinned"`, `data-testid="comment-unpin"`, "replied to", `data-testid="owner-tools"`} {
		if !strings.Contains(owner, want) {
			t.Errorf("Ann's view of her post lacks %s", want)
		}
	}
	rec := s.form(s.bo, p+"/comments", url.Values{"text": {strings.Repeat("x", 501)}}, nil)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `data-testid="post-error"`) || !strings.Contains(rec.Body.String(), strings.Repeat("x", 501)) {
		t.Errorf("a long comment: %d", rec.Code)
	}
	// The action bar alone, as channels.js fetches it after a channels_post
	// frame, with its forms returning to the page asked.
	rec = s.get(s.ann, p+"/actions?next="+url.QueryEscape("/channels?tab=friends"), map[string]string{"HX-Request": "true"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "♡ 1") || !strings.Contains(rec.Body.String(), `value="/channels?tab=friends"`) ||
		strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("the action bar: %d %s", rec.Code, rec.Body.String())
	}
	// htmx: the action bar comes back to be swapped in.
	rec = s.form(s.bo, p+"/unlike", url.Values{}, map[string]string{"HX-Request": "true"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `data-testid="like"`) || strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("an htmx unlike: %d %s", rec.Code, rec.Body.String())
	}
	s.redirects(s.ann, "/channels/comments/"+comment+"/delete", url.Values{"next": {post}}, post+"#comments")
	if got := s.page(nil, post, 200); strings.Contains(got, "Beautiful light") || strings.Contains(got, "Thank you") {
		t.Error("the deleted comment or its reply still shows")
	}
}

// TestOnlyTheOwnerEditsOrDeletes: Bo cannot open Ann's caption form, save
// it, delete her post or pin a comment on it (404, as for a post that is
// not there); Ann can, and is told what happened.
func TestOnlyTheOwnerEditsOrDeletes(t *testing.T) {
	s := newSite(t)
	p := "/channels/p/" + s.photo.ID
	s.page(s.bo, p+"/edit", 404)
	for _, path := range []string{p + "/edit", p + "/delete"} {
		if rec := s.form(s.bo, path, url.Values{"caption": {"Mine now"}}, nil); rec.Code != 404 {
			t.Errorf("Bo's POST %s: %d", path, rec.Code)
		}
	}
	c, err := s.ch.AddComment(s.bo.Id, s.photo.ID, channels.CommentInput{Text: "First!"})
	if err != nil {
		t.Fatal(err)
	}
	if rec := s.form(s.bo, "/channels/comments/"+c.ID+"/pin", url.Values{}, nil); rec.Code != 404 {
		t.Errorf("Bo pins a comment on Ann's post: %d", rec.Code)
	}
	if rec := s.form(s.dee, "/channels/comments/"+c.ID+"/delete", url.Values{}, nil); rec.Code != 404 {
		t.Errorf("Dee deletes Bo's comment: %d", rec.Code)
	}
	if got := s.page(nil, s.postPath(s.photo), 200); !strings.Contains(got, "Sunrise over the lake") || !strings.Contains(got, "First!") {
		t.Fatal("the post changed")
	}
	if got := s.page(s.ann, p+"/edit", 200); !strings.Contains(got, "Sunrise over the lake #ride") {
		t.Error("Ann's caption form is not filled")
	}
	s.redirects(s.ann, p+"/edit", url.Values{"caption": {"Sunset now #evening"}}, s.postPath(s.photo)+"?saved=1")
	if got := s.page(s.ann, s.postPath(s.photo)+"?saved=1", 200); !strings.Contains(got, `href="/channels/tag/evening"`) || !strings.Contains(got, "Caption saved.") {
		t.Error("the new caption or its hashtag does not show")
	}
	if rec := s.form(s.ann, p+"/edit", url.Values{"caption": {strings.Repeat("y", 1001)}}, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `data-testid="error-caption"`) {
		t.Errorf("a long caption: %d", rec.Code)
	}
	s.redirects(s.ann, p+"/delete", url.Values{}, "/channels/me?deleted=1")
	if got := s.page(s.ann, "/channels/me?deleted=1", 200); !strings.Contains(got, "Post deleted") {
		t.Error("Ann is not told the post was deleted")
	}
	s.page(nil, s.postPath(s.photo), 404)
}

// upload is a multipart compose form with photos.
func upload(t *testing.T, fields map[string]string, photos int) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < photos; i++ {
		part, err := w.CreateFormFile("photos", "p.png")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(testapp.PNG(t, 40+i, 30))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), w.FormDataContentType()
}

// TestOpenPostAndShare: Dee opens a channel with the form (a reserved
// handle is refused on the form), posts photos as a plain multipart form
// and as the uploader does (asking for JSON), and Bo shares Ann's post
// with her, a friend he has no chat with yet: the share opens their chat
// and the card goes in once; Dee, a stranger, can share into neither.
func TestOpenPostAndShare(t *testing.T) {
	s := newSite(t)
	if rec := s.form(s.dee, "/channels/me", url.Values{"handle": {"me"}, "name": {"Dee"}}, nil); rec.Code != 400 ||
		!strings.Contains(rec.Body.String(), `data-testid="error-handle"`) || !strings.Contains(rec.Body.String(), `value="me"`) {
		t.Fatalf("a reserved handle: %d", rec.Code)
	}
	s.redirects(s.dee, "/channels/me", url.Values{"handle": {"deedee"}, "name": {"Dee Walks"}, "bio": {"On foot"}}, "/channels/me?created=1")
	if got := s.page(s.dee, "/channels/me?created=1", 200); !strings.Contains(got, "Dee Walks") || !strings.Contains(got, "/c/deedee") {
		t.Error("Dee's channel page does not show her channel")
	}
	s.redirects(s.dee, "/channels/me/edit", url.Values{"name": {"Dee Hikes"}, "bio": {"Hills"}}, "/channels/me?saved=1")
	cookie := testapp.SessionCookie(t, s.dee)
	body, ctype := upload(t, map[string]string{"caption": "Ridge walk #hike", "location": "North Ridge"}, 2)
	rec := testapp.Do(s.h, "POST", "/channels/compose", body, map[string]string{"Cookie": cookie, "Content-Type": ctype})
	if rec.Code != 303 || rec.Header().Get("Location") != "/channels/me?posted=1" {
		t.Fatalf("compose: %d %s", rec.Code, rec.Body.String())
	}
	body, ctype = upload(t, map[string]string{"caption": "Summit"}, 1)
	rec = testapp.Do(s.h, "POST", "/channels/compose", body, map[string]string{"Cookie": cookie, "Content-Type": ctype, "Accept": "application/json"})
	var made struct{ ID, URL string }
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &made) != nil || made.URL != "/c/deedee/p/"+made.ID {
		t.Fatalf("the uploader's compose: %d %s", rec.Code, rec.Body.String())
	}
	if got := s.page(nil, made.URL, 200); !strings.Contains(got, "Summit") {
		t.Error("the uploaded post does not show")
	}
	body, ctype = upload(t, map[string]string{"caption": "Nothing to see"}, 0)
	rec = testapp.Do(s.h, "POST", "/channels/compose", body, map[string]string{"Cookie": cookie, "Content-Type": ctype, "Accept": "application/json"})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"channels.media_required"`) {
		t.Errorf("the uploader's empty post: %d %s", rec.Code, rec.Body.String())
	}
	rec = testapp.Do(s.h, "POST", "/channels/compose", body, map[string]string{"Cookie": cookie, "Content-Type": ctype})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `data-testid="flash-error"`) || !strings.Contains(rec.Body.String(), "Nothing to see") {
		t.Errorf("an empty post: %d", rec.Code)
	}

	// Bo and Ann have no chat yet: Ann is offered as a friend, and sharing
	// opens their chat.
	share := "/channels/p/" + s.photo.ID + "/share"
	if got := s.page(s.bo, share, 200); !strings.Contains(got, `value="friend:`+s.ann.Id+`"`) {
		t.Fatal("the share page does not offer Bo's friend Ann")
	}
	if rec := s.form(s.bo, share, url.Values{"token": {"tok1"}}, nil); rec.Code != 400 || !strings.Contains(rec.Body.String(), `data-testid="flash-error"`) {
		t.Errorf("sharing into no chat: %d", rec.Code)
	}
	rec = s.form(s.bo, share, url.Values{"to": {"friend:" + s.ann.Id}, "token": {"tok1"}}, nil)
	conv, err := chat.OpenDirect(s.app, s.bo.Id, s.ann.Id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Code != 303 || rec.Header().Get("Location") != "/chats/"+conv {
		t.Fatalf("sharing to Ann: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if got := s.page(s.bo, share, 200); !strings.Contains(got, `value="`+conv+`"`) || strings.Contains(got, `value="friend:`) {
		t.Error("the share page does not offer the chat now open")
	}
	s.redirects(s.bo, share, url.Values{"to": {conv}, "token": {"tok1"}}, "/chats/"+conv) // sent once
	if got := s.page(s.ann, "/chats/"+conv, 200); strings.Count(got, s.postPath(s.photo)) != 1 {
		t.Errorf("Ann's chat shows the card %d times", strings.Count(got, s.postPath(s.photo)))
	}
	for _, to := range []string{conv, "friend:" + s.ann.Id} {
		if rec := s.form(s.dee, share, url.Values{"to": {to}, "token": {"tok2"}}, nil); rec.Code != 404 {
			t.Errorf("Dee shares into %s: %d", to, rec.Code)
		}
	}
	if rec := s.form(s.bo, "/channels/p/"+s.photo.ID+"/report", url.Values{"reason": {"spam"}}, nil); rec.Code != 200 ||
		!strings.Contains(rec.Body.String(), `data-testid="flash-ok"`) {
		t.Errorf("reporting the post: %d", rec.Code)
	}
}

// TestFeedScrolls: a feed's next page comes as a fragment of cards (htmx
// asks when the last card shows), and the link works without script.
func TestFeedScrolls(t *testing.T) {
	s := newSite(t)
	for i := 0; i < 10; i++ {
		if _, err := s.ch.Publish(s.ann.Id, channels.PostInput{Caption: "Lap " + string(rune('a'+i)),
			Photos: []*filesystem.File{s.file("p.png", testapp.PNG(t, 20, 20))}}); err != nil {
			t.Fatal(err)
		}
	}
	first := s.page(s.bo, "/channels?tab=popular", 200)
	m := regexp.MustCompile(`hx-get="(/channels\?tab=popular&amp;after=[^"]+)"`).FindStringSubmatch(first)
	if m == nil || strings.Count(first, `data-testid="channel-card"`) != 10 {
		t.Fatalf("the first page: %d cards, next %v", strings.Count(first, `data-testid="channel-card"`), m)
	}
	next := strings.ReplaceAll(m[1], "&amp;", "&")
	rec := s.get(s.bo, next, map[string]string{"HX-Request": "true"})
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "<html") || strings.Count(rec.Body.String(), `data-testid="channel-card"`) != 2 {
		t.Fatalf("the next page: %d %d cards", rec.Code, strings.Count(rec.Body.String(), `data-testid="channel-card"`))
	}
	s.page(s.bo, next, 200)
}
