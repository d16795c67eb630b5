package contacts_test

import (
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/links"
	"plaza/hooks/problem"
)

// world is three members: Ann and Bo are friends (Ann tagged and remarked
// Bo), Cy is a stranger to both; Dee has a pending request to Ann.
type world struct {
	app             *tests.TestApp
	svc             *contacts.Service
	ann, bo, cy, de *core.Record
	request         *contacts.Request // Dee → Ann
	tag             *core.Record      // Ann's tag
}

func newWorld(t testing.TB) *world {
	t.Helper()
	app := testapp.New(t)
	svc := testapp.Services(t, app).Contacts
	w := &world{app: app, svc: svc,
		ann: testapp.CreateMember(t, app, "ann_lee"), bo: testapp.CreateMember(t, app, "bo_wang"),
		cy: testapp.CreateMember(t, app, "cy_stranger"), de: testapp.CreateMember(t, app, "dee_sender")}
	r, err := svc.SendRequest(w.bo, w.ann, contacts.RequestInput{Greeting: "hi", Source: contacts.SourceID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Accept(w.ann, r.Id, contacts.AcceptInput{Remark: "Bo secret remark", NewTag: "SecretTag"}); err != nil {
		t.Fatal(err)
	}
	if w.request, err = svc.SendRequest(w.de, w.ann, contacts.RequestInput{Greeting: "private greeting", Source: contacts.SourceID}); err != nil {
		t.Fatal(err)
	}
	tags, err := contacts.Tags(app, w.ann)
	if err != nil || len(tags) != 1 {
		t.Fatalf("tags: %v %v", tags, err)
	}
	w.tag, _ = app.FindRecordById(contacts.TagsCollection, tags[0].ID)
	return w
}

func (w *world) do(t testing.TB, as *core.Record, method, path, body string) (int, string) {
	h := testapp.Handler(t, w.app)
	hdr := map[string]string{"Cookie": testapp.SessionCookie(t, as)}
	res := testapp.Do(h, method, path, body, hdr)
	return res.Code, res.Body.String()
}

// TestStrangerSeesNothing: Cy cannot read anyone's friends, tags, remarks or
// requests through pages, JSON routes or the records API.
func TestStrangerSeesNothing(t *testing.T) {
	w := newWorld(t)
	secrets := []string{"Bo secret remark", "SecretTag", "private greeting"}
	pages := []string{
		"/contacts", "/contacts/new", "/contacts/tags", "/contacts/tags/" + w.tag.Id,
		"/u/" + w.bo.Id, "/u/" + w.ann.Id, "/u/" + w.de.Id, "/u/" + w.bo.Id + "/edit",
		"/contacts/requests/" + w.request.Id,
		"/api/plaza/contacts", "/api/plaza/contacts/requests",
		"/api/collections/contacts/records", "/api/collections/contact_tags/records",
		"/api/collections/friend_requests/records", "/api/collections/blocks/records",
		"/api/collections/contacts/records?filter=" + url.QueryEscape(`remark ~ "secret"`),
		"/api/collections/friend_requests/records/" + w.request.Id,
		"/api/collections/contact_tags/records/" + w.tag.Id,
	}
	for _, p := range pages {
		code, body := w.do(t, w.cy, http.MethodGet, p, "")
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("%s (%d) shows %q to a stranger", p, code, s)
			}
		}
		if strings.Contains(body, w.ann.Id) && strings.HasPrefix(p, "/api/collections") {
			t.Errorf("%s leaks Ann's id to a stranger", p)
		}
	}
	for _, p := range []string{"/u/" + w.bo.Id, "/u/" + w.ann.Id, "/contacts/tags/" + w.tag.Id, "/u/" + w.bo.Id + "/edit",
		"/contacts/requests/" + w.request.Id, "/api/collections/friend_requests/records/" + w.request.Id} {
		if code, _ := w.do(t, w.cy, http.MethodGet, p, ""); code != http.StatusNotFound {
			t.Errorf("%s: a stranger should get 404, got %d", p, code)
		}
	}
	// Ann herself sees all of it (the positive control).
	_, body := w.do(t, w.ann, http.MethodGet, "/api/plaza/contacts", "")
	if !strings.Contains(body, "Bo secret remark") {
		t.Fatalf("Ann should see her own remark: %s", body)
	}
	_, body = w.do(t, w.ann, http.MethodGet, "/api/collections/friend_requests/records", "")
	if !strings.Contains(body, "private greeting") {
		t.Fatalf("Ann should see the request addressed to her: %s", body)
	}
}

