package oaweb_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// world is Ann, who owns the subscription account "news" (approved as a
// superuser would) and made Bo its operator; Cy, Ann's friend, a reader;
// and Dee, a stranger to all. nil is a signed-out visitor.
type world struct {
	t                *testing.T
	app              core.App
	h                http.Handler
	ann, bo, cy, dee *core.Record
}

const api = "/api/plaza/oa"

func newWorld(t *testing.T) *world {
	app := testapp.New(t)
	w := &world{t: t, app: app, h: testapp.Handler(t, app)}
	w.ann, w.bo = testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001")
	w.cy, w.dee = testapp.CreateMember(t, app, "cy0001"), testapp.CreateMember(t, app, "dee001")
	testapp.Befriend(t, app, w.ann, w.cy)
	w.apply(w.ann, "news", oa.KindSubscription)
	w.approve("news")
	w.ok(200, w.ann, "POST", api+"/accounts/news/operators", `{"member":"`+w.bo.Id+`"}`)
	return w
}

// apply files who's application for handle over JSON.
func (w *world) apply(who *core.Record, handle, kind string) map[string]any {
	w.t.Helper()
	return w.ok(201, who, "POST", api+"/accounts",
		`{"handle":"`+handle+`","name":"`+strings.ToUpper(handle)+`","description":"About `+handle+`","category":"news","kind":"`+kind+`"}`)
}

// approve sets an account's status as a superuser would in /_/.
func (w *world) approve(handle string) { w.setStatus(handle, oa.StatusApproved, "") }

