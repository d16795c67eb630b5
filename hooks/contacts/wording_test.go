package contacts_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// TestSendingARequestLandsOnAPage: the request form posts, then the
// browser is sent (303) to the card, which says the request was sent; the
// form's own address, /contacts/requests, is a page too (New Friends), so
// a reload or Back never meets a 404.
func TestSendingARequestLandsOnAPage(t *testing.T) {
	w := newWorld(t)
	h := testapp.Handler(t, w.app)
	hdr := map[string]string{"Cookie": testapp.SessionCookie(t, w.cy)}
	res := testapp.Do(h, http.MethodPost, "/contacts/requests", "to=ann_lee&source=id&greeting=hello", hdr)
	if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/u/"+w.ann.Id+"?sent=1" {
		t.Fatalf("sending a request: %d to %q", res.Code, res.Header().Get("Location"))
	}
	res = testapp.Do(h, http.MethodGet, res.Header().Get("Location"), "", hdr)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Friend request sent.") {
		t.Fatalf("the card after sending: %d\n%s", res.Code, res.Body.String())
	}
	res = testapp.Do(h, http.MethodGet, "/contacts/requests", "", hdr)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `data-plaza-id="ann_lee"`) {
		t.Fatalf("GET /contacts/requests: %d", res.Code)
	}
	// ?sent=1 says nothing about a request that was not sent.
	if code, body := w.do(t, w.bo, http.MethodGet, "/u/"+w.ann.Id+"?sent=1", ""); code != http.StatusOK || strings.Contains(body, "Friend request sent.") {
		t.Fatalf("a friend's card with ?sent=1: %d", code)
	}
}

// TestCountsArePlural: "1 friend", "2 friends" (the contacts list and the
// tags), in English; Chinese has one form.
func TestCountsArePlural(t *testing.T) {
	w := newWorld(t) // Ann has one friend, Bo, in one tag
	check := func(lang, path string, want, not string) {
		t.Helper()
		w.ann.Set("language", lang)
		if err := w.app.Save(w.ann); err != nil {
			t.Fatal(err)
		}
		code, body := w.do(t, w.ann, http.MethodGet, path, "")
		if code != http.StatusOK || !strings.Contains(body, want) || (not != "" && strings.Contains(body, not)) {
			t.Errorf("%s %s: want %q, not %q (%d)", lang, path, want, not, code)
		}
	}
	check("en", "/contacts", ">1 friend<", "1 friends")
	check("en", "/contacts/tags", ">1 friend<", "1 friends")
	check("zh", "/contacts", ">1 位朋友<", "")
	if _, err := w.svc.Accept(w.ann, w.request.Id, contacts.AcceptInput{}); err != nil {
		t.Fatal(err)
	}
	check("en", "/contacts", ">2 friends<", "")
	check("zh", "/contacts", ">2 位朋友<", "")
}

// TestAddFriendPageWithoutQuery: the Chats "+" menu's Add friend opens
// /contacts/search with nothing typed yet: the search, not an error (the
// crawl found it answering 400).
func TestAddFriendPageWithoutQuery(t *testing.T) {
	w := newWorld(t)
	code, body := w.do(t, w.ann, http.MethodGet, "/contacts/search", "")
	if code != http.StatusOK || !strings.Contains(body, `data-testid="contacts-search"`) || !strings.Contains(body, "Type a Plaza ID or an email address.") {
		t.Fatalf("GET /contacts/search: %d", code)
	}
}
