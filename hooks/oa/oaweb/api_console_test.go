package oaweb_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/module"
)

// TestOAAPIConsoleRefusesWhoDoesNotRunIt: every operators' route answers
// 404 oa.not_found to a member who does not run the account (a follower
// included) and 401 signed out; the owner's routes answer 404 to an
// operator.
func TestOAAPIConsoleRefusesWhoDoesNotRunIt(t *testing.T) {
	w := newWorld(t)
	id := w.published("Hello")
	draft := w.write(w.bo, "Draft")
	c := w.ok(201, w.cy, "POST", api+"/articles/"+id+"/comments", `{"text":"Hi"}`)["id"].(string)
	rule := w.ok(201, w.bo, "POST", api+"/accounts/news/autoreplies", `{"keyword":"hours","match":"contains","reply":"9 to 5"}`)["id"].(string)
	w.ok(200, w.cy, "POST", api+"/accounts/news/follow", "")
	png, headers := multipartBody(t, nil, map[string][]byte{"image:i.png": testapp.PNG(t, 8, 8)})
	operators := []struct{ method, path, body string }{
		{"POST", "/accounts/news/articles", `{"title":"x"}`},
		{"PATCH", "/articles/" + draft, `{"title":"x"}`},
		{"DELETE", "/articles/" + draft, ""},
		{"POST", "/articles/" + draft + "/broadcast", `{}`},
		{"GET", "/accounts/news/broadcasts", ""},
		{"PATCH", "/comments/" + c, `{"shown":true}`},
		{"GET", "/accounts/news/autoreplies", ""},
		{"POST", "/accounts/news/autoreplies", `{"keyword":"a","match":"exact","reply":"b"}`},
		{"DELETE", "/accounts/news/autoreplies/" + rule, ""},
		{"GET", "/accounts/news/texts", ""},
		{"PUT", "/accounts/news/texts", `{"welcome":"hi"}`},
		{"PUT", "/accounts/news/menu", `{"menu":[]}`},
		{"GET", "/accounts/news/stats", ""},
		{"GET", "/accounts/news/operators", ""},
	}
	owners := []struct{ method, path, body string }{
		{"POST", "/accounts/news/operators", `{"member":"` + w.dee.Id + `"}`},
		{"DELETE", "/accounts/news/operators/" + w.bo.Id, ""},
		{"PUT", "/accounts/news/webhook", `{"url":"https://example.org/hook"}`},
	}
	for _, r := range append(operators, owners...) {
		w.refused("signed out "+r.method+" "+r.path, w.do(nil, r.method, api+r.path, r.body, nil), 401, "auth.required", "", "")
		for _, who := range []*core.Record{w.cy, w.dee} {
			w.refused(who.GetString("plaza_id")+" "+r.method+" "+r.path, w.do(who, r.method, api+r.path, r.body, nil), 404, "oa.not_found", "", "")
		}
	}
	w.refused("a stranger uploads", w.do(w.dee, "POST", api+"/accounts/news/media", png, headers), 404, "oa.not_found", "", "")
	for _, r := range owners {
		w.refused("an operator "+r.method+" "+r.path, w.do(w.bo, r.method, api+r.path, r.body, nil), 404, "oa.not_found", "", "")
	}
	// Nothing changed: the draft is there, the comment hidden, Dee no operator.
	if list := items(w.ok(200, w.bo, "GET", api+"/accounts/news/operators", "")); len(list) != 2 || list[1]["member"] != w.bo.Id || list[0]["owner"] != true {
		t.Fatalf("operators: %v", list)
	}
	if list := items(w.ok(200, nil, "GET", api+"/articles/"+id+"/comments", "")); len(list) != 0 {
		t.Fatalf("a refused moderation showed a comment: %v", list)
	}
	w.ok(200, w.bo, "GET", api+"/articles/"+draft, "")

	// An account rejected later is gone from its operators' console too.
	w.setStatus("news", "rejected", "Spam")
	w.refused("the console of a rejected account", w.do(w.bo, "GET", api+"/accounts/news/stats", "", nil), 404, "oa.not_found", "", "")
}

