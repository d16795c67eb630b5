package contacts_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// apiAs sends one JSON request as the member (a guest when as is nil) and
// decodes the answer.
func (w *world) apiAs(t *testing.T, as *core.Record, method, path, body string) (int, map[string]any, string) {
	t.Helper()
	hdr := map[string]string{"Content-Type": "application/json"}
	if as != nil {
		hdr["Authorization"] = testapp.Token(t, as)
	}
	res := testapp.Do(testapp.Handler(t, w.app), method, path, body, hdr)
	out := map[string]any{}
	if res.Body.Len() > 0 {
		if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
			t.Errorf("%s %s: not JSON: %d %q", method, path, res.Code, res.Body.String())
		}
	}
	return res.Code, out, res.Body.String()
}

// TestContactsManageAPI: PATCH and DELETE /api/plaza/contacts/{id} edit and
// delete a friend through the operations the card's forms use; anyone who
// is not the caller's friend (a stranger, a pending requester, no one at
// all) gets the same 404.
func TestContactsManageAPI(t *testing.T) {
	w := newWorld(t)
	path := "/api/plaza/contacts/" + w.bo.Id

	status, out, body := w.apiAs(t, w.ann, "PATCH", path,
		`{"remark":"  Bobby ","starred":true,"chat_only":true,"new_tag":"Cycling"}`)
	if status != http.StatusOK || out["remark"] != "Bobby" || out["starred"] != true || out["chat_only"] != true ||
		out["hide_my_moments"] != false || out["plaza_id"] != "bo_wang" || out["letter"] == "" {
		t.Fatalf("PATCH: %d %s", status, body)
	}
	tags, _ := out["tags"].([]any)
	if len(tags) != 2 || !slices.Contains(tags, any(w.tag.Id)) {
		t.Fatalf("PATCH should keep the old tag and add the new one: %s", body)
	}
	// Fields left out keep their value; an empty list clears the tags.
	status, out, body = w.apiAs(t, w.ann, "PATCH", path, `{"tags":[],"hide_their_moments":true}`)
	if status != http.StatusOK || out["remark"] != "Bobby" || out["starred"] != true || out["hide_their_moments"] != true {
		t.Fatalf("partial PATCH: %d %s", status, body)
	}
	if tags, _ := out["tags"].([]any); len(tags) != 0 {
		t.Fatalf("tags should be cleared: %s", body)
	}
	f, err := contacts.FriendOf(w.app, w.ann, w.bo.Id)
	if err != nil || f.Contact.Remark() != "Bobby" || !f.Contact.ChatOnly() || !f.Contact.HideTheirMoments() {
		t.Fatalf("not saved: %+v %v", f, err)
	}
	// Someone else's tag is dropped, as from a forged form.
	otherTag, _, err := w.svc.CreateTag(w.cy, "CyTag")
	if err != nil {
		t.Fatal(err)
	}
	if status, out, body = w.apiAs(t, w.ann, "PATCH", path, `{"tags":["`+otherTag.Id+`"]}`); status != http.StatusOK {
		t.Fatalf("PATCH with a foreign tag: %d %s", status, body)
	} else if tags, _ := out["tags"].([]any); len(tags) != 0 {
		t.Fatalf("a foreign tag was attached: %s", body)
	}

	// Not a friend: one answer for everyone, and nothing created.
	tagsBefore, _ := contacts.Tags(w.app, w.ann)
	_, _, nobody := w.apiAs(t, w.ann, "PATCH", "/api/plaza/contacts/nosuchmember123", `{"remark":"x","new_tag":"Leak"}`)
	for name, id := range map[string]string{"a stranger": w.cy.Id, "a pending requester": w.de.Id, "no one": "nosuchmember123"} {
		status, out, body := w.apiAs(t, w.ann, "PATCH", "/api/plaza/contacts/"+id, `{"remark":"x","new_tag":"Leak"}`)
		testapp.WantCode(t, "PATCH "+name, status, body, 404, "contacts.not_found", "", "")
		if body != nobody || strings.Contains(body, id) {
			t.Errorf("PATCH %s answers differently from no one: %s vs %s (%v)", name, body, nobody, out)
		}
		status, _, body = w.apiAs(t, w.ann, "DELETE", "/api/plaza/contacts/"+id, "")
		testapp.WantCode(t, "DELETE "+name, status, body, 404, "contacts.not_found", "", "")
	}
	if tagsAfter, _ := contacts.Tags(w.app, w.ann); len(tagsAfter) != len(tagsBefore) {
		t.Errorf("a PATCH on a non-friend created a tag: %v", tagsAfter)
	}

	// Bad input names the field; nothing is saved.
	cases := []struct{ name, body, field, fieldCode string }{
		{"a long remark", `{"remark":"` + strings.Repeat("r", 41) + `"}`, "remark", "profile.too_long"},
		{"a long new tag", `{"new_tag":"` + strings.Repeat("t", 21) + `"}`, "new_tag", "profile.too_long"},
		{"a blank new tag", `{"new_tag":"   "}`, "", ""},
		{"a string for a switch", `{"starred":"yes"}`, "starred", "request.invalid"},
		{"a string for the tags", `{"tags":"abc"}`, "tags", "request.invalid"},
		{"malformed JSON", `{"remark":`, "", ""},
	}
	for _, c := range cases {
		status, _, body := w.apiAs(t, w.ann, "PATCH", path, c.body)
		if c.name == "a blank new tag" { // blank means "no new tag", as on the form
			if status != http.StatusOK {
				t.Errorf("%s: %d %s", c.name, status, body)
			}
			continue
		}
		testapp.WantCode(t, c.name, status, body, 400, "request.invalid", c.field, c.fieldCode)
	}
	if f, _ := contacts.FriendOf(w.app, w.ann, w.bo.Id); f.Contact.Remark() != "Bobby" || !f.Contact.Starred() {
		t.Fatalf("a refused PATCH changed the contact: %q", f.Contact.Remark())
	}

	// A guest.
	for _, m := range []string{"PATCH", "DELETE"} {
		status, _, body := w.apiAs(t, nil, m, path, `{}`)
		testapp.WantCode(t, m+" by a guest", status, body, 401, "auth.required", "", "")
	}

	// A friend who blocked me is still mine to edit and delete (my entry).
	if err := w.svc.Block(w.bo, w.ann.Id); err != nil {
		t.Fatal(err)
	}
	if status, _, body := w.apiAs(t, w.ann, "PATCH", path, `{"remark":"Blocker"}`); status != http.StatusOK {
		t.Fatalf("PATCH a friend who blocked me: %d %s", status, body)
	}

	// Delete: both sides lose the friendship; again is 404.
	if status, _, body := w.apiAs(t, w.ann, "DELETE", path, ""); status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", status, body)
	}
	if ok, _ := contacts.AreFriends(w.app, w.ann.Id, w.bo.Id); ok {
		t.Fatal("still friends after DELETE")
	}
	status, _, body = w.apiAs(t, w.ann, "DELETE", path, "")
	testapp.WantCode(t, "DELETE again", status, body, 404, "contacts.not_found", "", "")
	status, _, body = w.apiAs(t, w.bo, "PATCH", "/api/plaza/contacts/"+w.ann.Id, `{}`)
	testapp.WantCode(t, "PATCH by the deleted side", status, body, 404, "contacts.not_found", "", "")
}

