package chat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// TestSecurityBlockCutsEveryDoor is the attacker's side of issue 10 #20:
// Ann blocks Bo (they stay listed as friends, as in WeChat). Bo then tries
// every door to Ann: a message, a reaction and a pat in their 1:1 chat, a
// pat in a group they share, a new group with Ann in it, an invitation of
// Ann into his group, Ann's contact card (sent or forwarded, by him or
// shown to him by a friend), typing, presence and read receipts. Every one
// is shut, and the block works both ways: Ann cannot pull Bo into a new
// group either. Moments will ask the same rule (contacts.Cut).
func TestSecurityBlockCutsEveryDoor(t *testing.T) {
	p := newPair(t) // Ann and Bo are friends; Cy is a stranger to both
	befriend(t, p.app, p.ann, p.cy)
	befriend(t, p.app, p.bo, p.cy)
	dee := testapp.CreateMember(t, p.app, "dee_doe")
	befriend(t, p.app, p.bo, dee)
	befriend(t, p.app, p.ann, dee)
	boCy, err := chat.OpenDirect(p.app, p.bo.Id, p.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	group, err := p.svc.CreateGroup(p.cy.Id, "Shared", []string{p.ann.Id, p.bo.Id})
	if err != nil {
		t.Fatal(err)
	}
	hello, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "before", Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	// Cy shares Ann's card with Bo while nobody has blocked anybody.
	annCard, err := p.svc.Send(p.cy.Id, boCy, chat.SendInput{ClientID: "card-before", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}})
	if err != nil {
		t.Fatal(err)
	}
	setFlag(t, p, p.bo, "read_receipts", true)

	base := serve(t, p)
	ann, _, err := dial(t, base, p.ann, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitOnline(t, p, p.ann.Id)

	if err := testapp.Services(t, p.app).Contacts.Block(p.ann, p.bo.Id); err != nil {
		t.Fatal(err)
	}

	refused := func(what string, err error) {
		t.Helper()
		if !isStatus(err, http.StatusForbidden) && !isStatus(err, http.StatusNotFound) && !isStatus(err, http.StatusBadRequest) {
			t.Errorf("%s: not refused (%v)", what, err)
		}
	}
	_, err = p.svc.Send(p.bo.Id, p.conv, chat.SendInput{ClientID: "after", Text: "are you there?"})
	refused("message in the 1:1 chat", err)
	_, err = p.svc.React(p.bo.Id, p.conv, hello.Message.ID, chat.Reactions[0])
	refused("reaction in the 1:1 chat", err)
	refused("pat in the 1:1 chat", p.svc.Pat(p.bo.Id, p.conv, p.ann.Id))
	refused("pat in a shared group", p.svc.Pat(p.bo.Id, group, p.ann.Id))
	_, err = p.svc.CreateGroup(p.bo.Id, "Trap", []string{p.ann.Id, p.cy.Id})
	refused("new group with the blocker", err)
	_, err = p.svc.CreateGroup(p.ann.Id, "Other way", []string{p.bo.Id, p.cy.Id})
	refused("new group of the blocker with the blocked", err)
	own, err := p.svc.CreateGroup(p.bo.Id, "Bo's", []string{p.cy.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	refused("invitation of the blocker", p.svc.Invite(p.bo.Id, own, []string{p.ann.Id}))
	_, err = p.svc.Send(p.bo.Id, boCy, chat.SendInput{ClientID: "card-b", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}})
	refused("the blocker's card sent by the blocked", err)
	_, err = p.svc.Send(p.cy.Id, boCy, chat.SendInput{ClientID: "card-c", Kind: chat.MsgCard, Card: &chat.CardRequest{Type: chat.CardContact, Ref: p.ann.Id}})
	refused("the blocker's card shown to the blocked", err)
	_, err = p.svc.Forward(p.bo.Id, chat.ForwardInput{From: boCy, Messages: []string{annCard.Message.ID}, To: []string{own}, Token: "fwd-card"})
	refused("the blocker's card forwarded by the blocked", err)
	if n, err := memberCount(p, own, p.ann.Id); err != nil || n != 0 {
		t.Errorf("Ann is in Bo's group (%d, %v)", n, err)
	}
	// Cy, who blocked no one, still pats Ann in the group.
	if err := p.svc.Pat(p.cy.Id, group, p.ann.Id); err != nil {
		t.Errorf("an unrelated pat was refused: %v", err)
	}

	// Signals: Bo comes online, types and reads; Ann hears none of it.
	bo, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}
	waitOnline(t, p, p.bo.Id)
	bo.send(chat.Frame{T: "typing", C: p.conv})
	bo.send(chat.Frame{T: "read", C: p.conv, Seq: hello.Message.Seq})
	bo.next("read")
	time.Sleep(200 * time.Millisecond)
	ann.send(chat.Frame{T: "ping"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, data, err := ann.conn.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for pong: %v", err)
		}
		var f chat.Frame
		_ = json.Unmarshal(data, &f)
		if (f.T == "presence" || f.T == "typing") && f.From == p.bo.Id || f.T == "seen" || f.T == "reactions" {
			t.Errorf("Ann heard %s from the member she blocked: %s", f.T, data)
		}
		if f.T == "pong" {
			break
		}
	}
	if got := p.svc.ReadBy(p.ann.Id, p.conv); got != 0 {
		t.Errorf("Ann sees how far Bo read: %d", got)
	}
	if online, seen := p.svc.PresenceFor(p.bo.Id, p.ann.Id); online || !seen.IsZero() {
		t.Errorf("Bo sees Ann's presence: %v %v", online, seen)
	}
}

func memberCount(p *pair, convID, memberID string) (int, error) {
	var n int
	err := p.app.DB().NewQuery("SELECT COUNT(*) FROM conversation_members WHERE conversation = {:c} AND member = {:m}").
		Bind(map[string]any{"c": convID, "m": memberID}).Row(&n)
	return n, err
}

// TestSecurityJoinLinksRevocable is the attacker's side of issue 10 #21:
// a member removed from a group keeps the join links they saw before and
// tries them; an outsider tries the link of a member who has since left,
// and a link made before the owner reset the group's code. All are
// "revoked"; a plain member cannot reset the code; links made afterwards
// work.
func TestSecurityJoinLinksRevocable(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	eve := testapp.CreateMember(t, p.app, "eve_outside")
	befriend(t, p.app, p.ann, dee)
	conv, err := p.svc.CreateGroup(p.ann.Id, "Book club", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	revoked := func(what string, err error) {
		t.Helper()
		if !isStatus(err, http.StatusBadRequest) || problemKey(err) != "scan.revoked" {
			t.Errorf("%s: %v, want 400 scan.revoked", what, err)
		}
	}
	link := func(m string) string {
		t.Helper()
		l, _, err := p.svc.GroupLink(m, conv)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	defer p.svc.SetClock(time.Now)
	clock := time.Now()
	p.svc.SetClock(func() time.Time { return clock })
	tick := func() { clock = clock.Add(2 * time.Second) }

	// Removal: Cy joins, saves Ann's and Bo's links, is removed.
	annLink, boLink := link(p.ann.Id), link(p.bo.Id)
	if _, err := p.svc.Join(p.cy.Id, annLink); err != nil {
		t.Fatal(err)
	}
	tick()
	if err := p.svc.Remove(p.ann.Id, conv, p.cy.Id); err != nil {
		t.Fatal(err)
	}
	_, err = p.svc.Join(p.cy.Id, annLink)
	revoked("removed member with the owner's old link", err)
	_, err = p.svc.Join(p.cy.Id, boLink)
	revoked("removed member with another member's old link", err)
	h := testapp.Handler(t, p.app)
	res := testapp.Do(h, http.MethodPost, "/join/"+conv, url.Values{"proof": {boLink}}.Encode(), map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)})
	if res.Code != http.StatusBadRequest {
		t.Errorf("removed member through the join form: %d", res.Code)
	}
	if n, _ := memberCount(p, conv, p.cy.Id); n != 0 {
		t.Fatal("the removed member is back in the group")
	}

	// The sharer leaves: their links die with their membership.
	tick()
	boLink = link(p.bo.Id)
	if err := p.svc.Leave(p.bo.Id, conv); err != nil {
		t.Fatal(err)
	}
	_, err = p.svc.Join(eve.Id, boLink)
	revoked("a link of a member who left", err)

	// Reset: a plain member may not; the owner may, and older links die.
	deeLink := link(dee.Id)
	res = testapp.Do(h, http.MethodPost, "/api/plaza/chats/"+conv+"/join-code/reset", "", map[string]string{"Authorization": testapp.Token(t, dee)})
	if res.Code != http.StatusForbidden {
		t.Errorf("a plain member reset the code: %d %s", res.Code, res.Body)
	}
	res = testapp.Do(h, http.MethodPost, "/chats/"+conv+"/join-code/reset", "x=1", map[string]string{"Cookie": testapp.SessionCookie(t, dee)})
	if res.Code != http.StatusForbidden {
		t.Errorf("a plain member reset the code through the form: %d", res.Code)
	}
	if _, err := p.svc.Join(eve.Id, deeLink); err != nil {
		t.Fatalf("a current link before any reset: %v", err)
	}
	if err := p.svc.Remove(p.ann.Id, conv, eve.Id); err != nil {
		t.Fatal(err)
	}
	tick()
	annLink = link(p.ann.Id)
	res = testapp.Do(h, http.MethodPost, "/chats/"+conv+"/join-code/reset", "x=1", map[string]string{"Cookie": testapp.SessionCookie(t, p.ann)})
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "Group QR code reset") {
		t.Errorf("owner's reset: %d", res.Code)
	}
	_, err = p.svc.Join(p.cy.Id, annLink)
	revoked("a link made before the reset", err)
	res = testapp.Do(h, http.MethodGet, annLink, "", map[string]string{"Cookie": testapp.SessionCookie(t, p.cy)})
	if res.Code != http.StatusBadRequest {
		t.Errorf("the join page of a reset link: %d", res.Code)
	}

	// Links made afterwards work, for the removed member too (invited anew).
	tick()
	res = testapp.Do(h, http.MethodGet, "/api/plaza/chats/"+conv+"/join-link", "", map[string]string{"Authorization": testapp.Token(t, p.ann)})
	var body struct{ Link string }
	if res.Code != http.StatusOK || json.Unmarshal(res.Body.Bytes(), &body) != nil || body.Link == "" {
		t.Fatalf("join link over the API: %d %s", res.Code, res.Body)
	}
	if got, err := p.svc.Join(p.cy.Id, body.Link); err != nil || got != conv {
		t.Fatalf("a new link after the reset: %v", err)
	}
}