// TestCannotAnswerSomeoneElsesRequest: Cy cannot accept or ignore Dee's
// request to Ann, by page or JSON.
func TestCannotAnswerSomeoneElsesRequest(t *testing.T) {
	w := newWorld(t)
	for _, p := range []string{"/contacts/requests/" + w.request.Id + "/accept", "/contacts/requests/" + w.request.Id + "/ignore"} {
		if code, _ := w.do(t, w.cy, http.MethodPost, p, "remark=x"); code != http.StatusNotFound {
			t.Errorf("%s by a stranger: got %d, want 404", p, code)
		}
	}
	h := testapp.Handler(t, w.app)
	for _, p := range []string{"/api/plaza/contacts/requests/" + w.request.Id + "/accept", "/api/plaza/contacts/requests/" + w.request.Id + "/ignore"} {
		res := testapp.Do(h, http.MethodPost, p, "", map[string]string{"Authorization": testapp.Token(t, w.cy), "Content-Type": "application/json"})
		if res.Code != http.StatusNotFound || strings.Contains(res.Body.String(), w.request.Id) {
			t.Errorf("%s by a stranger: got %d %s", p, res.Code, res.Body.String())
		}
	}
	// Nor through the records API.
	res := testapp.Do(h, http.MethodPatch, "/api/collections/friend_requests/records/"+w.request.Id, "",
		map[string]string{"Authorization": testapp.Token(t, w.ann), "Content-Type": "application/json"})
	if res.Code == http.StatusOK {
		t.Error("the records API must not change requests")
	}
	r, _ := w.app.FindRecordById(contacts.RequestsCollection, w.request.Id)
	if r.GetString("status") != contacts.StatusPending {
		t.Fatalf("the request changed: %s", r.GetString("status"))
	}
	if ok, _ := contacts.AreFriends(w.app, w.ann.Id, w.de.Id); ok {
		t.Fatal("a friendship was made")
	}
}

func TestRequestLifecycle(t *testing.T) {
	w := newWorld(t)
	// A repeated request updates the pending one.
	if _, err := w.svc.SendRequest(w.de, w.ann, contacts.RequestInput{Greeting: "second try", Source: contacts.SourceID}); err != nil {
		t.Fatal(err)
	}
	n, _ := w.app.CountRecords(contacts.RequestsCollection, nil)
	if n != 2 { // Bo→Ann (accepted) and Dee→Ann
		t.Fatalf("requests = %d, want 2 (no stacking)", n)
	}
	if r, _ := w.app.FindRecordById(contacts.RequestsCollection, w.request.Id); r.GetString("greeting") != "second try" {
		t.Fatal("the pending request was not updated")
	}
	if c, _ := w.svc.PendingCount(w.ann.Id); c != 1 {
		t.Fatalf("Ann's badge = %d, want 1", c)
	}

	// Seven days later it has expired: no badge, cannot be accepted.
	defer w.svc.SetClock(time.Now)
	w.svc.SetClock(func() time.Time { return time.Now().Add(contacts.RequestTTL + time.Minute) })
	if c, _ := w.svc.PendingCount(w.ann.Id); c != 0 {
		t.Fatalf("expired request still counted: %d", c)
	}
	_, err := w.svc.Accept(w.ann, w.request.Id, contacts.AcceptInput{})
	if p, ok := problem.As(err); !ok || p.Status != http.StatusNotFound {
		t.Fatalf("accepting an expired request: %v", err)
	}
	w.svc.SetClock(time.Now)

	// If Ann asks Dee while Dee's request is pending, they become friends.
	if _, err := w.svc.SendRequest(w.ann, w.de, contacts.RequestInput{Source: contacts.SourceID}); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{w.ann.Id, w.de.Id}, {w.de.Id, w.ann.Id}} {
		if ok, _ := contacts.AreFriends(w.app, pair[0], pair[1]); !ok {
			t.Fatal("mutual requests should make a friendship both ways")
		}
	}
	// Deleting a friend ends it for both.
	if err := w.svc.Unfriend(w.ann, w.de.Id); err != nil {
		t.Fatal(err)
	}
	if ok, _ := contacts.AreFriends(w.app, w.de.Id, w.ann.Id); ok {
		t.Fatal("unfriending should be mutual")
	}
}

