package oaweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"plaza/hooks/oa"
)

// TestOAConsoleRefusesWhoDoesNotRunIt: every console page is a 404 to a
// member who does not run the account (and its forms change nothing); the
// team page is the owner's alone; a visitor is sent to sign in.
func TestOAConsoleRefusesWhoDoesNotRunIt(t *testing.T) {
	s := newSite(t)
	c := "/oa/news/console"
	edit := c + "/a/" + s.art.ID
	pages := []string{c, c + "/write", edit, edit + "/comments", c + "/replies", c + "/menu", c + "/stats", c + "/team"}
	for _, p := range pages {
		s.page(s.dee, p, 404)
		if p != c+"/team" {
			s.page(s.bo, p, 200)
		}
		s.page(s.ann, p, 200)
		if rec := s.get(nil, p, nil); rec.Code != http.StatusSeeOther {
			t.Errorf("a visitor's %s: %d", p, rec.Code)
		}
	}
	s.page(s.bo, c+"/team", 404)
	forms := map[string]url.Values{c + "/write": {"title": {"x"}}, edit: {"title": {"Hacked"}}, edit + "/delete": {},
		edit + "/broadcast": {}, c + "/replies": {"keyword": {"k"}, "match": {"exact"}, "reply": {"r"}}, c + "/texts": {"welcome": {"x"}},
		c + "/menu": {}, c + "/operators": {"member": {"dee001"}}, c + "/webhook": {"url": {"https://example.org"}}}
	for p, f := range forms {
		if rec := s.form(s.dee, p, f); rec.Code != http.StatusNotFound {
			t.Errorf("Dee's POST %s: %d", p, rec.Code)
		}
	}
	if rec := s.form(s.bo, c+"/webhook", url.Values{"url": {"https://example.org"}}); rec.Code != http.StatusNotFound {
		t.Errorf("an operator sets the webhook: %d", rec.Code)
	}
	if art, err := s.svc.Article(s.ann.Id, s.art.ID); err != nil || art.Title != "Fair on Sunday" {
		t.Errorf("the article changed: %v %q", err, art.Title)
	}
}