// TestOAAPIConsole: what operators set, and the owner's webhook secret
// (given once, on PUT).
func TestOAAPIConsole(t *testing.T) {
	w := newWorld(t)
	png, headers := multipartBody(t, nil, map[string][]byte{"image:i.png": testapp.PNG(t, 8, 8)})
	m := w.decode(201, "upload", w.do(w.bo, "POST", api+"/accounts/news/media", png, headers))
	if m["url"] != "/oa/media/"+w.accountID("news")+"/"+m["id"].(string) {
		t.Fatalf("an upload: %v", m)
	}
	texts := w.ok(200, w.bo, "PUT", api+"/accounts/news/texts", `{"welcome":"Welcome!","default_reply":"We read everything."}`)
	if texts["welcome"] != "Welcome!" || texts["description"] != "About news" {
		t.Fatalf("texts: %v", texts)
	}
	menu := `{"menu":[{"label":"Site","action":"link","value":"https://example.org"},{"label":"More","items":[{"label":"Hours","action":"keyword","value":"hours"}]}]}`
	w.ok(200, w.bo, "PUT", api+"/accounts/news/menu", menu)
	if a := w.ok(200, nil, "GET", api+"/accounts/news", ""); len(a["menu"].([]any)) != 2 {
		t.Fatalf("the menu a visitor sees: %v", a["menu"])
	}
	w.ok(201, w.bo, "POST", api+"/accounts/news/autoreplies", `{"keyword":"hours","match":"contains","reply":"9 to 5"}`)
	r := w.ok(201, w.bo, "POST", api+"/accounts/news/autoreplies", `{"keyword":"hours","match":"contains","reply":"10 to 6"}`)
	if list := items(w.ok(200, w.bo, "GET", api+"/accounts/news/autoreplies", "")); len(list) != 1 || list[0]["reply"] != "10 to 6" {
		t.Fatalf("the same keyword twice: %v", list)
	}
	w.ok(204, w.bo, "DELETE", api+"/accounts/news/autoreplies/"+r["id"].(string), "")
	if s := w.ok(200, w.bo, "GET", api+"/accounts/news/stats", ""); len(s["days"].([]any)) != 30 {
		t.Fatalf("stats: %v", s)
	}
	hook := w.ok(200, w.ann, "PUT", api+"/accounts/news/webhook", `{"url":" https://example.org/hook "}`)
	if hook["url"] != "https://example.org/hook" || !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(hook["secret"].(string)) {
		t.Fatalf("the webhook: %v", hook)
	}
	w.ok(204, w.ann, "DELETE", api+"/accounts/news/operators/"+w.bo.Id, "")
	w.refused("a removed operator", w.do(w.bo, "GET", api+"/accounts/news/stats", "", nil), 404, "oa.not_found", "", "")
}

func (w *world) accountID(handle string) string {
	w.t.Helper()
	return w.ok(200, nil, "GET", api+"/accounts/"+handle, "")["id"].(string)
}

// TestOAAPIShareCard: an article shared into a chat is an oa_article
// card opening its page; a draft cannot be shared; once the article is
// deleted the card keeps its title only.
func TestOAAPIShareCard(t *testing.T) {
	w := newWorld(t)
	id := w.published("Shared")
	draft := w.write(w.bo, "Draft")
	direct, err := chat.OpenDirect(w.app, w.ann.Id, w.cy.Id)
	if err != nil {
		t.Fatal(err)
	}
	w.refused("sharing a draft", w.do(w.cy, "POST", api+"/articles/"+draft+"/share", `{"to":["`+direct+`"]}`, nil), 404, "oa.not_found", "", "")
	w.refused("sharing into a stranger's chat", w.do(w.dee, "POST", api+"/articles/"+id+"/share", `{"to":["`+direct+`"]}`, nil), 404, "chat.not_found", "", "")
	w.ok(200, w.cy, "POST", api+"/articles/"+id+"/share", `{"to":["`+direct+`"],"client_id":"s1"}`)
	w.ok(200, w.cy, "POST", api+"/articles/"+id+"/share", `{"to":["`+direct+`"],"client_id":"s1"}`) // a retry

	card := func() []*chat.Message {
		var history struct{ Items []*chat.Message }
		res := w.do(w.ann, "GET", "/api/plaza/chats/"+direct+"/messages", "", nil)
		if err := json.Unmarshal(res.Body.Bytes(), &history); err != nil || res.Code != 200 {
			t.Fatalf("history: %d %s", res.Code, res.Body.String())
		}
		var cards []*chat.Message
		for _, m := range history.Items {
			if m.Card != nil && m.Card.Type == "oa_article" {
				cards = append(cards, m)
			}
		}
		return cards
	}
	cards := card()
	if len(cards) != 1 || cards[0].Card.Title != "Shared" || cards[0].Card.Link != "/oa/news/a/"+id || cards[0].Card.Sub == "" {
		t.Fatalf("the shared card: %+v", cards)
	}
	w.ok(204, w.ann, "DELETE", api+"/articles/"+id, "")
	if cards := card(); len(cards) != 1 || cards[0].Card.Title == "" || cards[0].Card.Sub != "" || cards[0].Card.Image != "" {
		t.Fatalf("a deleted article's card: %+v", cards[0].Card)
	}
	if st := testapp.Services(t, w.app).Registry; st == nil {
		t.Fatal("no registry")
	} else if ct, ok := st.Card("oa_article"); !ok || ct.State(w.app, w.cy.Id, id) != module.CardStateGone {
		t.Fatal("a deleted article's card is not gone")
	}
}

// TestOAAPIShareIntoMoments: a published article may be shared into a
// Moments post as its card; a draft may not.
func TestOAAPIShareIntoMoments(t *testing.T) {
	w := newWorld(t)
	id := w.published("For Moments")
	draft := w.write(w.bo, "Draft")
	got := w.ok(201, w.cy, "POST", "/api/plaza/moments/posts", `{"text":"Read this","share":{"type":"oa_article","ref":"`+id+`"}}`)
	if shared, _ := got["share"].(map[string]any); shared == nil || shared["title"] != "For Moments" {
		t.Fatalf("the Moments post: %v", got)
	}
	if rec := w.do(w.bo, "POST", "/api/plaza/moments/posts", `{"text":"Soon","share":{"type":"oa_article","ref":"`+draft+`"}}`, nil); rec.Code != 404 {
		t.Fatalf("a draft shared into Moments: %d %s", rec.Code, rec.Body.String())
	}
}