// TestContactsBlockAPI: POST/DELETE /api/plaza/contacts/{id}/block block
// and unblock any member the caller can see; a member hidden from them
// answers like no member at all.
func TestContactsBlockAPI(t *testing.T) {
	w := newWorld(t)
	hidden := testapp.CreateMember(t, w.app, "hidden_one")
	hidden.Set(contacts.FieldNoFindByID, true)
	if err := w.app.Save(hidden); err != nil {
		t.Fatal(err)
	}
	block := func(id string) string { return "/api/plaza/contacts/" + id + "/block" }

	// Cy is findable by Plaza ID: Ann may block her; twice is the same.
	for i := range 2 {
		if status, _, body := w.apiAs(t, w.ann, "POST", block(w.cy.Id), ""); status != http.StatusNoContent {
			t.Fatalf("block #%d: %d %s", i+1, status, body)
		}
	}
	if ok, _ := contacts.IsBlocked(w.app, w.ann.Id, w.cy.Id); !ok {
		t.Fatal("not blocked")
	}
	// Blocking a pending requester silences the request.
	if status, _, body := w.apiAs(t, w.ann, "POST", block(w.de.Id), ""); status != http.StatusNoContent {
		t.Fatalf("block a requester: %d %s", status, body)
	}
	if n, _ := w.svc.PendingCount(w.ann.Id); n != 0 {
		t.Errorf("the blocked member's request still counts: %d", n)
	}
	status, out, body := w.apiAs(t, w.ann, "GET", "/api/plaza/me/privacy", "")
	if blocked, _ := out["blocked"].([]any); status != 200 || len(blocked) != 2 || !strings.Contains(body, `"plaza_id":"cy_stranger"`) {
		t.Fatalf("the privacy answer should list both blocked members: %d %s", status, body)
	}

	// A member hidden from Ann, and no member: the same 404, no block made.
	_, _, nobody := w.apiAs(t, w.ann, "POST", block("nosuchmember123"), "")
	status, _, body = w.apiAs(t, w.ann, "POST", block(hidden.Id), "")
	testapp.WantCode(t, "blocking a hidden member", status, body, 404, "contacts.not_found", "", "")
	if body != nobody {
		t.Errorf("a hidden member answers differently from no one: %s vs %s", body, nobody)
	}
	if ok, _ := contacts.IsBlocked(w.app, w.ann.Id, hidden.Id); ok {
		t.Fatal("a hidden member was blocked")
	}
	status, _, body = w.apiAs(t, w.ann, "POST", block(w.ann.Id), "")
	testapp.WantCode(t, "blocking oneself", status, body, 400, "request.invalid", "", "")
	for _, m := range []string{"POST", "DELETE"} {
		status, _, body := w.apiAs(t, nil, m, block(w.cy.Id), "")
		testapp.WantCode(t, m+" block by a guest", status, body, 401, "auth.required", "", "")
	}

	// Unblock: 204, and the same for someone never blocked or no one.
	for _, id := range []string{w.cy.Id, w.cy.Id, hidden.Id, "nosuchmember123"} {
		if status, _, body := w.apiAs(t, w.ann, "DELETE", block(id), ""); status != http.StatusNoContent || body != "" {
			t.Fatalf("unblock %s: %d %s", id, status, body)
		}
	}
	if ok, _ := contacts.IsBlocked(w.app, w.ann.Id, w.cy.Id); ok {
		t.Fatal("still blocked")
	}
	// Cy's own unblock does not lift Ann's block on Dee.
	w.apiAs(t, w.cy, "DELETE", block(w.de.Id), "")
	if ok, _ := contacts.IsBlocked(w.app, w.ann.Id, w.de.Id); !ok {
		t.Fatal("another member's DELETE lifted Ann's block")
	}
}

