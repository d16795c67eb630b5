package momentsweb_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
)

// TestReportPages: from the post page a friend reports a post and a
// comment with the form; a stranger gets no form; a form without a reason
// says so and files nothing.
func TestReportPages(t *testing.T) {
	w := newCircle(t)
	id := w.ok(201, w.a, "POST", "/api/plaza/moments/posts", `{"text":"Cheap followers"}`)["id"].(string)
	comment := w.ok(201, w.a, "POST", "/api/plaza/moments/posts/"+id+"/comments", `{"text":"DM me"}`)["id"].(string)
	page := func(who string, method, path, body string) (int, string) {
		rec := testapp.Do(w.h, method, path, body, map[string]string{"Cookie": who})
		return rec.Code, rec.Body.String()
	}
	b, d := testapp.SessionCookie(t, w.b), testapp.SessionCookie(t, w.d)
	if code, body := page(b, http.MethodGet, "/moments/posts/"+id, ""); code != 200 || !strings.Contains(body, `data-testid="post-report"`) || !strings.Contains(body, `data-testid="comment-report"`) {
		t.Fatalf("the post page offers no report links: %d", code)
	}
	if code, body := page(b, http.MethodPost, "/moments/posts/"+id+"/report", "note=x"); code != 400 || !strings.Contains(body, "report-form") {
		t.Errorf("a report without a reason: %d", code)
	}
	if code, body := page(b, http.MethodPost, "/moments/posts/"+id+"/report", "reason=spam"); code != 200 || !strings.Contains(body, "flash-ok") {
		t.Errorf("reporting the post: %d", code)
	}
	if code, _ := page(b, http.MethodPost, "/moments/comments/"+comment+"/report", "reason=fraud"); code != 200 {
		t.Errorf("reporting the comment: %d", code)
	}
	if code, _ := page(d, http.MethodGet, "/moments/posts/"+id+"/report", ""); code != 404 {
		t.Errorf("a stranger's report form: %d", code)
	}
	queue, err := w.app.FindRecordsByFilter("reports", "reporter = {:b}", "created", 0, 0, map[string]any{"b": w.b.Id})
	if err != nil || len(queue) != 2 || queue[0].GetString("kind") != "moments_post" || queue[1].GetString("kind") != "moments_comment" {
		t.Fatalf("the queue: %d %v", len(queue), err)
	}
}
