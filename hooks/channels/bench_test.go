package channels_test

// Channels' hot paths on a big world (issue 13, "Performance"), each beside
// a single-goroutine app.Save in the same run (docs/PERFORMANCE.md,
// "Channels"; the world is described in world_bench_test.go):
//
//	go test ./hooks/channels/ -run XXX -bench 'ChannelsPlainSave|Popular|PostPage|Following' -benchtime 300x -count 2 -timeout 30m

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/internal/testapp"
)

// timings collects one duration per iteration and reports p50, p95 and
// p99.
type timings []time.Duration

func (t timings) report(b *testing.B) { t.reportAs(b, "") }

func (t timings) reportAs(b *testing.B, prefix string) {
	if len(t) == 0 {
		return
	}
	slices.Sort(t)
	b.ReportMetric(float64(t[len(t)/2].Microseconds()), prefix+"p50-µs")
	b.ReportMetric(float64(t[len(t)*95/100].Microseconds()), prefix+"p95-µs")
	b.ReportMetric(float64(t[len(t)*99/100].Microseconds()), prefix+"p99-µs")
}

// measure runs op b.N times, timing each call.
func measure(b *testing.B, op func(i int) error) {
	b.Helper()
	took := make(timings, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		err := op(i)
		took = append(took, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	took.report(b)
}

// BenchmarkChannelsPlainSave is the yardstick: one single-goroutine
// app.Save of a small plain record, on the world's database.
func BenchmarkChannelsPlainSave(b *testing.B) {
	app, _, who := benchApp(b)
	c, err := app.FindCollectionByNameOrId("contact_tags")
	if err != nil {
		b.Fatal(err)
	}
	measure(b, func(i int) error {
		r := core.NewRecord(c)
		r.Set("owner", who.me)
		r.Set("name", fmt.Sprint("tag", i))
		return app.Save(r)
	})
}

// BenchmarkPopularFirstPage is the Popular feed's first page of 10, as a
// member sees it (their likes, favourites and friends' likes read too).
func BenchmarkPopularFirstPage(b *testing.B) {
	_, svc, who := benchApp(b)
	measure(b, func(int) error {
		page, err := svc.Popular(who.me, "", 10)
		if err == nil && (len(page.Posts) != 10 || page.Next == "") {
			err = fmt.Errorf("popular: %d posts", len(page.Posts))
		}
		return err
	})
}

// BenchmarkPostPage is a signed-out visitor opening the post with 300
// comments: "domain" is what the page asks of the service (the post, the
// first 20 comments with their replies, a view queued: the timer writes
// the queue once a second, in the background); "http" is the whole page, GET /c/chan_0/p/…, through a
// loopback HTTP server on the app's own handler, timed inside the server
// (srv-*) and at the client (p50/p95/p99: the round trip), each request a
// new visitor. The "-seen" twins are a visitor whose view today is
// counted already: no write.
func BenchmarkPostPage(b *testing.B) {
	for _, seen := range []bool{false, true} {
		name := map[bool]string{false: "domain", true: "domain-seen"}[seen]
		b.Run(name, func(b *testing.B) {
			_, svc, who := benchApp(b)
			measure(b, func(i int) error {
				post, err := svc.PostIn("", who.bigPostHandle, bigPostID)
				if err != nil {
					return err
				}
				page, err := svc.Comments(post.ID, "", 20)
				if err != nil || len(page.Comments) != 20 {
					return fmt.Errorf("comments: %d, %v", len(page.Comments), err)
				}
				addr := fmt.Sprintf("10.%d.%d.1", i/250, i%250)
				if seen {
					addr = "10.0.0.1"
				}
				return svc.QueueView(channels.Viewer{Addr: addr}, post.ID)
			})
			if err := svc.FlushViews(); err != nil {
				b.Fatal(err)
			}
		})
	}
	for _, c := range []struct {
		name string
		addr func(i int) string
	}{
		{"http", func(i int) string { return fmt.Sprintf("10.%d.%d.%d", 1+i/62500, i/250%250, 1+i%250) }}, // a new visitor: a view counted
		{"http-seen", func(int) string { return "10.0.0.1" }},                                             // the same visitor: counted once only
	} {
		b.Run(c.name, func(b *testing.B) { benchPostPageHTTP(b, c.addr, c.name == "http") })
	}
}

// benchPostPageHTTP gets the big post's page through a loopback HTTP
// server, the i-th request from address addr(i) (X-Forwarded-For, as from
// a reverse proxy the app trusts); each counts a view when fresh.
func benchPostPageHTTP(b *testing.B, addr func(i int) string, fresh bool) {
	app, svc, who := benchApp(b)
	before, err := svc.PostFor("", bigPostID)
	if err != nil {
		b.Fatal(err)
	}
	app.Settings().RateLimits.Enabled = false
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	h := testapp.Handler(b, app)
	server := make(timings, 0, b.N)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		h.ServeHTTP(w, r)
		server = append(server, time.Since(start))
	}))
	defer srv.Close()
	url := srv.URL + channels.PostPath(who.bigPostHandle, bigPostID)
	measure(b, func(i int) error {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		req.Header.Set("X-Forwarded-For", addr(i))
		res, err := srv.Client().Do(req)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil && (res.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("comment 0 on the big post"))) {
			err = fmt.Errorf("post page: %d, %d bytes", res.StatusCode, len(body))
		}
		return err
	})
	server.reportAs(b, "srv-")
	if err := svc.FlushViews(); err != nil {
		b.Fatal(err)
	}
	after, err := svc.PostFor("", bigPostID)
	if n := after.Views - before.Views; err != nil || fresh && n != b.N || !fresh && n > 1 {
		b.Fatalf("%d requests counted %d views (%v)", b.N, n, err)
	}
}

// BenchmarkFollowing is the Following feed's first page of 10 for members
// following 20 and 50 channels (read channel by channel) and 1,000 (a walk
// of all posts by time).
func BenchmarkFollowing(b *testing.B) {
	for _, c := range []struct {
		name   string
		member func(benchMembers) string
	}{
		{"follows=20", func(w benchMembers) string { return w.few20 }},
		{"follows=50", func(w benchMembers) string { return w.few50 }},
		{"follows=1000", func(w benchMembers) string { return w.me }},
	} {
		b.Run(c.name, func(b *testing.B) {
			_, svc, who := benchApp(b)
			member := c.member(who)
			measure(b, func(int) error {
				page, err := svc.Following(member, "", 10)
				if err == nil && (len(page.Posts) != 10 || page.Next == "") {
					err = fmt.Errorf("following: %d posts", len(page.Posts))
				}
				return err
			})
		})
	}
}

// BenchmarkFlushViews is the view queue's one transaction: 250 new
// visitors' views of the big post written at once (what a second of
// 250 new visitors a second leaves for the timer).
func BenchmarkFlushViews(b *testing.B) {
	_, svc, who := benchApp(b)
	post, err := svc.PostIn("", who.bigPostHandle, bigPostID)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	took := make(timings, 0, b.N)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for range 250 {
			n++
			if err := svc.QueueView(channels.Viewer{Addr: fmt.Sprintf("10.%d.%d.%d", 100+n/62500, n/250%250, 1+n%250)}, post.ID); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		if err := svc.FlushViews(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	took.report(b)
}