// TestPrivacyAPI: GET/PATCH /api/plaza/me/privacy read and change the
// switches of the privacy page (SetPrivacy); left-out switches stay.
func TestPrivacyAPI(t *testing.T) {
	w := newWorld(t)
	status, out, body := w.apiAs(t, w.ann, "GET", "/api/plaza/me/privacy", "")
	want := map[string]bool{"find_by_id": true, "find_by_email": true, "find_by_qr": true, "find_by_group": true,
		"show_typing": true, "show_presence": true, "read_receipts": false}
	for k, v := range want {
		if out[k] != v {
			t.Errorf("GET privacy: %s = %v, want %v (%d %s)", k, out[k], v, status, body)
		}
	}
	if blocked, ok := out["blocked"].([]any); !ok || len(blocked) != 0 {
		t.Errorf("blocked should be an empty list: %s", body)
	}

	status, out, body = w.apiAs(t, w.ann, "PATCH", "/api/plaza/me/privacy", `{"find_by_id":false,"read_receipts":true}`)
	if status != http.StatusOK || out["find_by_id"] != false || out["read_receipts"] != true || out["find_by_email"] != true {
		t.Fatalf("PATCH privacy: %d %s", status, body)
	}
	// It takes effect: Cy can no longer find Ann by her Plaza ID.
	status, _, body = w.apiAs(t, w.cy, "GET", "/api/plaza/contacts/search?q=ann_lee", "")
	testapp.WantCode(t, "searching a member who turned find-by-ID off", status, body, 404, "contacts.not_found", "", "")

	status, _, body = w.apiAs(t, w.ann, "PATCH", "/api/plaza/me/privacy", `{"find_by_email":"no"}`)
	testapp.WantCode(t, "a string for a switch", status, body, 400, "request.invalid", "find_by_email", "request.invalid")
	status, _, body = w.apiAs(t, w.ann, "PATCH", "/api/plaza/me/privacy", `{"find_by_email":`)
	testapp.WantCode(t, "malformed JSON", status, body, 400, "request.invalid", "", "")
	if p := contacts.PrivacyOf(mustReload(t, w.app, w.ann)); !p.FindByEmail || p.FindByID || !p.ReadReceipts {
		t.Fatalf("a refused PATCH changed the switches: %+v", p)
	}
	for _, m := range []string{"GET", "PATCH"} {
		status, _, body := w.apiAs(t, nil, m, "/api/plaza/me/privacy", `{}`)
		testapp.WantCode(t, m+" privacy by a guest", status, body, 401, "auth.required", "", "")
	}
}

// TestEditFormNewTagOnlyForFriends: the card's form creates its new tag
// inside UpdateContact now, so a form posted for a non-friend creates none.
func TestEditFormNewTagOnlyForFriends(t *testing.T) {
	w := newWorld(t)
	if code, _ := w.do(t, w.ann, http.MethodPost, "/u/"+w.cy.Id+"/edit", "remark=x&new_tag=Leak"); code != http.StatusNotFound {
		t.Fatalf("the edit form for a stranger: %d", code)
	}
	if code, _ := w.do(t, w.ann, http.MethodPost, "/u/"+w.bo.Id+"/edit", "remark=Bo&new_tag=Friends"); code != http.StatusSeeOther && code != http.StatusFound {
		t.Fatalf("the edit form: %d", code)
	}
	tags, _ := contacts.Tags(w.app, w.ann)
	names := []string{}
	for _, tg := range tags {
		names = append(names, tg.Name)
	}
	if slices.Contains(names, "Leak") || !slices.Contains(names, "Friends") {
		t.Fatalf("tags after the forms: %v", names)
	}
}