// TestBlockIsSilent: after Ann blocks Cy, Cy's request "goes through" for
// Cy but never reaches Ann.
func TestBlockIsSilent(t *testing.T) {
	w := newWorld(t)
	if err := w.svc.Block(w.ann, w.cy.Id); err != nil {
		t.Fatal(err)
	}
	r, err := w.svc.SendRequest(w.cy, w.ann, contacts.RequestInput{Greeting: "let me in", Source: contacts.SourceID})
	if err != nil {
		t.Fatalf("the blocked sender must not be told: %v", err)
	}
	if _, body := w.do(t, w.cy, http.MethodGet, "/api/plaza/contacts/requests", ""); !strings.Contains(body, `"status":"pending"`) {
		t.Fatalf("Cy should see the request as pending: %s", body)
	}
	if c, _ := w.svc.PendingCount(w.ann.Id); c != 1 { // only Dee's
		t.Fatalf("Ann's badge = %d, want 1", c)
	}
	for _, p := range []string{"/api/plaza/contacts/requests", "/api/collections/friend_requests/records", "/contacts/new"} {
		if _, body := w.do(t, w.ann, http.MethodGet, p, ""); strings.Contains(body, "let me in") {
			t.Errorf("%s shows the silenced request to Ann", p)
		}
	}
	if _, err := w.svc.Accept(w.ann, r.Id, contacts.AcceptInput{}); err == nil {
		t.Fatal("a silenced request was accepted")
	}
	if blocked, _ := contacts.IsBlocked(w.app, w.ann.Id, w.cy.Id); !blocked {
		t.Fatal("block not stored")
	}
	if _, body := w.do(t, w.cy, http.MethodGet, "/api/collections/blocks/records", ""); strings.Contains(body, w.ann.Id) {
		t.Fatal("Cy can see Ann's block list")
	}
}

func TestPrivacyStopsFinding(t *testing.T) {
	w := newWorld(t)
	if _, err := w.svc.Find(w.cy, "ANN_LEE"); err != nil {
		t.Fatalf("find by ID (any case): %v", err)
	}
	if _, err := w.svc.Find(w.cy, "ann_lee@example.test"); err != nil {
		t.Fatalf("find by email: %v", err)
	}
	if err := w.svc.SetPrivacy(w.ann, contacts.Privacy{FindByQR: true}); err != nil {
		t.Fatal(err)
	}
	_, hidden := w.svc.Find(w.cy, "ann_lee")
	_, missing := w.svc.Find(w.cy, "nobody_at_all")
	if hidden == nil || hidden.Error() != missing.Error() {
		t.Fatalf("a hidden member must look like a missing one: %v vs %v", hidden, missing)
	}
	if _, err := w.svc.Find(w.cy, "ann_lee@example.test"); err == nil {
		t.Fatal("found by email despite the privacy setting")
	}
	for _, src := range []string{contacts.SourceID, contacts.SourceEmail, "group", ""} {
		if _, err := w.svc.SendRequest(w.cy, w.ann, contacts.RequestInput{Source: src}); err == nil {
			t.Errorf("request by source %q went through", src)
		}
	}
	if code, body := w.do(t, w.cy, http.MethodGet, "/contacts/search?q=ann_lee", ""); code != http.StatusNotFound || strings.Contains(body, "person-card") {
		t.Fatalf("search page found a hidden member: %d", code)
	}
	// The QR code still works, as she allowed it…
	link, err := contacts.AddLink(w.app, w.ann)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SendRequest(w.cy, w.ann, contacts.RequestInput{Source: contacts.SourceQR, Proof: link}); err != nil {
		t.Fatalf("request by QR: %v", err)
	}
	// …until she turns it off too.
	if err := w.svc.SetPrivacy(w.ann, contacts.Privacy{}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.VerifyAddLink(link); err == nil {
		t.Fatal("QR link accepted despite the privacy setting")
	}
}

// TestQRCodes: a current code opens the card; tampered, expired, reset and
// foreign codes are refused with clear messages.
func TestQRCodes(t *testing.T) {
	w := newWorld(t)
	link, err := contacts.AddLink(w.app, w.ann)
	if err != nil {
		t.Fatal(err)
	}
	if code, body := w.do(t, w.cy, http.MethodGet, link, ""); code != http.StatusOK || !strings.Contains(body, `data-plaza-id="ann_lee"`) {
		t.Fatalf("a good code: %d", code)
	}
	signer, err := contacts.Signer(w.app)
	if err != nil {
		t.Fatal(err)
	}
	expired, _ := signer.Path(links.Link{Kind: links.KindAddFriend, Target: "ann_lee", Expires: time.Now().Add(-time.Minute)})
	tamperedTarget := strings.Replace(link, "ann_lee", "bo_wang", 1)
	tamperedSig := link[:len(link)-3] + "AAA"
	cases := map[string]string{
		tamperedTarget: "has been changed or damaged",
		tamperedSig:    "has been changed or damaged",
		expired:        "has expired",
	}
	for l, want := range cases {
		if code, body := w.do(t, w.cy, http.MethodGet, l, ""); code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("%s: got %d, want 400 with %q", l, code, want)
		}
	}
	// Scanning: the full URL of this Plaza works, others do not.
	site := w.app.Settings().Meta.AppURL
	for raw, want := range map[string]string{
		site + link:                   "", // redirects to the card
		"https://evil.example" + link: "not from this Plaza",
		"hello, I am just text":       "not from this Plaza",
		site + tamperedSig:            "has been changed or damaged",
		site + strings.Replace(link, "/add/", "/pay/", 1): "has been changed or damaged",
	} {
		code, body := w.do(t, w.cy, http.MethodPost, "/scan", "code="+url.QueryEscape(raw))
		if want == "" {
			if code != http.StatusSeeOther {
				t.Errorf("scan %q: got %d, want a redirect", raw, code)
			}
			continue
		}
		if code != http.StatusBadRequest || !strings.Contains(body, want) {
			t.Errorf("scan %q: got %d, want %q", raw, code, want)
		}
	}
	// Resetting the code voids the old one.
	if code, _ := w.do(t, w.ann, http.MethodPost, "/me/qr/reset", ""); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	if code, body := w.do(t, w.cy, http.MethodGet, link, ""); code != http.StatusBadRequest || !strings.Contains(body, "it was reset") {
		t.Fatalf("a reset code: %d", code)
	}
	fresh, _ := contacts.AddLink(w.app, mustReload(t, w.app, w.ann))
	if fresh == link {
		t.Fatal("reset should change the code")
	}
	if code, _ := w.do(t, w.cy, http.MethodGet, fresh, ""); code != http.StatusOK {
		t.Fatalf("the new code should work: %d", code)
	}
	// A request cannot cite a QR code for someone else.
	if _, err := w.svc.SendRequest(w.cy, w.bo, contacts.RequestInput{Source: contacts.SourceQR, Proof: fresh}); err == nil {
		t.Fatal("Ann's code was accepted as proof for Bo")
	}
}

