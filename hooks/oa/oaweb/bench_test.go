package oaweb_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// BenchmarkArticlePage is a signed-out visitor opening an article (a
// 2,000-character body with headings, lists, a table and a picture; 30
// comments shown, 10 with the operator's reply) through a loopback HTTP
// server on the app's own handler: "new" a new visitor each request (a
// read queued, written by the batch once a second beside the requests),
// "seen" the same visitor. srv-* is the time inside the server, p50/p95/
// p99 the round trip; "yardstick" one app.Save of a small record on the
// same database.
//
//	go test ./hooks/oa/oaweb/ -run XXX -bench ArticlePage -benchtime 1000x -count 2
func BenchmarkArticlePage(b *testing.B) {
	app, url := articleWorld(b)
	tags, err := app.FindCollectionByNameOrId("contact_tags")
	if err != nil {
		b.Fatal(err)
	}
	owner, err := app.FindFirstRecordByData("users", "plaza_id", "reader")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("yardstick", func(b *testing.B) {
		took := make([]time.Duration, 0, b.N)
		for range b.N {
			start := time.Now()
			r := core.NewRecord(tags)
			r.Set("owner", owner.Id)
			r.Set("name", core.GenerateDefaultRandomId())
			if err := app.Save(r); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		report(b, "", took)
	})
	for _, c := range []struct {
		name string
		addr func(i int) string
	}{
		{"new", func(i int) string { return fmt.Sprintf("10.%d.%d.%d", 1+i/62500, i/250%250, 1+i%250) }},
		{"seen", func(int) string { return "10.0.0.1" }},
	} {
		b.Run(c.name, func(b *testing.B) { benchPage(b, app, url, c.addr) })
	}
}

// articleWorld is the benchmark's community and the article's path.
func articleWorld(b *testing.B) (core.App, string) {
	app := testapp.New(b)
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	svc := testapp.Services(b, app).OA
	owner := testapp.CreateMember(b, app, "reader")
	acct, err := svc.Apply(owner.Id, oa.ApplyInput{Handle: "news", Name: "Community News", Category: "community", Kind: oa.KindService})
	if err != nil {
		b.Fatal(err)
	}
	if err := oa.Review(app, acct.ID, oa.StatusApproved, "", true); err != nil {
		b.Fatal(err)
	}
	body := "# Street party\n\n" + strings.Repeat("Elm Road closes to cars and opens to **everyone**: music, food stalls. ", 12) +
		"\n\n- chairs\n- 邻居\n- tea\n\n| when | what |\n|---|---|\n| 15:00 | music |\n| 18:00 | food |\n\n" +
		strings.Repeat("> Bring a friend. 带上朋友。\n\n", 4) + "[Calendar](https://example.org/calendar)\n"
	art, err := svc.WriteArticle(owner.Id, acct.ID, oa.ArticleInput{Title: "Street party on Elm Road", Author: "Jack",
		Digest: "Music, food and a kids' corner", Body: body, CommentsOpen: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Broadcast(owner.Id, art.ID, time.Time{}); err != nil {
		b.Fatal(err)
	}
	for i := range 30 {
		m := testapp.CreateMember(b, app, fmt.Sprintf("fan%03d", i))
		c, err := svc.Comment(m.Id, art.ID, fmt.Sprintf("Comment %d: see you there!", i))
		if err != nil {
			b.Fatal(err)
		}
		if err := svc.ShowComment(owner.Id, c.ID, true); err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			if err := svc.ReplyComment(owner.Id, c.ID, "Thanks!"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return app, "/oa/news/a/" + art.ID
}

// benchPage gets the article's page b.N times, the i-th from addr(i).
func benchPage(b *testing.B, app core.App, path string, addr func(int) string) {
	h := testapp.Handler(b, app)
	server := make([]time.Duration, 0, b.N)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		server = append(server, time.Since(start))
	}))
	defer srv.Close()
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("X-Forwarded-For", addr(i))
		start := time.Now()
		res, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		took = append(took, time.Since(start))
		if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Comment 29") {
			b.Fatalf("article page: %d, %d bytes, %v", res.StatusCode, len(body), err)
		}
	}
	b.StopTimer()
	report(b, "", took)
	report(b, "srv-", server)
}

// report adds p50, p95 and p99 of took as metrics.
func report(b *testing.B, prefix string, took []time.Duration) {
	slices.Sort(took)
	for _, q := range []struct {
		name string
		at   int
	}{{"p50-µs", 50}, {"p95-µs", 95}, {"p99-µs", 99}} {
		b.ReportMetric(float64(took[len(took)*q.at/100].Microseconds()), prefix+q.name)
	}
}