func problemKey(err error) string {
	if p, ok := problem.As(err); ok {
		return p.Key
	}
	return ""
}

// TestSecuritySignOutRevokesSessionsAndTickets is the attacker's side of
// issue 10 #23: Mallory copied Ann's session cookie and her API token, and
// holds socket tickets of her sessions. After Ann signs out (one session),
// the copied cookie no longer authenticates (page, JSON, socket), nor does
// a signed-out API token, and tickets issued before either sign-out (or
// before "sign out everywhere") do not open a socket.
func TestSecuritySignOutRevokesSessionsAndTickets(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string, hdr map[string]string) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	signIn := func() string {
		t.Helper()
		form := url.Values{"identity": {"ann_lee"}, "password": {testapp.DefaultPassword}}
		req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for _, c := range res.Cookies() {
			if c.Name == "plaza_session" && c.Value != "" {
				return c.String()
			}
		}
		t.Fatalf("sign-in set no session cookie (%d)", res.StatusCode)
		return ""
	}
	ticket := func(hdr map[string]string) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/api/plaza/ws-ticket", nil)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		res, err := client.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("ticket: %v %v", err, res)
		}
		defer res.Body.Close()
		var body struct{ Ticket string }
		_ = json.NewDecoder(res.Body).Decode(&body)
		return body.Ticket
	}
	opens := func(tk string) bool {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws?ticket="+tk, nil)
		if err != nil {
			return false
		}
		c.CloseNow()
		return true
	}

	// One web session: Mallory copies the cookie; a ticket is taken.
	cookie := signIn()
	other := signIn() // Ann's second device stays signed in
	copied := map[string]string{"Cookie": cookie}
	if got := do(http.MethodGet, "/api/plaza/chats", copied); got != http.StatusOK {
		t.Fatalf("the session works before sign-out: %d", got)
	}
	early := ticket(copied)
	if got := do(http.MethodPost, "/logout", copied); got != http.StatusSeeOther && got != http.StatusFound {
		t.Fatalf("sign-out: %d", got)
	}
	if got := do(http.MethodGet, "/api/plaza/chats", copied); got != http.StatusUnauthorized {
		t.Errorf("a copied cookie works after sign-out: %d", got)
	}
	if got := do(http.MethodGet, "/me", copied); got == http.StatusOK {
		t.Errorf("a copied cookie opens pages after sign-out: %d", got)
	}
	if opens(early) {
		t.Error("a ticket of a signed-out session opened a socket")
	}
	if _, res, err := dial(t, base, nil, http.Header{"Cookie": {cookie}}); err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
		t.Error("a copied cookie opened a socket after sign-out")
	}
	if got := do(http.MethodGet, "/api/plaza/chats", map[string]string{"Cookie": other}); got != http.StatusOK {
		t.Errorf("signing out of one session ended another: %d", got)
	}

	// An API token (PocketBase's, without a session id) signed out through
	// POST /api/plaza/logout.
	token := map[string]string{"Authorization": testapp.Token(t, p.ann)}
	apiTicket := ticket(token)
	if got := do(http.MethodPost, "/api/plaza/logout", token); got != http.StatusNoContent {
		t.Fatalf("API sign-out: %d", got)
	}
	if got := do(http.MethodGet, "/api/plaza/chats", token); got != http.StatusUnauthorized {
		t.Errorf("a signed-out API token still works: %d", got)
	}
	if opens(apiTicket) {
		t.Error("a ticket of a signed-out API token opened a socket")
	}

	// Sign out everywhere: tickets of every session issued before it die.
	before := ticket(map[string]string{"Cookie": other})
	third := signIn()
	if got := do(http.MethodPost, "/logout/all", map[string]string{"Cookie": third}); got != http.StatusSeeOther && got != http.StatusFound {
		t.Fatalf("sign out everywhere: %d", got)
	}
	if opens(before) {
		t.Error("a ticket issued before sign-out-everywhere opened a socket")
	}
	// A fresh session still gets a working ticket (the control).
	if !opens(ticket(map[string]string{"Cookie": signIn()})) {
		t.Error("a fresh ticket did not open a socket")
	}
}

