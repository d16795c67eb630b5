package contacts_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/pocketbase/dbx"

	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
)

// nonces strips what differs between any two renders (CSP nonces, asset
// hashes do not), so two pages can be compared byte for byte.
var nonces = regexp.MustCompile(`nonce="[^"]*"`)

// TestSecurityFriendRequestsCannotProbeMembers is the attacker's side of
// issue 10 #22. Cy probes Ann, who hides from Plaza ID search:
//   - a friend request to her Plaza ID answers exactly as one to a Plaza ID
//     of no one (status and body, page and JSON);
//   - claiming another source ("email", "qr") without its proof does not
//     get past her switches: the server decides the source;
//   - blocking her first does not open her card.
func TestSecurityFriendRequestsCannotProbeMembers(t *testing.T) {
	w := newWorld(t)
	// Ann: hidden from ID search, findable by email.
	if err := w.svc.SetPrivacy(w.ann, contacts.Privacy{FindByEmail: true, FindByQR: true}); err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, w.app)
	page := func(to, source string) (int, string) {
		form := url.Values{"to": {to}, "source": {source}, "greeting": {"hi"}}
		return w.do(t, w.cy, http.MethodPost, "/contacts/requests", form.Encode())
	}
	api := func(body string) (int, string) {
		res := testapp.Do(h, http.MethodPost, "/api/plaza/contacts/requests", body,
			map[string]string{"Authorization": testapp.Token(t, w.cy), "Content-Type": "application/json"})
		return res.Code, res.Body.String()
	}
	for _, source := range []string{"id", "email", "qr", "group", ""} {
		hs, hb := page("ann_lee", source)
		ns, nb := page("nobody_lee", source)
		if hs != ns || nonces.ReplaceAllString(hb, "") != nonces.ReplaceAllString(nb, "") {
			t.Errorf("page, source %q: hidden member %d, no one %d; bodies differ: %v", source, hs, ns, hb != nb)
		}
		if hs != http.StatusNotFound {
			t.Errorf("page, source %q: %d, want 404", source, hs)
		}
		hs, hb = api(`{"plaza_id":"ann_lee","source":"` + source + `"}`)
		ns, nb = api(`{"plaza_id":"nobody_lee","source":"` + source + `"}`)
		if hs != ns || hb != nb || hs != http.StatusNotFound {
			t.Errorf("API, source %q: hidden member %d %s, no one %d %s", source, hs, hb, ns, nb)
		}
	}
	// A wrong address is no proof either.
	if s, b := api(`{"plaza_id":"ann_lee","email":"someone@example.test"}`); s != http.StatusNotFound {
		t.Errorf("a wrong email as proof: %d %s", s, b)
	}
	if n := countRequests(t, w, w.cy.Id, w.ann.Id); n != 0 {
		t.Fatalf("%d requests reached the hidden member", n)
	}
	// With the address she can be found by, the request goes through and
	// its source is what the server saw.
	if s, b := api(`{"plaza_id":"ann_lee","source":"qr","email":"` + w.ann.Email() + `"}`); s != http.StatusOK {
		t.Fatalf("request by email: %d %s", s, b)
	}
	if src := requestSource(t, w, w.cy.Id, w.ann.Id); src != contacts.SourceEmail {
		t.Errorf("stored source %q, want email", src)
	}
	// Bo is findable by ID: a client claiming "qr" without a link is
	// recorded as what it was, an ID search.
	if s, b := api(`{"plaza_id":"bo_wang","source":"qr"}`); s != http.StatusOK {
		t.Fatalf("request to Bo: %d %s", s, b)
	}
	if src := requestSource(t, w, w.cy.Id, w.bo.Id); src != contacts.SourceID {
		t.Errorf("stored source %q for a claimed qr without proof, want id", src)
	}

	// Blocking does not open a card: Dee, a stranger to Ann's hidden ID
	// (her request to Ann is pending, so she may), and Cy, who has none.
	if err := w.svc.SetPrivacy(w.ann, contacts.Privacy{}); err != nil {
		t.Fatal(err)
	}
	stranger := testapp.CreateMember(t, w.app, "eve_stranger")
	if code, _ := w.do(t, stranger, http.MethodPost, "/u/"+w.ann.Id+"/block", ""); code != http.StatusNotFound {
		t.Errorf("blocking a hidden stranger: %d, want 404", code)
	}
	if code, body := w.do(t, stranger, http.MethodGet, "/u/"+w.ann.Id, ""); code != http.StatusNotFound || regexp.MustCompile(`person-card`).MatchString(body) {
		t.Errorf("a stranger opened the hidden member's card after blocking: %d", code)
	}
	if blocked, _ := contacts.IsBlocked(w.app, stranger.Id, w.ann.Id); blocked {
		t.Error("the block of an unseen member was stored")
	}
	// Someone who knows her (a pending request) may still block her.
	if code, _ := w.do(t, w.de, http.MethodPost, "/u/"+w.ann.Id+"/block", ""); code != http.StatusSeeOther && code != http.StatusFound {
		t.Errorf("blocking someone I asked: %d", code)
	}
}

// TestBlockAMemberOfMyGroup: a member hidden from ID search, with no
// friendship or request with me, may still be blocked once we share a group
// (their card opens to me there: the registry's CardReachable, which chat
// answers). A stranger outside the group still may not.
func TestBlockAMemberOfMyGroup(t *testing.T) {
	w := newWorld(t)
	hidden := testapp.CreateMember(t, w.app, "hidden_singer")
	testapp.Befriend(t, w.app, w.ann, hidden)
	if err := w.svc.SetPrivacy(hidden, contacts.Privacy{}); err != nil {
		t.Fatal(err)
	}
	outsider := testapp.CreateMember(t, w.app, "outside_eve")
	if err := w.svc.Block(outsider, hidden.Id); err == nil {
		t.Fatal("a stranger blocked a member hidden from them")
	}
	if _, err := testapp.Services(t, w.app).Chat.CreateGroup(w.ann.Id, "Choir", []string{w.bo.Id, hidden.Id}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Block(w.bo, hidden.Id); err != nil {
		t.Fatalf("blocking a member of my group: %v", err)
	}
	if blocked, _ := contacts.IsBlocked(w.app, w.bo.Id, hidden.Id); !blocked {
		t.Fatal("the block was not stored")
	}
	if err := w.svc.Block(outsider, hidden.Id); err == nil {
		t.Fatal("a stranger outside the group blocked a member hidden from them")
	}
}

func countRequests(t *testing.T, w *world, from, to string) int {
	t.Helper()
	var n int
	if err := w.app.DB().NewQuery("SELECT COUNT(*) FROM friend_requests WHERE `from` = {:f} AND `to` = {:t}").
		Bind(dbx.Params{"f": from, "t": to}).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func requestSource(t *testing.T, w *world, from, to string) string {
	t.Helper()
	var s string
	if err := w.app.DB().NewQuery("SELECT source FROM friend_requests WHERE `from` = {:f} AND `to` = {:t}").
		Bind(dbx.Params{"f": from, "t": to}).Row(&s); err != nil {
		t.Fatal(err)
	}
	return s
}
