package chat_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

// TestAPIMessagesPagesWithMore: GET /api/plaza/chats/{id}/messages answers
// {"items", "more"} in both directions, more exactly when the member could
// see more beyond the page (messages deleted for them do not count), and a
// limit outside 1…200 is a 400 that names limit, never silently 50.
func TestAPIMessagesPagesWithMore(t *testing.T) {
	p := newPair(t)
	for i := 1; i <= 120; i++ {
		if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: fmt.Sprint("page-", i), Text: fmt.Sprint("message ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h := testapp.Handler(t, p.app)
	auth := map[string]string{"Authorization": testapp.Token(t, p.bo)}
	get := func(query string) (int, map[string]any) {
		t.Helper()
		res := testapp.Do(h, "GET", "/api/plaza/chats/"+p.conv+"/messages"+query, "", auth)
		out := map[string]any{}
		if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s: not JSON: %d %s", query, res.Code, res.Body.String())
		}
		return res.Code, out
	}
	page := func(query string, first, last int, more bool) {
		t.Helper()
		code, out := get(query)
		items, _ := out["items"].([]any)
		if code != 200 || len(items) != last-first+1 || out["more"] != more {
			t.Fatalf("%s: %d, %d items, more %v; want %d…%d, more %v", query, code, len(items), out["more"], first, last, more)
		}
		if f := items[0].(map[string]any)["seq"].(float64); int(f) != first {
			t.Fatalf("%s: first seq %v, want %d", query, f, first)
		}
		if l := items[len(items)-1].(map[string]any)["seq"].(float64); int(l) != last {
			t.Fatalf("%s: last seq %v, want %d", query, l, last)
		}
	}
	page("", 71, 120, true) // the latest 50
	page("?before=71&limit=50", 21, 70, true)
	page("?before=21&limit=50", 1, 20, false)
	page("?before=21&limit=20", 1, 20, false) // exactly what is left: no more
	page("?before=21&limit=19", 2, 20, true)
	page("?after=100&limit=50", 101, 120, false)
	page("?after=0&limit=200", 1, 120, false)
	page("?after=0&limit=119", 1, 119, true)
	page("?after=0&limit=1", 1, 1, true)
	// A message deleted for Bo is no "more" for him.
	if err := p.svc.HideMessage(p.bo.Id, p.conv, firstID(t, p)); err != nil {
		t.Fatal(err)
	}
	page("?before=21&limit=19", 2, 20, false)
	if code, out := get("?after=120"); code != 200 || out["more"] != false || len(out["items"].([]any)) != 0 {
		t.Fatalf("nothing after the last: %d %v", code, out)
	}

	// Limits outside 1…200 are refused, naming the field and the limit.
	for _, q := range []string{"?limit=201", "?limit=0", "?limit=-5", "?limit=abc", "?limit=1.5", "?after=0&limit=100000"} {
		code, out := get(q)
		data, _ := out["data"].(map[string]any)
		field, _ := data["limit"].(map[string]any)
		msg, _ := field["message"].(string)
		if code != 400 || out["code"] != "request.invalid" || field["code"] != "chat.limit_range" || !strings.Contains(msg, "200") {
			t.Fatalf("%s: %d %v", q, code, out)
		}
	}
}

// firstID is the id of the conversation's first message.
func firstID(t *testing.T, p *pair) string {
	t.Helper()
	msgs, err := chat.Messages(p.app, p.ann.Id, p.conv, 0, 0, 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("first message: %v %v", msgs, err)
	}
	return msgs[0].ID
}