// TestSecurityBadInputIsA400 is the attacker's side of issue 10 #24: a NUL
// byte in every search variant (pages and JSON), and a group alias over the
// limit, answer 400 naming what is wrong, never 500.
func TestSecurityBadInputIsA400(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	group, err := p.svc.CreateGroup(p.ann.Id, "Book club", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "x", Text: "hello there https://example.test/a"}); err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, p.app)
	cookie := map[string]string{"Cookie": testapp.SessionCookie(t, p.ann)}
	token := map[string]string{"Authorization": testapp.Token(t, p.ann)}
	for _, q := range []string{"\x00", "he\x00llo", "a\x00", "hello\x00there"} {
		for _, path := range []string{
			"/chats/search?q=", "/chats/search?kind=files&q=", "/chats/search?kind=links&q=", "/chats/search?kind=images&q=",
			"/chats/search?c=" + p.conv + "&q=", "/chats/search?c=" + p.conv + "&kind=files&q=",
			"/contacts/search?q=", "/api/plaza/contacts/search?q=",
		} {
			hdr := cookie
			if strings.HasPrefix(path, "/api/") {
				hdr = token
			}
			res := testapp.Do(h, http.MethodGet, path+url.QueryEscape(q), "", hdr)
			if res.Code != http.StatusBadRequest {
				t.Errorf("GET %s%q: %d, want 400", path, q, res.Code)
			}
		}
	}
	long := strings.Repeat("名", chat.AliasMax+1)
	res := testapp.Do(h, http.MethodPost, "/chats/"+group+"/prefs", url.Values{"alias": {long}}.Encode(), cookie)
	if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "40") {
		t.Errorf("an alias of %d characters: %d, want 400 naming 40", chat.AliasMax+1, res.Code)
	}
	if err := p.svc.SetAlias(p.ann.Id, group, long); !isStatus(err, http.StatusBadRequest) {
		t.Errorf("SetAlias over the limit: %v", err)
	}
	// JSON and socket paths, which no form check sees.
	if _, err := chat.Search(p.app, p.ann.Id, "", "he\x00llo", chat.SearchText); !isStatus(err, http.StatusBadRequest) {
		t.Errorf("Search with a NUL: %v", err)
	}
	if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: "nul", Text: "a\x00b"}); !isStatus(err, http.StatusBadRequest) {
		t.Errorf("a message with a NUL: %v", err)
	}
	for _, bad := range []string{"a\x00b"} {
		res := testapp.Do(h, http.MethodPost, "/chats/"+group+"/prefs", url.Values{"alias": {bad}}.Encode(), cookie)
		if res.Code != http.StatusBadRequest {
			t.Errorf("an alias with a NUL: %d, want 400", res.Code)
		}
	}
}

