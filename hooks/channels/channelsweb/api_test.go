package channelsweb_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
)

// world is Ann, who opens the channel "annrides"; Bo, Ann's friend; Cy,
// Bo's friend (not Ann's), who saved Bo under the remark "Bobby B"; and
// Dee, a stranger to all. nil is a signed-out visitor.
type world struct {
	t                *testing.T
	app              core.App
	h                http.Handler
	ann, bo, cy, dee *core.Record
}

const api = "/api/plaza/channels"

func newWorld(t *testing.T) *world {
	app := testapp.New(t)
	w := &world{t: t, app: app, h: testapp.Handler(t, app)}
	w.ann, w.bo = testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001")
	w.cy, w.dee = testapp.CreateMember(t, app, "cy0001"), testapp.CreateMember(t, app, "dee001")
	testapp.Befriend(t, app, w.ann, w.bo)
	testapp.Befriend(t, app, w.bo, w.cy)
	w.ok(200, w.cy, "PATCH", "/api/plaza/contacts/"+w.bo.Id, `{"remark":"Bobby B"}`)
	return w
}

// do sends a JSON request as who (nil: signed out).
func (w *world) do(who *core.Record, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	w.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	if who != nil {
		h["Authorization"] = testapp.Token(w.t, who)
	}
	return testapp.Do(w.h, method, path, body, h)
}

// ok sends a request that must answer status, and decodes the answer.
func (w *world) ok(status int, who *core.Record, method, path, body string) map[string]any {
	w.t.Helper()
	return w.decode(status, method+" "+path, w.do(who, method, path, body, nil))
}

func (w *world) decode(status int, what string, rec *httptest.ResponseRecorder) map[string]any {
	w.t.Helper()
	if rec.Code != status {
		w.t.Fatalf("%s: %d %s", what, rec.Code, rec.Body.String())
	}
	out := map[string]any{}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			w.t.Fatal(err)
		}
	}
	return out
}

// refused checks an error answer's status, code and (when field is set)
// data.<field>.code.
func (w *world) refused(name string, rec *httptest.ResponseRecorder, status int, code, field, fieldCode string) {
	w.t.Helper()
	testapp.WantCode(w.t, name, rec.Code, rec.Body.String(), status, code, field, fieldCode)
}

// multipart builds a form: fields, and files named "field:filename".
func multipartBody(t *testing.T, fields map[string]string, files map[string][]byte) (string, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		field, _, _ := strings.Cut(name, ":")
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), mw.FormDataContentType()
}

// publishAs sends a post with n photos as who.
func (w *world) publishAs(who *core.Record, caption string, n int) *httptest.ResponseRecorder {
	w.t.Helper()
	files := map[string][]byte{}
	for i := range n {
		files["photos:p"+string(rune('a'+i))+".png"] = testapp.PNG(w.t, 40+i, 30)
	}
	body, ctype := multipartBody(w.t, map[string]string{"caption": caption, "location": "Berlin"}, files)
	return w.do(who, "POST", api+"/posts", body, map[string]string{"Content-Type": ctype})
}

// publish is publishAs that must succeed: the post's id.
func (w *world) publish(who *core.Record, caption string, n int) string {
	w.t.Helper()
	return w.decode(201, "publish", w.publishAs(who, caption, n))["id"].(string)
}

// channel opens who's channel.
func (w *world) channel(who *core.Record, handle string) {
	w.t.Helper()
	w.ok(201, who, "POST", api+"/me", `{"handle":"`+handle+`","name":"`+handle+` TV"}`)
}

