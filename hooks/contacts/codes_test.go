package contacts_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// TestContactsAPIErrorCodes triggers the error codes docs/API.md names for
// the contacts JSON routes, from the client's side: status and code (and
// data.<field>.code for field problems).
func TestContactsAPIErrorCodes(t *testing.T) {
	app := testapp.New(t)
	ann := testapp.CreateMember(t, app, "ann_codes")
	bo := testapp.CreateMember(t, app, "bo_codes")
	cy := testapp.CreateMember(t, app, "cy_codes")
	qrShy := testapp.CreateMember(t, app, "qr_shy")
	rate := testapp.CreateMember(t, app, "rate_codes")
	svc := testapp.Services(t, app).Contacts
	r, err := svc.SendRequest(ann, bo, contacts.RequestInput{Source: contacts.SourceID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Accept(bo, r.Id, contacts.AcceptInput{}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Block(ann, cy.Id); err != nil {
		t.Fatal(err)
	}
	pending, err := svc.SendRequest(cy, bo, contacts.RequestInput{Source: contacts.SourceID})
	if err != nil {
		t.Fatal(err)
	}
	link, err := contacts.AddLink(app, qrShy)
	if err != nil {
		t.Fatal(err)
	}
	qrShy.Set(contacts.FieldNoFindByQR, true)
	if err := app.Save(qrShy); err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, app)
	as := func(m string) map[string]string {
		tok := map[string]string{"ann": testapp.Token(t, ann), "bo": testapp.Token(t, bo), "rate": testapp.Token(t, rate)}[m]
		return map[string]string{"Authorization": tok, "Content-Type": "application/json"}
	}
	send := func(to string) string {
		b, _ := json.Marshal(map[string]string{"plaza_id": to, "source": "id"})
		return string(b)
	}
	cases := []struct {
		name, who, method, path, body string
		status                        int
		code, field, fc               string
	}{
		{"searching no one", "ann", "GET", "/api/plaza/contacts/search?q=nobody_here", "", 404, "contacts.not_found", "", ""},
		{"asking no one", "ann", "POST", "/api/plaza/contacts/requests", send("nobody_here"), 404, "contacts.not_found", "", ""},
		{"malformed JSON", "ann", "POST", "/api/plaza/contacts/requests", `{"plaza_id":`, 400, "request.invalid", "", ""},
		{"a long greeting", "ann", "POST", "/api/plaza/contacts/requests",
			`{"plaza_id":"rate_codes","source":"id","greeting":"` + strings.Repeat("g", 200) + `"}`, 400, "request.invalid", "greeting", "profile.too_long"},
		{"asking oneself", "ann", "POST", "/api/plaza/contacts/requests", send("ann_codes"), 400, "contacts.cannot_add_self", "", ""},
		{"asking a friend", "ann", "POST", "/api/plaza/contacts/requests", send("bo_codes"), 409, "contacts.already_friends", "", ""},
		{"asking someone I blocked", "ann", "POST", "/api/plaza/contacts/requests", send("cy_codes"), 409, "contacts.unblock_first", "", ""},
		{"a QR code of someone who turned QR adding off", "ann", "POST", "/api/plaza/contacts/requests",
			`{"plaza_id":"qr_shy","source":"qr","proof":"` + link + `"}`, 403, "contacts.not_allowed", "", ""},
		{"accepting a request to someone else", "ann", "POST", "/api/plaza/contacts/requests/" + pending.Id + "/accept", `{}`, 404, "contacts.not_found", "", ""},
		{"ignoring a request to someone else", "ann", "POST", "/api/plaza/contacts/requests/" + pending.Id + "/ignore", "", 404, "contacts.not_found", "", ""},
		{"a guest", "", "GET", "/api/plaza/contacts", "", 401, "auth.required", "", ""},
	}
	for _, c := range cases {
		hdr := map[string]string{"Content-Type": "application/json"}
		if c.who != "" {
			hdr = as(c.who)
		}
		res := testapp.Do(h, c.method, c.path, c.body, hdr)
		testapp.WantCode(t, c.name, res.Code, res.Body.String(), c.status, c.code, c.field, c.fc)
	}

	// friend_requests_per_hour (30 by default): the next one is 429.
	for i := range 30 {
		m := testapp.CreateMember(t, app, "target_"+string(rune('a'+i/26))+string(rune('a'+i%26)))
		if res := testapp.Do(h, "POST", "/api/plaza/contacts/requests", send(m.GetString("plaza_id")), as("rate")); res.Code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, res.Code, res.Body.String())
		}
	}
	res := testapp.Do(h, "POST", "/api/plaza/contacts/requests", send("ann_codes"), as("rate"))
	testapp.WantCode(t, "the 31st request in an hour", res.Code, res.Body.String(), 429, "contacts.too_many_requests", "", "")
}
