package channelsweb

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// The creator's stats: 30 days of views and followers drawn as SVG by the
// server (no chart script), with the totals and the numbers as a table.

// Chart geometry: a viewBox the SVG stretches to the page's width.
const (
	chartW = 600
	chartH = 160
)

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
	v.ViewsBy = barChart(web.T(e, "channels.chart_views"), viewCounts, days, func(day string, n int) string {
		return web.T(e, "channels.chart_day_views", map[string]any{"day": day, "count": n})
	})
	v.ViewsBy.Label = web.T(e, "channels.chart_views_label", map[string]any{"count": st.Views, "days": channels.StatsDays})
	v.FollowBy = lineChart(web.T(e, "channels.chart_followers"), followers, days, func(day string, n int) string {
		return web.T(e, "channels.chart_day_followers", map[string]any{"day": day, "count": n})
	})
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