func mustReload(t testing.TB, app core.App, r *core.Record) *core.Record {
	t.Helper()
	fresh, err := app.FindRecordById(r.Collection(), r.Id)
	if err != nil {
		t.Fatal(err)
	}
	return fresh
}

func TestTagsBelongToTheirOwner(t *testing.T) {
	w := newWorld(t)
	// Bo cannot put Ann's tag on Ann, rename it or delete it.
	if err := w.svc.UpdateContact(w.bo, w.ann.Id, contacts.ContactInput{TagIDs: []string{w.tag.Id}}); err != nil {
		t.Fatal(err)
	}
	f, _ := contacts.FriendOf(w.app, w.bo, w.ann.Id)
	if len(f.Contact.TagIDs()) != 0 {
		t.Fatal("a foreign tag was attached")
	}
	if err := w.svc.RenameTag(w.bo, w.tag.Id, "pwned"); err == nil {
		t.Fatal("renamed someone else's tag")
	}
	if err := w.svc.DeleteTag(w.bo, w.tag.Id); err == nil {
		t.Fatal("deleted someone else's tag")
	}
	// Ann renames and deletes hers; Bo loses it from her contact entry.
	if err := w.svc.RenameTag(w.ann, w.tag.Id, "Choir"); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.DeleteTag(w.ann, w.tag.Id); err != nil {
		t.Fatal(err)
	}
	f, _ = contacts.FriendOf(w.app, w.ann, w.bo.Id)
	if len(f.Contact.TagIDs()) != 0 {
		t.Fatal("a deleted tag is still on the contact")
	}
}

