package oaweb

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/oa"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// An account's stats: 30 days of followers and reads drawn as SVG by the
// server (no chart script), and each article's reads as a bar.

// Chart geometry: a viewBox the SVG stretches to the page's width.
const (
	chartW = 600
	chartH = 160
)

// statsPage is GET /oa/{handle}/console/stats.
func (h handlers) statsPage(e *core.RequestEvent) error {
	a, err := h.consoleOf(e)
	if err != nil {
		return err
	}
	st, err := h.oa.Stats(e.Auth.Id, a.ID)
	if err != nil {
		return err
	}
	v := views.Stats{Nav: nav(a, "stats"), Followers: a.Followers}
	reads, followers, days := make([]int, len(st.Days)), make([]int, len(st.Days)), make([]string, len(st.Days))
	for i, d := range st.Days {
		v.Gained += d.Followed
		v.Lost += d.Lost
		v.Reads += d.Reads
		reads[i], followers[i], days[i] = d.Reads, d.Followers, d.Day
	}
	v.FollowBy = lineChart(web.T(e, "oa.chart_followers"), followers, days, func(day string, n int) string {
		return web.T(e, "oa.chart_day_followers", map[string]any{"day": day, "count": n})
	})
	v.FollowBy.Label = web.T(e, "oa.chart_followers_label", map[string]any{"count": a.Followers, "gained": v.Gained, "lost": v.Lost})
	v.ReadsBy = barChart(web.T(e, "oa.chart_reads"), reads, days, func(day string, n int) string {
		return web.T(e, "oa.chart_day_reads", map[string]any{"day": day, "count": n})
	})
	v.ReadsBy.Label = web.T(e, "oa.chart_reads_label", map[string]any{"count": v.Reads, "days": oa.StatsDays})
	top := 1
	for _, r := range st.Articles {
		top = max(top, r.Reads)
	}
	for _, r := range st.Articles {
		v.Articles = append(v.Articles, views.ArticleReads{Title: r.Title, URL: oa.ArticlePath(a.Handle, r.ID), Reads: r.Reads,
			Likes: r.Likes, Wows: r.Wows, Width: r.Reads * 100 / top})
	}
	return memberScreen(e, http.StatusOK, web.T(e, "oa.console_stats"), consoleBase(a.Handle), views.StatsView(v))
}

// scaleTop is the top of a chart's scale: the largest value, at least 1.
func scaleTop(values []int) int {
	top := 1
	for _, v := range values {
		top = max(top, v)
	}
	return top
}

// barChart draws values as bars, one a day; title names a bar.
func barChart(name string, values []int, days []string, title func(day string, n int) string) views.Chart {
	c := views.Chart{Title: name, W: chartW, H: chartH, Max: scaleTop(values)}
	if len(values) == 0 {
		return c
	}
	slot := chartW / len(values)
	for i, v := range values {
		bh := v * (chartH - 8) / c.Max
		if v > 0 && bh == 0 {
			bh = 1
		}
		c.Bars = append(c.Bars, views.Bar{X: i*slot + slot/6, Y: chartH - 1 - bh, W: slot - slot/3, H: bh, Title: title(days[i], v)})
	}
	c.First, c.Last = days[0], days[len(days)-1]
	return c
}

// lineChart draws values as a line through a point a day.
func lineChart(name string, values []int, days []string, title func(day string, n int) string) views.Chart {
	c := views.Chart{Title: name, W: chartW, H: chartH, Max: scaleTop(values)}
	if len(values) == 0 {
		return c
	}
	var pts []string
	step := chartW / max(1, len(values)-1)
	for i, v := range values {
		x, y := min(i*step, chartW), chartH-4-v*(chartH-12)/c.Max
		pts = append(pts, fmt.Sprintf("%d,%d", x, y))
		c.Dots = append(c.Dots, views.Dot{X: x, Y: y, Title: title(days[i], v)})
	}
	c.Line = strings.Join(pts, " ")
	c.First, c.Last = days[0], days[len(days)-1]
	return c
}