// ids are the ids of a page's items.
func ids(page map[string]any) []string {
	var out []string
	for _, it := range page["items"].([]any) {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

// TestChannelsAPICreateChannel: handle rules, a taken handle (400), a
// second channel (409), editing, an avatar, and the profile as a visitor,
// a follower and the owner see it.
func TestChannelsAPICreateChannel(t *testing.T) {
	w := newWorld(t)
	for _, tc := range []struct{ body, field, code string }{
		{`{"handle":"ab","name":"x"}`, "handle", "channels.bad_handle"},
		{`{"handle":"has space","name":"x"}`, "handle", "channels.bad_handle"},
		{`{"handle":"me","name":"x"}`, "handle", "channels.bad_handle"},
		{`{"handle":"ann_rides"}`, "name", "validation_required"},
		{`{"handle":"ann_rides","name":"x","bio":"` + strings.Repeat("b", 201) + `"}`, "bio", "profile.too_long"},
		{`{"handle":"ann_rides","name":"` + strings.Repeat("n", 41) + `"}`, "name", "profile.too_long"},
	} {
		w.refused(tc.body, w.do(w.ann, "POST", api+"/me", tc.body, nil), 400, "request.invalid", tc.field, tc.code)
	}
	w.refused("no channel yet", w.do(w.ann, "GET", api+"/me", "", nil), 404, "channels.not_found", "", "")
	c := w.ok(201, w.ann, "POST", api+"/me", `{"handle":"AnnRides","name":"Ann rides","bio":"Dawn rides"}`)
	if c["handle"] != "annrides" || c["mine"] != true || c["avatar"] != "" || c["verified"] != false {
		t.Errorf("created: %v", c)
	}
	w.refused("a taken handle", w.do(w.bo, "POST", api+"/me", `{"handle":"annrides","name":"Bo"}`, nil), 400, "request.invalid", "handle", "channels.handle_taken")
	w.refused("a second channel", w.do(w.ann, "POST", api+"/me", `{"handle":"annagain","name":"Ann"}`, nil), 409, "channels.already_have", "", "")
	if got := w.ok(200, w.ann, "PATCH", api+"/me", `{"bio":"Dusk rides"}`); got["bio"] != "Dusk rides" || got["name"] != "Ann rides" || got["handle"] != "annrides" {
		t.Errorf("edited: %v", got)
	}
	w.refused("edit without a channel", w.do(w.dee, "PATCH", api+"/me", `{"name":"x"}`, nil), 404, "channels.not_found", "", "")

	// Bo opens his with an avatar (multipart); it is served at /c/{handle}/avatar.
	body, ctype := multipartBody(t, map[string]string{"handle": "bo_b", "name": "Bo"}, map[string][]byte{"avatar:a.png": testapp.PNG(t, 64, 64)})
	bo := w.decode(201, "create with an avatar", w.do(w.bo, "POST", api+"/me", body, map[string]string{"Content-Type": ctype}))
	if bo["avatar"] != "/c/bo_b/avatar" || bo["has_avatar"] != true {
		t.Errorf("avatar: %v", bo)
	}
	body, ctype = multipartBody(t, map[string]string{"name": "Bo B"}, map[string][]byte{"avatar:a.png": []byte("<html>not a photo</html>")})
	w.refused("a fake avatar", w.do(w.bo, "PATCH", api+"/me", body, map[string]string{"Content-Type": ctype}), 400, "request.invalid", "avatar", "media.not_a_photo")

	// Signed out, Bo following, and Ann: the same profile, told how they stand.
	w.ok(200, w.bo, "POST", api+"/c/annrides/follow", "")
	for _, tc := range []struct {
		who             *core.Record
		following, mine bool
	}{{nil, false, false}, {w.bo, true, false}, {w.ann, false, true}} {
		got := w.ok(200, tc.who, "GET", api+"/c/AnnRides", "")
		if got["following"] != tc.following || got["mine"] != tc.mine || got["followers"] != 1.0 || got["bio"] != "Dusk rides" {
			t.Errorf("as %v: %v", tc.who, got)
		}
	}
}

// TestChannelsAPIPublish: a photo post (its media URLs, tags, public
// address), the refusals of a post, the caption edited by its owner only,
// and paging.
func TestChannelsAPIPublish(t *testing.T) {
	w := newWorld(t)
	w.refused("no channel", w.publishAs(w.ann, "hi", 1), 404, "channels.no_channel", "", "")
	w.channel(w.ann, "annrides")
	w.refused("no media", w.publishAs(w.ann, "just words", 0), 400, "request.invalid", "photos", "channels.media_required")
	w.refused("ten photos", w.publishAs(w.ann, "many", 10), 400, "request.invalid", "photos", "moments.too_many_photos")
	body, ctype := multipartBody(t, map[string]string{"caption": "x"}, map[string][]byte{"photos:a.png": []byte("<html>not a photo</html>")})
	w.refused("not a photo", w.do(w.ann, "POST", api+"/posts", body, map[string]string{"Content-Type": ctype}), 400, "request.invalid", "photos.0", "media.not_a_photo")
	body, ctype = multipartBody(t, map[string]string{"duration_ms": "3000"}, map[string][]byte{"video:v.mp4": []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2xx")})
	w.refused("a video without a poster", w.do(w.ann, "POST", api+"/posts", body, map[string]string{"Content-Type": ctype}), 400, "request.invalid", "poster", "moments.poster_required")

	rec := w.publishAs(w.ann, "Dawn ride #Bikes #berlin", 2)
	p := w.decode(201, "publish", rec)
	id := p["id"].(string)
	media := p["media"].([]any)
	if len(media) != 2 || p["media_kind"] != "photo" || p["url"] != "/c/annrides/p/"+id || p["location"] != "Berlin" {
		t.Fatalf("post: %v", p)
	}
	m := media[0].(map[string]any)
	if m["url"] != "/channels/media/"+m["id"].(string) || m["thumb"] != m["url"].(string)+"?v=thumb" || (m["width"] != 40.0 && m["width"] != 41.0) || m["mime"] == "" { // the form's files come in map order
		t.Errorf("media: %v", m)
	}
	if _, has := m["poster"]; has {
		t.Errorf("a photo with a poster: %v", m)
	}
	if tags, _ := json.Marshal(p["tags"]); string(tags) != `["bikes","berlin"]` {
		t.Errorf("tags: %s", tags)
	}
	if ch := p["channel"].(map[string]any); ch["handle"] != "annrides" || ch["posts"] != 1.0 || ch["mine"] != true {
		t.Errorf("channel: %v", ch)
	}

	// Only the owner edits the caption; the hashtags follow it.
	w.refused("someone else edits", w.do(w.bo, "PATCH", api+"/posts/"+id, `{"caption":"mine"}`, nil), 404, "channels.not_found", "", "")
	w.refused("a caption too long", w.do(w.ann, "PATCH", api+"/posts/"+id, `{"caption":"`+strings.Repeat("c", 1001)+`"}`, nil),
		400, "request.invalid", "caption", "profile.too_long")
	edited := w.ok(200, w.ann, "PATCH", api+"/posts/"+id, `{"caption":"Dusk ride #night"}`)
	if edited["edited"] != true || edited["caption"] != "Dusk ride #night" {
		t.Errorf("edited: %v", edited)
	}
	if got := ids(w.ok(200, nil, "GET", api+"/tags/bikes", "")); len(got) != 0 {
		t.Errorf("#bikes after the edit: %v", got)
	}
	if got := ids(w.ok(200, nil, "GET", api+"/tags/"+url.PathEscape("#NIGHT"), "")); len(got) != 1 || got[0] != id {
		t.Errorf("#night: %v", got)
	}

	// Pages: one a page, then the end.
	second := w.publish(w.ann, "Second", 1)
	first := w.ok(200, nil, "GET", api+"/c/annrides/posts?limit=1", "")
	if got := ids(first); len(got) != 1 || got[0] != second || first["next"] == "" {
		t.Fatalf("first page: %v", first)
	}
	rest := w.ok(200, nil, "GET", api+"/c/annrides/posts?limit=1&after="+url.QueryEscape(first["next"].(string)), "")
	if got := ids(rest); len(got) != 1 || got[0] != id || rest["next"] != "" {
		t.Errorf("second page: %v", rest)
	}
	w.refused("limit 0", w.do(nil, "GET", api+"/popular?limit=0", "", nil), 400, "request.invalid", "limit", "request.invalid")

	// Deleting: the owner's only.
	w.refused("someone else deletes", w.do(w.bo, "DELETE", api+"/posts/"+second, "", nil), 404, "channels.not_found", "", "")
	w.ok(204, w.ann, "DELETE", api+"/posts/"+second, "")
	w.refused("a deleted post", w.do(nil, "GET", api+"/posts/"+second, "", nil), 404, "channels.not_found", "", "")
	if c := w.ok(200, nil, "GET", api+"/c/annrides", ""); c["posts"] != 1.0 {
		t.Errorf("posts after a delete: %v", c["posts"])
	}
}

// TestChannelsAPIFeeds: follow counts, Following, Friends ("♥ by" named as
// the viewer knows the friend), Popular, a hashtag, search, likes and
// favourites.
func TestChannelsAPIFeeds(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	w.channel(w.dee, "deecooks")
	ride := w.publish(w.ann, "Dawn ride #bikes", 1)
	soup := w.publish(w.dee, "Tomato soup #food", 1)

	if c := w.ok(200, w.bo, "POST", api+"/c/annrides/follow", ""); c["followers"] != 1.0 || c["following"] != true {
		t.Errorf("follow: %v", c)
	}
	if c := w.ok(200, w.bo, "POST", api+"/c/annrides/follow", ""); c["followers"] != 1.0 {
		t.Errorf("following again: %v", c)
	}
	if got := ids(w.ok(200, w.bo, "GET", api+"/following", "")); len(got) != 1 || got[0] != ride {
		t.Errorf("Bo's Following: %v", got)
	}
	if c := w.ok(200, w.bo, "DELETE", api+"/c/annrides/follow", ""); c["followers"] != 0.0 || c["following"] != false {
		t.Errorf("unfollow: %v", c)
	}
	if got := ids(w.ok(200, w.bo, "GET", api+"/following", "")); len(got) != 0 {
		t.Errorf("Following after unfollowing: %v", got)
	}

	// Likes: counted once, taken back; friends see who.
	if p := w.ok(200, w.bo, "POST", api+"/posts/"+soup+"/like", ""); p["likes"] != 1.0 || p["liked"] != true {
		t.Errorf("like: %v", p)
	}
	if p := w.ok(200, w.bo, "POST", api+"/posts/"+soup+"/like", ""); p["likes"] != 1.0 {
		t.Errorf("liking again: %v", p)
	}
	w.ok(200, w.dee, "POST", api+"/posts/"+soup+"/like", "")
	friends := w.ok(200, w.cy, "GET", api+"/friends", "")
	if got := ids(friends); len(got) != 1 || got[0] != soup {
		t.Fatalf("Cy's Friends: %v", friends)
	}
	liked, _ := json.Marshal(friends["items"].([]any)[0].(map[string]any)["friends_liked"])
	if string(liked) != `[{"id":"`+w.bo.Id+`","name":"Bobby B"}]` {
		t.Errorf("♥ by: %s (Cy's remark for Bo, and not Dee, a stranger)", liked)
	}
	if p := w.ok(200, w.ann, "GET", api+"/posts/"+soup, ""); len(p["friends_liked"].([]any)) != 1 || p["friends_liked"].([]any)[0].(map[string]any)["name"] != "bo0001" {
		t.Errorf("Ann sees her friend's like by his name: %v", p["friends_liked"])
	}
	if p := w.ok(200, nil, "GET", api+"/posts/"+soup, ""); len(p["friends_liked"].([]any)) != 0 || p["liked"] != false || p["likes"] != 2.0 {
		t.Errorf("signed out: %v", p)
	}
	if p := w.ok(200, w.bo, "DELETE", api+"/posts/"+soup+"/like", ""); p["likes"] != 1.0 || p["liked"] != false {
		t.Errorf("unlike: %v", p)
	}
	if got := ids(w.ok(200, w.cy, "GET", api+"/friends", "")); len(got) != 0 {
		t.Errorf("Cy's Friends after Bo's unlike: %v", got)
	}

	// Popular, a hashtag and search, signed out.
	if got := ids(w.ok(200, nil, "GET", api+"/popular", "")); len(got) != 2 || got[0] != soup {
		t.Errorf("Popular: %v (the liked soup first)", got)
	}
	if got := ids(w.ok(200, nil, "GET", api+"/tags/food", "")); len(got) != 1 || got[0] != soup {
		t.Errorf("#food: %v", got)
	}
	found := w.ok(200, nil, "GET", api+"/search?q="+url.QueryEscape("DAWN"), "")
	if ps := found["posts"].([]any); len(ps) != 1 || ps[0].(map[string]any)["id"] != ride {
		t.Errorf("search posts: %v", found)
	}
	found = w.ok(200, nil, "GET", api+"/search?q=cooks", "")
	if cs := found["channels"].([]any); len(cs) != 1 || cs[0].(map[string]any)["handle"] != "deecooks" {
		t.Errorf("search channels: %v", found)
	}

	// Favourites: the caller's own list.
	if p := w.ok(200, w.cy, "POST", api+"/posts/"+ride+"/favourite", ""); p["favourited"] != true {
		t.Errorf("favourite: %v", p)
	}
	if got := ids(w.ok(200, w.cy, "GET", api+"/favourites", "")); len(got) != 1 || got[0] != ride {
		t.Errorf("Cy's favourites: %v", got)
	}
	if got := ids(w.ok(200, w.bo, "GET", api+"/favourites", "")); len(got) != 0 {
		t.Errorf("Bo's favourites: %v", got)
	}
	w.ok(200, w.cy, "DELETE", api+"/posts/"+ride+"/favourite", "")
	if got := ids(w.ok(200, w.cy, "GET", api+"/favourites", "")); len(got) != 0 {
		t.Errorf("favourites after removing: %v", got)
	}
}