// TestRealtimeLeaksNothing: a stranger subscribed to every contacts
// collection over PocketBase's SSE hears nothing of Ann's contacts, tags,
// requests or blocks; Ann hears her own (the control).
func TestRealtimeLeaksNothing(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewServer(testapp.Handler(t, w.app))
	t.Cleanup(srv.Close) // after the subscriptions' own cleanups close them
	topics := []string{"contacts", "friend_requests", "contact_tags", "blocks", "users"}
	stranger := testapp.Subscribe(t, srv.URL, testapp.Token(t, w.cy), topics...)
	owner := testapp.Subscribe(t, srv.URL, testapp.Token(t, w.ann), topics...)

	if _, err := w.svc.Accept(w.ann, w.request.Id, contacts.AcceptInput{Remark: "Dee realtime remark", NewTag: "RealtimeTag"}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Block(w.ann, w.bo.Id); err != nil {
		t.Fatal(err)
	}
	if !owner.WaitFor("Dee realtime remark", 3*time.Second) || !owner.WaitFor("RealtimeTag", time.Second) || !owner.WaitFor(`"collectionName":"blocks"`, time.Second) {
		t.Fatalf("Ann should hear her own changes: %v", owner.Events())
	}
	time.Sleep(200 * time.Millisecond)
	if ev := stranger.Events(); len(ev) != 0 {
		t.Fatalf("a stranger heard: %v", ev)
	}
}

func TestFriendRequestsPerHour(t *testing.T) {
	w := newWorld(t)
	row, _ := w.app.FindRecordById("settings", "plazasettings01")
	row.Set("friend_requests_per_hour", 3)
	if err := w.app.Save(row); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		m := testapp.CreateMember(t, w.app, "target_"+string(rune('a'+i))+"xyz")
		if _, err := w.svc.SendRequest(w.cy, m, contacts.RequestInput{Source: contacts.SourceID}); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	_, err := w.svc.SendRequest(w.cy, w.ann, contacts.RequestInput{Source: contacts.SourceID})
	if p, ok := problem.As(err); !ok || p.Status != http.StatusTooManyRequests {
		t.Fatalf("the 4th request in an hour: %v", err)
	}
}

// TestQRImageEncodesTheAddLink decodes the PNG of /me/qr.png (with gozxing,
// as a phone would) and checks it is the member's current signed link.
func TestQRImageEncodesTheAddLink(t *testing.T) {
	w := newWorld(t)
	h := testapp.Handler(t, w.app)
	res := testapp.Do(h, http.MethodGet, "/me/qr.png?download=1", "", map[string]string{"Cookie": testapp.SessionCookie(t, w.ann)})
	if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "image/png" ||
		!strings.Contains(res.Header().Get("Content-Disposition"), "plaza-ann_lee.png") ||
		!strings.Contains(res.Header().Get("Cache-Control"), "no-store") {
		t.Fatalf("qr.png: %d %v", res.Code, res.Header())
	}
	img, err := png.Decode(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	result, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode the QR code: %v", err)
	}
	link, _ := contacts.AddLink(w.app, w.ann)
	if got, want := result.GetText(), w.app.Settings().Meta.AppURL+link; got != want {
		t.Fatalf("QR holds %q, want %q", got, want)
	}
	if m, err := w.svc.VerifyAddLink(result.GetText(), "127.0.0.1:8090"); err != nil || m.Id != w.ann.Id {
		t.Fatalf("the decoded link does not verify: %v", err)
	}
	if res := testapp.Do(h, http.MethodGet, "/me/qr.png", "", nil); res.Code == http.StatusOK {
		t.Fatal("a guest got a QR code")
	}
}

// TestSignedLinksOnlyFromThisServer: a well-signed add-me link on another
// host is refused wherever a link is read (the friend request's proof, the
// scan form), and with no Application URL set only a path is taken; the
// Application URL's host is accepted.
func TestSignedLinksOnlyFromThisServer(t *testing.T) {
	w := newWorld(t)
	path, err := contacts.AddLink(w.app, w.ann)
	if err != nil {
		t.Fatal(err)
	}
	foreign := "https://evil.example" + path
	if _, err := w.svc.VerifyAddLink(foreign); err == nil {
		t.Fatal("a link on another host was accepted with no host known")
	} else if p, ok := problem.As(err); !ok || p.Key != "scan.foreign" {
		t.Fatalf("foreign link: %v", err)
	}
	if _, err := w.svc.SendRequest(w.cy, w.ann, contacts.RequestInput{Source: contacts.SourceQR, Proof: foreign}); err == nil {
		t.Fatal("a friend request proved by a foreign link was sent")
	}
	w.app.Settings().Meta.AppURL = "https://plaza.example"
	if _, err := w.svc.VerifyAddLink(foreign); err == nil {
		t.Fatal("a link on another host was accepted beside the Application URL")
	}
	if m, err := w.svc.VerifyAddLink("https://plaza.example" + path); err != nil || m.Id != w.ann.Id {
		t.Fatalf("a link on the Application URL's host: %v", err)
	}
	if m, err := w.svc.VerifyAddLink(path); err != nil || m.Id != w.ann.Id {
		t.Fatalf("a bare path: %v", err)
	}
}
