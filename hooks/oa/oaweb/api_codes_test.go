package oaweb_test

import (
	"strings"
	"testing"
	"time"
)

// TestOAAPIErrorCodes: the refusals docs/API.md lists for Official
// Accounts that the other tests do not meet, as a client sees them
// (status, code, the field's code).
func TestOAAPIErrorCodes(t *testing.T) {
	w := newWorld(t)
	id := w.published("Hello")
	draft := w.write(w.bo, "Draft")
	far := time.Now().UTC().Add(40 * 24 * time.Hour).Format(time.RFC3339)
	long := func(n int) string { return strings.Repeat("x", n) }
	cases := []struct {
		name, method, path, body string
		status                   int
		code, field, fc          string
	}{
		{"a bad handle", "POST", "/accounts", `{"handle":"No!","name":"N","category":"news","kind":"service"}`, 400, "request.invalid", "handle", "oa.bad_handle"},
		{"a bad category", "POST", "/accounts", `{"handle":"abc","name":"N","category":"toys","kind":"service"}`, 400, "request.invalid", "category", "oa.bad_category"},
		{"a bad kind", "POST", "/accounts", `{"handle":"abc","name":"N","category":"news","kind":"shop"}`, 400, "request.invalid", "kind", "oa.bad_kind"},
		{"no name", "POST", "/accounts", `{"handle":"abc","category":"news","kind":"service"}`, 400, "request.invalid", "name", "validation_required"},
		{"a directory of no category", "GET", "/accounts?category=toys", "", 400, "request.invalid", "category", "oa.bad_category"},
		{"a search too long", "GET", "/accounts?q=" + long(101), "", 400, "request.invalid", "q", "oa.bad_query"},
		{"no such account", "GET", "/accounts/nosuch", "", 404, "oa.not_found", "", ""},
		{"no such article", "GET", "/articles/nosucharticle12", "", 404, "oa.not_found", "", ""},
		{"a title too long", "POST", "/accounts/news/articles", `{"title":"` + long(65) + `"}`, 400, "request.invalid", "title", "profile.too_long"},
		{"a NUL in a digest", "POST", "/accounts/news/articles", `{"title":"t","digest":"a\u0000b"}`, 400, "request.invalid", "digest", "errors.nul_byte"},
		{"no title", "POST", "/accounts/news/articles", `{"body":"b"}`, 400, "request.invalid", "title", "validation_required"},
		{"a title of the wrong type", "PATCH", "/articles/" + draft, `{"title":5}`, 400, "request.invalid", "title", "request.invalid"},
		{"a time that is not RFC 3339", "POST", "/articles/" + draft + "/broadcast", `{"at":"tomorrow"}`, 400, "request.invalid", "at", "request.invalid"},
		{"a time too far ahead", "POST", "/articles/" + draft + "/broadcast", `{"at":"` + far + `"}`, 400, "request.invalid", "at", "oa.schedule_too_far"},
		{"a broadcast twice", "POST", "/articles/" + id + "/broadcast", `{}`, 409, "oa.already_broadcast", "", ""},
		{"an upload without an image", "POST", "/accounts/news/media", `{}`, 400, "request.invalid", "image", "validation_required"},
		{"a moderation changing nothing", "PATCH", "/comments/whatever", `{}`, 400, "request.invalid", "shown", "validation_required"},
		{"a bad match", "POST", "/accounts/news/autoreplies", `{"keyword":"a","match":"fuzzy","reply":"b"}`, 400, "request.invalid", "match", "oa.bad_match"},
		{"a keyword too long", "POST", "/accounts/news/autoreplies", `{"keyword":"` + long(61) + `","match":"exact","reply":"b"}`, 400, "request.invalid", "keyword", "profile.too_long"},
		{"a welcome too long", "PUT", "/accounts/news/texts", `{"welcome":"` + long(601) + `"}`, 400, "request.invalid", "welcome", "profile.too_long"},
		{"four menu buttons", "PUT", "/accounts/news/menu", `{"menu":[{"label":"a","action":"keyword","value":"a"},{"label":"b","action":"keyword","value":"b"},{"label":"c","action":"keyword","value":"c"},{"label":"d","action":"keyword","value":"d"}]}`,
			400, "request.invalid", "menu", "oa.menu_too_many_buttons"},
		{"a menu link that is not http", "PUT", "/accounts/news/menu", `{"menu":[{"label":"a","action":"link","value":"javascript:alert(1)"}]}`, 400, "request.invalid", "menu.0", "oa.menu_bad_action"},
		{"an operator who is no member", "POST", "/accounts/news/operators", `{"member":"nosuchmember1"}`, 400, "request.invalid", "member", "oa.bad_operator"},
		{"a webhook that is not http", "PUT", "/accounts/news/webhook", `{"url":"ftp://example.org"}`, 400, "request.invalid", "url", "oa.bad_webhook"},
		{"a bad reaction", "PUT", "/articles/" + id + "/reactions/love", "", 400, "request.invalid", "kind", "oa.bad_reaction"},
		{"a comment too long", "POST", "/articles/" + id + "/comments", `{"text":"` + long(601) + `"}`, 400, "request.invalid", "text", "profile.too_long"},
		{"an empty comment", "POST", "/articles/" + id + "/comments", `{"text":"  "}`, 400, "request.invalid", "text", "validation_required"},
		{"a share to no chat", "POST", "/articles/" + id + "/share", `{"to":[]}`, 400, "request.invalid", "to", "chat.forward_pick"},
		{"a report without a reason", "POST", "/articles/" + id + "/report", `{"note":"x"}`, 400, "request.invalid", "reason", "chat.report_reason_required"},
		{"malformed JSON", "PUT", "/accounts/news/texts", `{"welcome":`, 400, "request.invalid", "", ""},
	}
	for _, c := range cases {
		w.refused(c.name, w.do(w.ann, c.method, api+c.path, c.body, nil), c.status, c.code, c.field, c.fc)
	}
	body, headers := multipartBody(t, map[string]string{"title": "t"}, map[string][]byte{"cover:c.png": []byte("<svg onload=alert(1)>")})
	w.refused("a cover that is no photo", w.do(w.bo, "POST", api+"/accounts/news/articles", body, headers), 400, "request.invalid", "cover", "media.not_a_photo")
	w.refused("a taken handle", w.do(w.dee, "POST", api+"/accounts", `{"handle":"news","name":"N","category":"news","kind":"service"}`, nil),
		400, "request.invalid", "handle", "oa.handle_taken")
	if list := items(w.ok(200, w.ann, "GET", api+"/me/accounts", "")); len(list) != 1 {
		t.Fatalf("a refused application was stored: %v", list)
	}
	if list := items(w.ok(200, w.ann, "GET", api+"/accounts/news/articles", "")); len(list) != 2 || list[0]["title"] != "Draft" {
		t.Fatalf("a refused edit changed the articles: %v", list)
	}
}
