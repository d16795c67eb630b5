package browser_test

import (
	"slices"
	"testing"
	"time"

	"plaza/hooks/demo"
	"plaza/hooks/demo/mpdemo"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// clickAt clicks sel and answers when, on the browser's clock (epoch ms,
// high resolution: comparable across the documents of one browser).
const clickAt = `((sel) => { const t = performance.timeOrigin + performance.now(); document.querySelector(sel).click(); return t; })`

// paintedAt is when the document painted its first content, on the same
// clock (0 until it has).
const paintedAt = `(() => { const e = performance.getEntriesByName("first-contentful-paint")[0]; return e ? performance.timeOrigin + e.startTime : 0; })()`

// BenchmarkOpenMiniProgram measures, in Chromium, a member opening the
// demo Corner Café from Discover → Mini Programs: from the tap on its row
// to the first paint inside the app's sandboxed frame (the host page, the
// signed launch, the bundle's files with their CSP, the bridge). The
// yardstick in the same run is a tap on the same row's neighbour page of
// Plaza's own, the search page, to its first paint. It reports p50 and
// p95 of both (ms); docs/PERFORMANCE.md, "Mini Programs".
//
//	go test ./hooks/demo/mpdemo/browser/ -run XXX -bench OpenMiniProgram -benchtime 30x -count 2
func BenchmarkOpenMiniProgram(b *testing.B) {
	br := e2e.NewBrowser(b)
	srv := e2e.StartServer(b)
	srv.Member(b, "alice_w")
	srv.Member(b, "jack_m")
	srv.Member(b, "bo_wang")
	if err := demo.SeedMiniPrograms(srv.App, testapp.Services(b, srv.App).MP); err != nil {
		b.Fatal(err)
	}
	coffee, _, _ := mpdemo.AppOf(srv.App, mpdemo.Coffee)
	p := br.NewPage(b)
	srv.SignIn(p, "bo_wang", testapp.DefaultPassword)
	row := "[data-testid=mp-app][data-appid='" + coffee + "']"
	var app, page []float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// The app: the directory row → the frame's first paint.
		p.Navigate(srv.URL + "/mp")
		var t0, painted float64
		p.Eval(clickAt+`(`+"`"+row+"`"+`)`, &t0)
		p.WaitVisible("[data-testid=mp-frame][data-mp-ready]")
		for deadline := time.Now().Add(5 * time.Second); painted == 0 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			p.EvalInFrame("[data-testid=mp-frame]", paintedAt, &painted)
		}
		if painted == 0 {
			b.Fatal("the café's frame never painted")
		}
		app = append(app, painted-t0)
		// The yardstick: the directory's search button → the search page's first paint.
		p.Navigate(srv.URL + "/mp")
		p.Eval(`document.querySelector("[data-testid=mp-search]").value = "café"`, nil)
		p.Eval(clickAt+"(`[data-testid=mp-search-go]`)", &t0)
		p.WaitVisible("[data-testid=mp-search-page]")
		painted = 0
		for deadline := time.Now().Add(5 * time.Second); painted == 0 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			p.Eval(paintedAt, &painted)
		}
		page = append(page, painted-t0)
	}
	b.StopTimer()
	b.ReportMetric(quantile(app, 0.5), "app-p50-ms")
	b.ReportMetric(quantile(app, 0.95), "app-p95-ms")
	b.ReportMetric(quantile(page, 0.5), "page-p50-ms")
	b.ReportMetric(quantile(page, 0.95), "page-p95-ms")
}

// quantile is the q-quantile of xs (nearest rank).
func quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