func (w *world) setStatus(handle, status, reason string) {
	w.t.Helper()
	rec, err := w.app.FindFirstRecordByData("oa_accounts", "handle", handle)
	if err != nil {
		w.t.Fatal(err)
	}
	rec.Set("status", status)
	rec.Set("reject_reason", reason)
	if err := w.app.Save(rec); err != nil {
		w.t.Fatal(err)
	}
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

// multipartBody builds a form: fields, and files named "field:filename".
func multipartBody(t *testing.T, fields map[string]string, files map[string][]byte) (string, map[string]string) {
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
	return buf.String(), map[string]string{"Content-Type": mw.FormDataContentType()}
}

// write saves a draft on "news" as who (JSON): its id.
func (w *world) write(who *core.Record, title string) string {
	w.t.Helper()
	return w.ok(201, who, "POST", api+"/accounts/news/articles",
		`{"title":"`+title+`","digest":"About `+title+`","body":"Hello **`+title+`**","comments_open":true}`)["id"].(string)
}

// published writes an article on "news" and broadcasts it now.
func (w *world) published(title string) string {
	w.t.Helper()
	id := w.write(w.bo, title)
	w.ok(201, w.bo, "POST", api+"/articles/"+id+"/broadcast", `{}`)
	return id
}

func items(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// TestOAAPIApplyAndApproval: an application is pending and invisible to
// everyone but its owner (profile, directory, articles, follow) until a
// superuser approves it; a rejected one shows its owner the reason; one
// account a member; an avatar through the multipart form.
func TestOAAPIApplyAndApproval(t *testing.T) {
	w := newWorld(t)
	body, headers := multipartBody(t, map[string]string{"handle": "Cafe_1", "name": "Corner Café", "category": "food", "kind": "service"},
		map[string][]byte{"avatar:a.png": testapp.PNG(t, 20, 20)})
	got := w.decode(201, "apply", w.do(w.dee, "POST", api+"/accounts", body, headers))
	if got["status"] != "pending" || got["handle"] != "cafe_1" || got["avatar"] != "/oa/cafe_1/avatar" || got["mine"] != true {
		t.Fatalf("application: %v", got)
	}
	for _, who := range []*core.Record{nil, w.cy, w.bo} {
		w.refused("a pending account", w.do(who, "GET", api+"/accounts/cafe_1", "", nil), 404, "oa.not_found", "", "")
		w.refused("a pending account's articles", w.do(who, "GET", api+"/accounts/cafe_1/articles", "", nil), 404, "oa.not_found", "", "")
	}
	w.refused("following a pending account", w.do(w.cy, "POST", api+"/accounts/cafe_1/follow", "", nil), 404, "oa.not_found", "", "")
	w.refused("writing before approval", w.do(w.dee, "POST", api+"/accounts/cafe_1/articles", `{"title":"x"}`, nil), 404, "oa.not_found", "", "")
	if list := items(w.ok(200, nil, "GET", api+"/accounts?q=corner", "")); len(list) != 0 {
		t.Fatalf("the directory lists a pending account: %v", list)
	}
	w.refused("a second application", w.do(w.dee, "POST", api+"/accounts",
		`{"handle":"cafe_2","name":"C","category":"food","kind":"service"}`, nil), 409, "oa.already_have", "", "")
	w.refused("applying signed out", w.do(nil, "POST", api+"/accounts", `{"handle":"x_x_x"}`, nil), 401, "auth.required", "", "")

	w.setStatus("cafe_1", oa.StatusRejected, "Not a real café")
	mine := items(w.ok(200, w.dee, "GET", api+"/me/accounts", ""))
	if len(mine) != 1 || mine[0]["status"] != "rejected" || mine[0]["reject_reason"] != "Not a real café" {
		t.Fatalf("my rejected account: %v", mine)
	}
	w.approve("cafe_1")
	if a := w.ok(200, nil, "GET", api+"/accounts/cafe_1", ""); a["reject_reason"] != nil || a["following"] != false || a["kind"] != "service" {
		t.Fatalf("the approved account signed out: %v", a)
	}
	if list := items(w.ok(200, nil, "GET", api+"/accounts?category=food&q=corner", "")); len(list) != 1 || list[0]["handle"] != "cafe_1" {
		t.Fatalf("the directory: %v", list)
	}
	// Bo operates "news" and owns nothing: he sees it among his accounts.
	if mine := items(w.ok(200, w.bo, "GET", api+"/me/accounts", "")); len(mine) != 1 || mine[0]["handle"] != "news" || mine[0]["mine"] != false || mine[0]["operator"] != true {
		t.Fatalf("an operator's accounts: %v", mine)
	}
	w.refused("my accounts signed out", w.do(nil, "GET", api+"/me/accounts", "", nil), 401, "auth.required", "", "")
}

// TestOAAPIArticlesReadsAndBroadcasts: a draft is its operators' only; a
// broadcast publishes it; the quota refuses one more the same day (429);
// a scheduled broadcast is listed and cancelled; reads count once per
// reader per day, never its operators'.
func TestOAAPIArticlesReadsAndBroadcasts(t *testing.T) {
	w := newWorld(t)
	body, headers := multipartBody(t, map[string]string{"title": "First", "body": "Hi *there*", "comments_open": "true"},
		map[string][]byte{"cover:c.png": testapp.PNG(t, 40, 30)})
	draft := w.decode(201, "write", w.do(w.bo, "POST", api+"/accounts/news/articles", body, headers))
	id := draft["id"].(string)
	if draft["published_at"] != "" || draft["cover"] != "/oa/news/a/"+id+"/cover" || !strings.Contains(draft["html"].(string), "<em>there</em>") {
		t.Fatalf("the draft: %v", draft)
	}
	for _, who := range []*core.Record{nil, w.cy} {
		w.refused("a draft", w.do(who, "GET", api+"/articles/"+id, "", nil), 404, "oa.not_found", "", "")
		if list := items(w.ok(200, who, "GET", api+"/accounts/news/articles", "")); len(list) != 0 {
			t.Fatalf("a draft is listed to a reader: %v", list)
		}
	}
	if list := items(w.ok(200, w.ann, "GET", api+"/accounts/news/articles", "")); len(list) != 1 || list[0]["html"] != "" {
		t.Fatalf("the owner's list: %v", list)
	}
	edited := w.ok(200, w.ann, "PATCH", api+"/articles/"+id, `{"title":"First, edited"}`)
	if edited["title"] != "First, edited" || edited["markdown"] != "Hi *there*" || edited["has_cover"] != true {
		t.Fatalf("a PATCH changed more than the title: %v", edited)
	}

	b := w.ok(201, w.bo, "POST", api+"/articles/"+id+"/broadcast", `{}`)
	if b["status"] != "sent" {
		t.Fatalf("the broadcast: %v", b)
	}
	second := w.write(w.bo, "Second")
	w.refused("a second broadcast the same day", w.do(w.bo, "POST", api+"/articles/"+second+"/broadcast", `{}`, nil), 429, "oa.quota_exceeded", "", "")
	at := time.Now().UTC().Add(48 * time.Hour).Format(time.RFC3339)
	sched := w.ok(201, w.bo, "POST", api+"/articles/"+second+"/broadcast", `{"at":"`+at+`"}`)
	if sched["status"] != "scheduled" {
		t.Fatalf("a scheduled broadcast: %v", sched)
	}
	if list := items(w.ok(200, w.ann, "GET", api+"/accounts/news/broadcasts", "")); len(list) != 2 {
		t.Fatalf("broadcasts: %v", list)
	}
	w.refused("a stranger cancels", w.do(w.dee, "DELETE", api+"/broadcasts/"+sched["id"].(string), "", nil), 404, "oa.not_found", "", "")
	w.ok(204, w.bo, "DELETE", api+"/broadcasts/"+sched["id"].(string), "")
	w.refused("cancelled twice", w.do(w.bo, "DELETE", api+"/broadcasts/"+sched["id"].(string), "", nil), 409, "oa.broadcast_not_scheduled", "", "")

	w.ok(200, nil, "GET", api+"/articles/"+id, "")
	w.ok(200, nil, "GET", api+"/articles/"+id, "")  // the same visitor the same day
	w.ok(200, w.bo, "GET", api+"/articles/"+id, "") // an operator
	got := w.ok(200, w.cy, "GET", api+"/articles/"+id, "")
	if got["reads"] != 2.0 || got["markdown"] != nil || got["operator"] != false || got["url"] != "/oa/news/a/"+id {
		t.Fatalf("reads or a reader's view: %v", got)
	}
	if list := items(w.ok(200, nil, "GET", api+"/accounts/news/articles", "")); len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("the public list: %v", list)
	}
	w.refused("a stranger deletes", w.do(w.dee, "DELETE", api+"/articles/"+id, "", nil), 404, "oa.not_found", "", "")
	w.ok(204, w.ann, "DELETE", api+"/articles/"+id, "")
	w.refused("a deleted article", w.do(nil, "GET", api+"/articles/"+id, "", nil), 404, "oa.not_found", "", "")
}

// TestOAAPIFollowReactAndComment: following (and the Following list),
// reactions, and comments hidden until an operator shows them.
func TestOAAPIFollowReactAndComment(t *testing.T) {
	w := newWorld(t)
	id := w.published("Hello")
	w.refused("following signed out", w.do(nil, "POST", api+"/accounts/news/follow", "", nil), 401, "auth.required", "", "")
	if a := w.ok(200, w.cy, "POST", api+"/accounts/news/follow", ""); a["following"] != true || a["followers"] != 1.0 {
		t.Fatalf("after following: %v", a)
	}
	if f := items(w.ok(200, w.cy, "GET", api+"/following", "")); len(f) != 1 || f[0]["handle"] != "news" || f[0]["latest"] != id {
		t.Fatalf("following: %v", f)
	}
	if a := w.ok(200, w.cy, "DELETE", api+"/accounts/news/follow", ""); a["following"] != false || a["followers"] != 0.0 {
		t.Fatalf("after unfollowing: %v", a)
	}

	if a := w.ok(200, w.cy, "PUT", api+"/articles/"+id+"/reactions/like", ""); a["likes"] != 1.0 || a["liked"] != true {
		t.Fatalf("after a like: %v", a)
	}
	w.ok(200, w.cy, "PUT", api+"/articles/"+id+"/reactions/like", "")
	if a := w.ok(200, w.cy, "PUT", api+"/articles/"+id+"/reactions/wow", ""); a["likes"] != 1.0 || a["wows"] != 1.0 {
		t.Fatalf("a like twice, then a wow: %v", a)
	}
	if a := w.ok(200, w.cy, "DELETE", api+"/articles/"+id+"/reactions/like", ""); a["likes"] != 0.0 || a["liked"] != false {
		t.Fatalf("after unliking: %v", a)
	}
	w.refused("a reaction signed out", w.do(nil, "PUT", api+"/articles/"+id+"/reactions/like", "", nil), 401, "auth.required", "", "")

	c := w.ok(201, w.cy, "POST", api+"/articles/"+id+"/comments", `{"text":"Nice one"}`)
	cid := c["id"].(string)
	if c["shown"] != false || c["mine"] != true || c["author"].(map[string]any)["id"] != w.cy.Id {
		t.Fatalf("a new comment: %v", c)
	}
	if list := items(w.ok(200, nil, "GET", api+"/articles/"+id+"/comments", "")); len(list) != 0 {
		t.Fatalf("a hidden comment shows: %v", list)
	}
	if list := items(w.ok(200, w.cy, "GET", api+"/articles/"+id+"/comments", "")); len(list) != 1 {
		t.Fatalf("its author does not see it: %v", list)
	}
	w.refused("a stranger shows a comment", w.do(w.dee, "PATCH", api+"/comments/"+cid, `{"shown":true}`, nil), 404, "oa.not_found", "", "")
	w.refused("the author shows their comment", w.do(w.cy, "PATCH", api+"/comments/"+cid, `{"shown":true}`, nil), 404, "oa.not_found", "", "")
	w.ok(204, w.bo, "PATCH", api+"/comments/"+cid, `{"shown":true,"reply":"Thanks!"}`)
	list := items(w.ok(200, nil, "GET", api+"/articles/"+id+"/comments", ""))
	if len(list) != 1 || list[0]["reply"] != "Thanks!" || list[0]["author"].(map[string]any)["name"] == "" {
		t.Fatalf("the shown comment: %v", list)
	}
	w.ok(204, w.dee, "POST", api+"/comments/"+cid+"/report", `{"reason":"spam"}`)
	w.ok(204, w.dee, "POST", api+"/articles/"+id+"/report", `{"reason":"spam"}`)
	w.ok(204, w.dee, "POST", api+"/accounts/news/report", `{"reason":"fraud","note":"fake"}`)
	w.ok(204, w.bo, "PATCH", api+"/comments/"+cid, `{"shown":false}`)
	w.refused("reporting a hidden comment", w.do(w.dee, "POST", api+"/comments/"+cid+"/report", `{"reason":"spam"}`, nil), 404, "oa.not_found", "", "")

	w.ok(200, w.ann, "PATCH", api+"/articles/"+id, `{"comments_open":false}`)
	w.refused("comments closed", w.do(w.cy, "POST", api+"/articles/"+id+"/comments", `{"text":"Late"}`, nil), 403, "oa.comments_closed", "", "")
}
