package mpweb_test

import (
	"net/url"
	"strings"
	"testing"

	"plaza/hooks/chat"
	"plaza/hooks/contacts"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/links"
	"plaza/hooks/miniprograms"
	"plaza/hooks/web"
)

// TestDirectoryShareCard: Bo shares an app into his chat with Cy (a
// friend without a chat yet) from the share page and back into the app;
// the card in Cy's chat opens it with scene card. The JSON share answers
// the message; a chat not Bo's and an app not live are refused.
func TestDirectoryShareCard(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Poll", "social", "Vote on things", true, nil)
	body := w.page(w.bo, "/mp/"+a.AppID+"/share?title="+url.QueryEscape("Vote now")+"&back=%2Fmp", 200)
	if !strings.Contains(body, `value="friend:`+w.cy.Id+`"`) || !strings.Contains(body, "mp-share-note") {
		t.Fatal("the share page lacks the friend or the app's note")
	}
	if rec := w.form(w.bo, "/mp/"+a.AppID+"/share", url.Values{"token": {"t1"}}); rec.Code != 400 {
		t.Fatalf("a share to nobody: %d", rec.Code)
	}
	loc := dirRedirects(t, "share", w.form(w.bo, "/mp/"+a.AppID+"/share",
		url.Values{"token": {"t1"}, "to": {"friend:" + w.cy.Id}, "back": {"/mp"}}), "/mp/"+a.AppID+"?scene=share")
	if !strings.Contains(loc, "back=%2Fmp") {
		t.Errorf("the way back is lost: %s", loc)
	}
	conv, err := chat.OpenDirect(w.app, w.bo.Id, w.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	chatPage := w.page(w.cy, "/chats/"+conv, 200)
	link := miniprograms.OpenPath(a.AppID, "card")
	if !strings.Contains(chatPage, `data-card-type="mp"`) || !strings.Contains(chatPage, `href="`+link+`"`) || !strings.Contains(chatPage, "Vote on things") {
		t.Fatalf("Cy's chat lacks the app's card: %.3000s", chatPage)
	}
	if launch := dirLaunch(t, w.page(w.cy, link, 200)); launch.Get("scene") != "card" || launch.Get("appid") != a.AppID {
		t.Errorf("the card's launch: %v", launch)
	}

	var msg struct {
		ID   string `json:"id"`
		Card struct{ Type, Ref, Link string }
	}
	w.api(w.bo, "POST", "/api/plaza/mp/apps/"+a.AppID+"/share", `{"conversation":"`+conv+`","client_id":"j1"}`, 200, &msg)
	if msg.Card.Type != miniprograms.CardApp || msg.Card.Ref != a.AppID || msg.Card.Link != link {
		t.Errorf("the JSON share's card: %+v", msg.Card)
	}
	w.api(w.eve, "POST", "/api/plaza/mp/apps/"+a.AppID+"/share", `{"conversation":"`+conv+`"}`, 404, nil)
	draft := w.makeApp("Draft", "social", "", false, nil)
	w.api(w.bo, "POST", "/api/plaza/mp/apps/"+draft.AppID+"/share", `{"conversation":"`+conv+`"}`, 404, nil)
}

// TestDirectoryScanLink: the code holds a signed link; Scan opens it, the
// link opens the app with scene scan; a tampered or unsigned link is 404.
func TestDirectoryScanLink(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Scanner", "tools", "", true, nil)
	if rec := w.get(w.bo, "/mp/"+a.AppID+"/qr.png"); rec.Code != 200 || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("qr.png: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	s, err := contacts.Signer(w.app)
	if err != nil {
		t.Fatal(err)
	}
	path, err := s.Path(links.Link{Kind: links.KindMiniProgram, Target: a.AppID})
	if err != nil {
		t.Fatal(err)
	}
	// The Scan page takes the code's contents to the link.
	dirRedirects(t, "scan", w.form(w.bo, "/scan", url.Values{"code": {web.SiteURL(w.app, path)}}), "/open/mp/"+a.AppID+"?")
	loc := dirRedirects(t, "open link", w.get(w.bo, path), miniprograms.OpenPath(a.AppID, "scan"))
	if launch := dirLaunch(t, w.page(w.bo, loc, 200)); launch.Get("scene") != "scan" {
		t.Errorf("scene: %v", launch)
	}
	w.page(w.bo, strings.Replace(path, "t=", "t=x", 1), 404)
	w.page(w.bo, "/open/mp/"+a.AppID, 404)
	other := w.makeApp("Other", "tools", "", true, nil)
	w.page(w.bo, strings.Replace(path, a.AppID, other.AppID, 1), 404)
	dirRedirects(t, "a visitor's link", w.get(nil, path), "/login?next=")
}

// TestDirectoryConsents: Settings → Mini Programs lists the apps that may
// see the member's profile; Remove (the page and JSON) takes it back.
func TestDirectoryConsents(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Profile Reader", "social", "", true, nil)
	b := w.makeApp("Other Reader", "social", "", true, nil)
	if body := w.page(w.bo, "/me/miniprograms", 200); !strings.Contains(body, "mp-permissions-empty") {
		t.Fatal("no empty state")
	}
	if body := w.page(w.bo, "/me/settings", 200); !strings.Contains(body, `href="/me/miniprograms"`) {
		t.Error("Settings does not lead to Mini Programs")
	}
	for _, app := range []miniprograms.App{a, b} {
		if err := w.mp.SetConsent(w.bo.Id, app, true); err != nil {
			t.Fatal(err)
		}
	}
	body := w.page(w.bo, "/me/miniprograms", 200)
	if !strings.Contains(body, `data-appid="`+a.AppID+`"`) || !strings.Contains(body, "data-confirm=") {
		t.Fatal("the permission is not listed with a confirmed Remove")
	}
	dirRedirects(t, "remove", w.form(w.bo, "/me/miniprograms/"+a.AppID+"/remove", url.Values{}), "/me/miniprograms")
	if ok, _ := w.mp.HasConsent(w.bo.Id, a); ok {
		t.Error("the consent stayed")
	}
	if rec := w.form(w.cy, "/me/miniprograms/"+b.AppID+"/remove", url.Values{}); rec.Code != 404 {
		t.Errorf("removing what one never allowed: %d", rec.Code)
	}
	var list struct{ Items []struct{ AppID string } }
	w.api(w.bo, "GET", "/api/plaza/mp/consents", "", 200, &list)
	if len(list.Items) != 1 || list.Items[0].AppID != b.AppID {
		t.Fatalf("consents: %+v", list.Items)
	}
	w.api(w.bo, "DELETE", "/api/plaza/mp/consents/"+b.AppID, "", 204, nil)
	w.api(w.bo, "DELETE", "/api/plaza/mp/consents/"+b.AppID, "", 404, nil)
}

// TestDirectoryErrorCodes: the directory's refusals docs/API.md lists, as
// a client sees them (status, code, the field's code).
func TestDirectoryErrorCodes(t *testing.T) {
	w := newDirWorld(t)
	a := w.makeApp("Codes", "tools", "", true, nil)
	app := "/api/plaza/mp/apps/" + a.AppID
	cases := []struct {
		name, method, path, body string
		status                   int
		code, field, fc          string
	}{
		{"a search too long", "GET", "/api/plaza/mp/search?q=" + strings.Repeat("x", 101), "", 400, "request.invalid", "q", "mp.dir_query_bad"},
		{"a category that is not", "GET", "/api/plaza/mp/search?category=toys", "", 400, "request.invalid", "category", "mp.category_bad"},
		{"a share to no chat", "POST", app + "/share", `{}`, 400, "request.invalid", "conversation", "mp.dir_share_pick_error"},
		{"a share's client id too long", "POST", app + "/share", `{"conversation":"x","client_id":"` + strings.Repeat("x", 41) + `"}`, 400, "request.invalid", "client_id", "request.invalid"},
		{"a share into a chat not mine", "POST", app + "/share", `{"conversation":"nosuchchat12345"}`, 404, "chat.not_found", "", ""},
		{"a report without a reason", "POST", app + "/report", `{}`, 400, "request.invalid", "reason", "chat.report_reason_required"},
		{"a report's note too long", "POST", app + "/report", `{"reason":"spam","note":"` + strings.Repeat("x", 501) + `"}`, 400, "request.invalid", "note", "profile.too_long"},
		{"no such app", "GET", "/api/plaza/mp/apps/mpnosuch", "", 404, "mp.not_found", "", ""},
		{"a permission never given", "DELETE", "/api/plaza/mp/consents/" + a.AppID, "", 404, "mp.not_found", "", ""},
	}
	for _, c := range cases {
		rec := w.api(w.bo, c.method, c.path, c.body, c.status, nil)
		testapp.WantCode(t, c.name, rec.Code, rec.Body.String(), c.status, c.code, c.field, c.fc)
	}
}