// TestOAConsoleArticles: writing (refused, then saved), editing,
// broadcasting now (then refused over the quota), scheduling and
// cancelling, moderating comments, deleting.
func TestOAConsoleArticles(t *testing.T) {
	s := newSite(t)
	c := "/oa/news/console"
	body := s.page(s.bo, c, 200)
	for _, want := range []string{"Secret draft", "Fair on Sunday", `href="/oa/news/console/inbox"`, "oa-quota"} {
		if !strings.Contains(body, want) {
			t.Errorf("the console lacks %q", want)
		}
	}
	if rec := s.form(s.bo, c+"/write", url.Values{"title": {""}, "body": {"x"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "error-title") {
		t.Fatalf("an untitled article: %d", rec.Code)
	}
	rec := s.form(s.bo, c+"/write", url.Values{"title": {"Market"}, "body": {"Fresh **fruit**"}, "comments_open": {"1"}})
	redirects(t, "write", rec, c+"/a/")
	edit := strings.TrimSuffix(rec.Header().Get("Location"), "?done=saved")
	if body := s.page(s.bo, edit+"?done=saved", 200); !strings.Contains(body, "Fresh **fruit**") || !strings.Contains(body, "oa-broadcast-form") {
		t.Error("the saved article's form lacks its body or the broadcast form")
	}
	redirects(t, "edit", s.form(s.bo, edit, url.Values{"title": {"Market day"}, "body": {"Fresh **fruit**"}}), edit+"?done=saved")

	// The first broadcast of the day was the fixture's: one more is refused.
	rec = s.form(s.bo, edit+"/broadcast", url.Values{"when": {"now"}})
	if rec.Code != http.StatusTooManyRequests || !strings.Contains(rec.Body.String(), "flash-error") {
		t.Fatalf("over the quota: %d %.300s", rec.Code, rec.Body.String())
	}
	if rec := s.form(s.bo, edit+"/broadcast", url.Values{"when": {"later"}, "at": {"soon"}}); rec.Code != 400 {
		t.Errorf("a bad time: %d", rec.Code)
	}
	local := time.Now().UTC().AddDate(0, 0, 2).Truncate(time.Minute)
	at := local.Format("2006-01-02T15:04") // in UTC+8: the browser's offset is -480
	redirects(t, "schedule", s.form(s.bo, edit+"/broadcast", url.Values{"when": {"later"}, "at": {at}, "tz": {"-480"}}), c+"?done=scheduled")
	body = s.page(s.bo, c+"?done=scheduled", 200)
	if !strings.Contains(body, `data-testid="oa-broadcast-cancel"`) {
		t.Fatal("no scheduled broadcast to cancel")
	}
	bs, err := s.svc.Broadcasts(s.bo.Id, s.acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	var scheduled oa.Broadcast
	for _, b := range bs {
		if b.Status == oa.BroadcastScheduled {
			scheduled = b
		}
	}
	if want := local.Add(-8 * time.Hour).Format("2006-01-02 15:04"); !strings.HasPrefix(scheduled.ScheduledAt, want) {
		t.Errorf("scheduled at %q, want %s", scheduled.ScheduledAt, want)
	}
	redirects(t, "cancel", s.form(s.bo, c+"/broadcasts/"+scheduled.ID+"/cancel", nil), c+"?done=cancelled")
	s.page(s.bo, c+"?done=cancelled", 200)

	// Moderation: Dee's comment, hidden, then shown with a reply.
	cm, err := s.svc.Comment(s.dee.Id, s.art.ID, "Dee's word")
	if err != nil {
		t.Fatal(err)
	}
	mod := c + "/a/" + s.art.ID + "/comments"
	if body := s.page(s.bo, mod, 200); !strings.Contains(body, "Dee&#39;s word") {
		t.Fatal("moderation lacks the hidden comment")
	}
	redirects(t, "show", s.form(s.bo, c+"/comments/"+cm.ID+"/show", url.Values{"shown": {"1"}, "next": {mod}}), mod+"?done=moderated")
	redirects(t, "reply", s.form(s.bo, c+"/comments/"+cm.ID+"/reply", url.Values{"reply": {"Noted"}, "next": {"//evil"}}), c+"?done=moderated")
	if body := s.page(s.cy, s.articlePath(), 200); !strings.Contains(body, "Dee&#39;s word") || !strings.Contains(body, "Noted") {
		t.Error("a shown comment and its reply do not show to readers")
	}
	if rec := s.form(s.dee, c+"/comments/"+cm.ID+"/show", url.Values{"shown": {"0"}}); rec.Code != 404 {
		t.Errorf("Dee moderates: %d", rec.Code)
	}

	redirects(t, "delete", s.form(s.ann, edit+"/delete", nil), c+"?done=deleted")
	s.page(s.ann, c+"?done=deleted", 200)
	s.page(s.ann, edit, 404)
}

// TestOAConsoleSettings: auto-replies and texts, the menu (refused, then
// saved and shown on the profile), operators by Plaza ID, the webhook's
// secret shown once, the stats' charts.
func TestOAConsoleSettings(t *testing.T) {
	s := newSite(t)
	c := "/oa/news/console"
	if rec := s.form(s.bo, c+"/replies", url.Values{"keyword": {""}, "match": {"exact"}, "reply": {"x"}}); rec.Code != 400 {
		t.Errorf("an empty keyword: %d", rec.Code)
	}
	redirects(t, "rule", s.form(s.bo, c+"/replies", url.Values{"keyword": {"hours"}, "match": {"contains"}, "reply": {"9 to 5"}}), c+"/replies?done=rule_added")
	body := s.page(s.bo, c+"/replies?done=rule_added", 200)
	if !strings.Contains(body, "9 to 5") {
		t.Fatal("the rule is not listed")
	}
	rules, _ := s.svc.AutoReplies(s.bo.Id, s.acct.ID)
	redirects(t, "remove rule", s.form(s.bo, c+"/replies/"+rules[0].ID+"/remove", nil), c+"/replies?done=rule_removed")
	redirects(t, "texts", s.form(s.bo, c+"/texts", url.Values{"description": {"New"}, "welcome": {"Hi!"}, "default_reply": {"Later"}}), c+"/replies?done=texts_saved")
	if body := s.page(s.bo, c+"/replies?done=texts_saved", 200); !strings.Contains(body, "Hi!") {
		t.Error("the welcome is not kept")
	}

	bad := url.Values{"menu.0.label": {"Web"}, "menu.0.action": {"link"}, "menu.0.value": {"javascript:alert(1)"}}
	if rec := s.form(s.bo, c+"/menu", bad); rec.Code != 400 || !strings.Contains(rec.Body.String(), "oa-menu-error") {
		t.Errorf("a javascript: link: %d", rec.Code)
	}
	good := url.Values{"menu.0.label": {"Shop"}, "menu.0.action": {"link"}, "menu.0.value": {"https://shop.example/"},
		"menu.1.label": {"Ask"}, "menu.1.action": {""}, "menu.1.0.label": {"Price"}, "menu.1.0.action": {"keyword"}, "menu.1.0.value": {"price"}}
	redirects(t, "menu", s.form(s.bo, c+"/menu", good), c+"/menu?done=menu_saved")
	s.page(s.bo, c+"/menu?done=menu_saved", 200)
	if body := s.page(s.cy, "/oa/news", 200); !strings.Contains(body, `href="https://shop.example/"`) || !strings.Contains(body, "text=price") {
		t.Error("the profile lacks the new menu")
	}

	if rec := s.form(s.ann, c+"/operators", url.Values{"member": {"nobody1"}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "error-member") {
		t.Errorf("an unknown operator: %d", rec.Code)
	}
	redirects(t, "operator", s.form(s.ann, c+"/operators", url.Values{"member": {"cy0001"}}), c+"/team?done=operator_added")
	s.page(s.cy, c, 200)
	redirects(t, "remove operator", s.form(s.ann, c+"/operators/"+s.cy.Id+"/remove", nil), c+"/team?done=operator_removed")
	s.page(s.cy, c, 404)

	if rec := s.form(s.ann, c+"/webhook", url.Values{"url": {"ftp://x"}}); rec.Code != 400 {
		t.Errorf("an ftp webhook: %d", rec.Code)
	}
	rec := s.form(s.ann, c+"/webhook", url.Values{"url": {"https://hooks.example/plaza"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `data-testid="oa-webhook-secret"`) {
		t.Fatalf("the webhook's secret: %d", rec.Code)
	}
	if body := s.page(s.ann, c+"/team", 200); strings.Contains(body, "oa-webhook-secret") || !strings.Contains(body, "https://hooks.example/plaza") {
		t.Error("the secret shows again, or the address is not kept")
	}

	body = s.page(s.bo, c+"/stats", 200)
	for _, want := range []string{"oa-chart-followers", "oa-chart-reads", "<polyline", "<rect", "Fair on Sunday"} {
		if !strings.Contains(body, want) {
			t.Errorf("stats lack %q", want)
		}
	}
}