// TestSecurityUploadsServeNoScripts is the attacker's side of issue 10 #25
// for chat files: a script and a page sent as files are stored under the
// extension of what their bytes are and served as nothing a browser runs,
// with nosniff and private caching; a picture named .js is a .png.
func TestSecurityUploadsServeNoScripts(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	get := func(mid string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+"/media/"+mid, nil)
		req.Header.Set("Cookie", testapp.SessionCookie(t, p.bo))
		res, err := http.DefaultClient.Do(req) // follows the redirect to /api/files/…
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	cases := []struct {
		name, data, storedExt string
	}{
		{"evil.js", "alert(document.cookie);//", ".txt"},
		{"page.html", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", ".html"},
		{"pic.js", string(pngBytes(t, 40, 30)), ".png"},
	}
	for i, c := range cases {
		up := upload(t, base, p.ann, p.conv, fmt.Sprint("up-", i), c.name, []byte(c.data))
		if up.Status != http.StatusOK || up.M == nil || up.M.Media == nil {
			t.Fatalf("%s: upload %d %+v", c.name, up.Status, up)
		}
		rec, err := p.app.FindRecordById(chat.MediaCollection, up.M.Media.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored := rec.GetString("file"); !strings.HasSuffix(stored, c.storedExt) {
			t.Errorf("%s stored as %q, want the extension %s", c.name, stored, c.storedExt)
		}
		res := get(up.M.Media.ID)
		ct := res.Header.Get("Content-Type")
		if res.StatusCode != http.StatusOK || strings.Contains(ct, "javascript") || strings.Contains(ct, "html") {
			t.Errorf("%s served %d as %q", c.name, res.StatusCode, ct)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s served without nosniff", c.name)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("%s (protected) served with Cache-Control %q", c.name, cc)
		}
	}
}

// TestSecurityThumbnailsQueue: a burst of thumbnail requests for big
// pictures (each decode takes a large share of memory) runs at most
// web.ThumbWorkers at a time; every request is still answered.
func TestSecurityThumbnailsQueue(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	big := pngBytes(t, 6000, 4000)
	var mids []string
	for i := range 6 {
		up := upload(t, base, p.ann, p.conv, fmt.Sprint("big-", i), "big.png", big)
		if up.Status != http.StatusOK || up.M == nil {
			t.Fatalf("upload %d: %d", i, up.Status)
		}
		mids = append(mids, up.M.Media.ID)
	}
	_, before := web.ThumbStats()
	var wg sync.WaitGroup
	codes := make([]int, len(mids))
	for i, mid := range mids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, base+"/media/"+mid+"?thumb=1", nil)
			req.Header.Set("Cookie", testapp.SessionCookie(t, p.bo))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("thumbnail %d: %d", i, c)
		}
	}
	now, peak := web.ThumbStats()
	if peak > web.ThumbWorkers || now != 0 {
		t.Errorf("thumbnails ran %d at once (bound %d), %d still running", peak, web.ThumbWorkers, now)
	}
	if peak < 1 || peak < before {
		t.Errorf("no thumbnail went through the bound (peak %d)", peak)
	}
}

