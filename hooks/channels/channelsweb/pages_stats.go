package channelsweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/web"
	views "plaza/views/channels"
	"plaza/views/charts"
)

// The creator's stats: 30 days of views and followers drawn as SVG by the
// server (no chart script), with the totals and the numbers as a table.

// statsPage is GET /channels/stats: the member's own channel's stats (one
// without a channel is sent to open one).
func (h handlers) statsPage(e *core.RequestEvent) error {
	st, err := h.ch.StatsOf(e.Auth.Id)
	if isGone(err) {
		return web.Redirect(e, "/channels/me")
	}
	if err != nil {
		return err
	}
	v := views.Stats{Channel: pageChannel(e, st.Channel, ""), Followers: st.Channel.Followers, Posts: st.Channel.Posts, Views: st.Views}
	viewCounts, followers := make([]int, len(st.Days)), make([]int, len(st.Days))
	for i, d := range st.Days {
		v.Gained += d.Followed
		v.Lost += d.Lost
		viewCounts[i], followers[i] = d.Views, d.Followers
		v.Days = append(v.Days, views.StatDay{Day: d.Day, Views: d.Views, Followers: d.Followers})
	}
	days := dayLabels(st.Days)
	v.ViewsBy = charts.Bars(web.T(e, "channels.chart_views"), charts.Ints(viewCounts), days, func(i int) string {
		return web.T(e, "channels.chart_day_views", map[string]any{"day": days[i], "count": viewCounts[i]})
	})
	v.ViewsBy.Scale = web.T(e, "channels.stats_max", map[string]any{"n": charts.Top(charts.Ints(viewCounts))})
	v.ViewsBy.Label = web.T(e, "channels.chart_views_label", map[string]any{"count": st.Views, "days": channels.StatsDays})
	v.FollowBy = charts.Line(web.T(e, "channels.chart_followers"), charts.Ints(followers), days, func(i int) string {
		return web.T(e, "channels.chart_day_followers", map[string]any{"day": days[i], "count": followers[i]})
	})
	v.FollowBy.Scale = web.T(e, "channels.stats_max", map[string]any{"n": charts.Top(charts.Ints(followers))})
	v.FollowBy.Label = web.T(e, "channels.chart_followers_label", map[string]any{"count": st.Channel.Followers,
		"gained": v.Gained, "lost": v.Lost})
	return memberScreen(e, http.StatusOK, web.T(e, "channels.stats"), "/channels/me", views.StatsView(v))
}

func dayLabels(days []channels.Day) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.Day
	}
	return out
}
