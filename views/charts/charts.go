// Package charts draws the consoles' small day-by-day charts as SVG on the
// server (Channels' and Official Accounts' stats, the mini-program
// developer console): no script, a title on every mark, a label for screen
// readers.
package charts

import (
	"fmt"
	"strconv"
	"strings"
)

// The viewBox every chart is drawn in (stretched to the page's width).
const (
	W = 600
	H = 160
)

// Chart is one chart: bars, or a line through a dot a day.
type Chart struct {
	Title       string
	Label       string // for screen readers: what the chart says in words
	Scale       string // the caption of the scale's top ("max 12"), in the viewer's language
	W, H        int
	Bars        []Bar
	Line        string // the polyline's points
	Dots        []Dot
	First, Last string // the first and last day
}

// Bar is one bar of a chart.
type Bar struct {
	X, Y, W, H int
	Title      string
}

// Dot is one point of a line chart.
type Dot struct {
	X, Y  int
	Title string
}

// Top is the top of a scale: the largest value, at least 1.
func Top(values []int64) int64 {
	top := int64(1)
	for _, v := range values {
		top = max(top, v)
	}
	return top
}

// Bars draws values as bars, one a day (days are their labels, as many
// as values); title names the bar of day i.
func Bars(name string, values []int64, days []string, title func(i int) string) Chart {
	c := Chart{Title: name, W: W, H: H}
	if len(values) == 0 {
		return c
	}
	top := Top(values)
	slot := W / len(values)
	for i, v := range values {
		bh := int(v * (H - 8) / top)
		if v > 0 && bh == 0 {
			bh = 1
		}
		c.Bars = append(c.Bars, Bar{X: i*slot + slot/6, Y: H - 1 - bh, W: slot - slot/3, H: bh, Title: title(i)})
	}
	c.First, c.Last = days[0], days[len(days)-1]
	return c
}

// Line draws values as a line through a dot a day.
func Line(name string, values []int64, days []string, title func(i int) string) Chart {
	c := Chart{Title: name, W: W, H: H}
	if len(values) == 0 {
		return c
	}
	top := Top(values)
	var pts []string
	step := W / max(1, len(values)-1)
	for i, v := range values {
		x, y := min(i*step, W), H-4-int(v*(H-12)/top)
		pts = append(pts, fmt.Sprintf("%d,%d", x, y))
		c.Dots = append(c.Dots, Dot{X: x, Y: y, Title: title(i)})
	}
	c.Line = strings.Join(pts, " ")
	c.First, c.Last = days[0], days[len(days)-1]
	return c
}

// Ints are counts as chart values.
func Ints(ns []int) []int64 {
	out := make([]int64, len(ns))
	for i, n := range ns {
		out[i] = int64(n)
	}
	return out
}

func viewBox(w, h int) string { return "0 0 " + strconv.Itoa(w) + " " + strconv.Itoa(h) }

func itoa(n int) string { return strconv.Itoa(n) }