// TestSecurityNamesAreNotTemplates: a member named like a placeholder is
// shown as written in system notices, not replaced by another argument.
func TestSecurityNamesAreNotTemplates(t *testing.T) {
	p := newPair(t)
	dee := testapp.CreateMember(t, p.app, "dee_friend")
	befriend(t, p.app, p.ann, dee)
	group, err := p.svc.CreateGroup(p.ann.Id, "Names", []string{p.bo.Id, dee.Id})
	if err != nil {
		t.Fatal(err)
	}
	ann, _ := p.app.FindRecordById("users", p.ann.Id)
	ann.Set("name", "%{target}")
	if err := p.app.Save(ann); err != nil {
		t.Fatal(err)
	}
	if err := p.svc.Pat(p.ann.Id, group, p.bo.Id); err != nil {
		t.Fatal(err)
	}
	res := testapp.Do(testapp.Handler(t, p.app), http.MethodGet, "/chats/"+group, "", map[string]string{"Cookie": testapp.SessionCookie(t, dee)})
	body := res.Body.String()
	if res.Code != http.StatusOK || !strings.Contains(body, "%{target} patted") {
		i := strings.Index(body, "patted")
		t.Errorf("the pat notice does not show the name as written (%d): %q", res.Code, body[max(0, i-60):max(0, i)+40])
	}
}
