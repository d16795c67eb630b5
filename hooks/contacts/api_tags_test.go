package contacts_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// TestTagsAPI: the tag manager over JSON, through the operations its forms
// use; someone else's tag answers like no tag.
func TestTagsAPI(t *testing.T) {
	w := newWorld(t)
	tagPath := "/api/plaza/tags/" + w.tag.Id

	status, out, body := w.apiAs(t, w.ann, "GET", "/api/plaza/tags", "")
	if items, _ := out["items"].([]any); status != 200 || len(items) != 1 || !strings.Contains(body, `"name":"SecretTag","count":1`) {
		t.Fatalf("GET tags: %d %s", status, body)
	}
	status, out, body = w.apiAs(t, w.ann, "GET", tagPath, "")
	if status != 200 || out["name"] != "SecretTag" || !strings.Contains(body, `"plaza_id":"bo_wang"`) {
		t.Fatalf("GET tag: %d %s", status, body)
	}

	status, out, body = w.apiAs(t, w.ann, "POST", "/api/plaza/tags", `{"name":" Family "}`)
	newID, _ := out["id"].(string)
	if status != http.StatusCreated || out["name"] != "Family" || out["count"] != float64(0) || newID == "" {
		t.Fatalf("POST tag: %d %s", status, body)
	}
	// The same name again: the existing tag, 200.
	if status, out, body = w.apiAs(t, w.ann, "POST", "/api/plaza/tags", `{"name":"Family"}`); status != 200 || out["id"] != newID {
		t.Fatalf("POST the same name: %d %s", status, body)
	}
	if status, out, body = w.apiAs(t, w.ann, "PATCH", "/api/plaza/tags/"+newID, `{"name":"Kin"}`); status != 200 || out["name"] != "Kin" {
		t.Fatalf("PATCH tag: %d %s", status, body)
	}

	// Refusals.
	status, _, body = w.apiAs(t, w.ann, "PATCH", "/api/plaza/tags/"+newID, `{"name":"SecretTag"}`)
	testapp.WantCode(t, "renaming onto another tag's name", status, body, 409, "contacts.tag_exists", "", "")
	for name, c := range map[string]struct{ method, path, body, field, fc string }{
		"a blank name":   {"POST", "/api/plaza/tags", `{"name":"  "}`, "name", "contacts.tag_name_required"},
		"a long name":    {"POST", "/api/plaza/tags", `{"name":"` + strings.Repeat("n", 21) + `"}`, "name", "profile.too_long"},
		"a number":       {"POST", "/api/plaza/tags", `{"name":5}`, "name", "request.invalid"},
		"malformed JSON": {"PATCH", tagPath, `{"name":`, "", ""},
		"a blank rename": {"PATCH", tagPath, `{"name":""}`, "name", "contacts.tag_name_required"},
	} {
		status, _, body := w.apiAs(t, w.ann, c.method, c.path, c.body)
		testapp.WantCode(t, name, status, body, 400, "request.invalid", c.field, c.fc)
	}
	// Cy cannot see, rename or delete Ann's tag: the same 404 as no tag.
	_, _, nobody := w.apiAs(t, w.cy, "GET", "/api/plaza/tags/nosuchtag12345", "")
	for _, m := range []string{"GET", "PATCH", "DELETE"} {
		status, _, body := w.apiAs(t, w.cy, m, tagPath, `{"name":"Hijacked"}`)
		testapp.WantCode(t, m+" someone else's tag", status, body, 404, "contacts.not_found", "", "")
		if m == "GET" && body != nobody {
			t.Errorf("someone else's tag answers differently from no tag: %s vs %s", body, nobody)
		}
	}
	if tag, _ := w.app.FindRecordById(contacts.TagsCollection, w.tag.Id); tag == nil || tag.GetString("name") != "SecretTag" {
		t.Fatal("Cy changed Ann's tag")
	}
	for _, m := range []string{"GET", "POST"} {
		status, _, body := w.apiAs(t, nil, m, "/api/plaza/tags", `{"name":"x"}`)
		testapp.WantCode(t, m+" tags by a guest", status, body, 401, "auth.required", "", "")
	}

	// Delete: Bo loses the tag; again is 404.
	if status, _, body := w.apiAs(t, w.ann, "DELETE", tagPath, ""); status != http.StatusNoContent {
		t.Fatalf("DELETE tag: %d %s", status, body)
	}
	if f, _ := contacts.FriendOf(w.app, w.ann, w.bo.Id); len(f.Contact.TagIDs()) != 0 {
		t.Fatalf("Bo still carries the deleted tag: %v", f.Contact.TagIDs())
	}
	status, _, body = w.apiAs(t, w.ann, "DELETE", tagPath, "")
	testapp.WantCode(t, "DELETE again", status, body, 404, "contacts.not_found", "", "")
}

// TestAddLinkAPI: GET /api/plaza/me/qr-link is the link My QR code shows;
// a request with it as proof is a QR request; after a reset the old link
// is refused.
func TestAddLinkAPI(t *testing.T) {
	w := newWorld(t)
	status, out, body := w.apiAs(t, w.cy, "GET", "/api/plaza/me/qr-link", "")
	link, _ := out["link"].(string)
	if u, _ := out["url"].(string); status != 200 || !strings.HasPrefix(link, "/add/cy_stranger?") || !strings.HasSuffix(u, link) {
		t.Fatalf("GET qr-link: %d %s", status, body)
	}
	if want, err := contacts.AddLink(w.app, w.cy); err != nil || want != link {
		t.Fatalf("the API link %q differs from My QR code's %q (%v)", link, want, err)
	}
	if m, err := w.svc.VerifyAddLink(link); err != nil || m.Id != w.cy.Id {
		t.Fatalf("the link does not verify: %v", err)
	}

	if status, _, body := w.apiAs(t, w.cy, "POST", "/api/plaza/me/qr-link/reset", ""); status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", status, body)
	}
	if _, err := w.svc.VerifyAddLink(link); err == nil {
		t.Fatal("the old link still verifies after a reset")
	}
	status, _, body = w.apiAs(t, w.bo, "POST", "/api/plaza/contacts/requests", `{"plaza_id":"cy_stranger","proof":"`+link+`"}`)
	testapp.WantCode(t, "a request with a reset link", status, body, 400, "scan.revoked", "", "")
	_, out, _ = w.apiAs(t, w.cy, "GET", "/api/plaza/me/qr-link", "")
	if fresh, _ := out["link"].(string); fresh == link {
		t.Fatal("the link did not change")
	} else if status, _, body := w.apiAs(t, w.bo, "POST", "/api/plaza/contacts/requests", `{"plaza_id":"cy_stranger","proof":"`+fresh+`"}`); status != 200 {
		t.Fatalf("a request with the new link: %d %s", status, body)
	}
	for _, c := range []struct{ m, p string }{{"GET", "/api/plaza/me/qr-link"}, {"POST", "/api/plaza/me/qr-link/reset"}} {
		status, _, body := w.apiAs(t, nil, c.m, c.p, "")
		testapp.WantCode(t, c.m+" "+c.p+" by a guest", status, body, 401, "auth.required", "", "")
	}
}
