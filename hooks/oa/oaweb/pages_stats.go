package oaweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/oa"
	"plaza/hooks/web"
	"plaza/views/charts"
	views "plaza/views/oa"
)

// An account's stats: 30 days of followers and reads drawn as SVG by the
// server (no chart script), and each article's reads as a bar.

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
	v.FollowBy = charts.Line(web.T(e, "oa.chart_followers"), charts.Ints(followers), days, func(i int) string {
		return web.T(e, "oa.chart_day_followers", map[string]any{"day": days[i], "count": followers[i]})
	})
	v.FollowBy.Scale = web.T(e, "oa.stats_max", map[string]any{"n": charts.Top(charts.Ints(followers))})
	v.FollowBy.Label = web.T(e, "oa.chart_followers_label", map[string]any{"count": a.Followers, "gained": v.Gained, "lost": v.Lost})
	v.ReadsBy = charts.Bars(web.T(e, "oa.chart_reads"), charts.Ints(reads), days, func(i int) string {
		return web.T(e, "oa.chart_day_reads", map[string]any{"day": days[i], "count": reads[i]})
	})
	v.ReadsBy.Scale = web.T(e, "oa.stats_max", map[string]any{"n": charts.Top(charts.Ints(reads))})
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
