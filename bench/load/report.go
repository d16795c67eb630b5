package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is a run's figures, the targets next to them, and the
// integrity counters.
type Report struct {
	Host      string     `json:"host"`
	Elapsed   string     `json:"elapsed"`
	Rows      []Row      `json:"rows"`
	Targets   []Target   `json:"targets"`
	CPU       []CPUShare `json:"cpu"`
	Integrity Integrity  `json:"integrity"`
}

// Row is one measured series.
type Row struct {
	Scenario string  `json:"scenario"`
	What     string  `json:"what"`
	Conns    int     `json:"connections"`
	Samples  int     `json:"samples"`
	P50      float64 `json:"p50_ms,omitempty"`
	P99      float64 `json:"p99_ms,omitempty"`
	Max      float64 `json:"max_ms,omitempty"`
	Value    float64 `json:"value,omitempty"`
	Unit     string  `json:"unit,omitempty"`
}

// Target is one of the acceptance targets, judged.
type Target struct {
	Name     string `json:"name"`
	Measured string `json:"measured"`
	Limit    string `json:"limit"`
	Pass     bool   `json:"pass"`
	Note     string `json:"note,omitempty"`
}

func latencyRow(scenario, what string, m *measure) Row {
	return Row{Scenario: scenario, What: what, Conns: m.conns, Samples: m.N, P50: ms(m.P50), P99: ms(m.P99), Max: ms(m.Max)}
}

// report assembles what was measured so far.
func (r *runner) report(started time.Time) *Report {
	res, d := r.res, r.data
	rep := &Report{Host: hostInfo(), Elapsed: time.Since(started).Round(time.Second).String(), Integrity: r.col.integrity()}
	size := 0
	if d != nil {
		size = d.GroupSize
	}
	if res.fanWS != nil {
		rep.Rows = append(rep.Rows, latencyRow("a", fmt.Sprintf("socket fan-out: %d-member group × %d tabs, send → last receipt", size, r.cfg.Tabs), res.fanWS))
	}
	if res.fanSSE != nil {
		rep.Rows = append(rep.Rows, latencyRow("a", "PocketBase realtime (SSE): record create → last subscriber", res.fanSSE))
	}
	if res.burst != nil {
		rep.Rows = append(rep.Rows,
			latencyRow("b", fmt.Sprintf("%d groups × %d sending at once: each group's send → its last receipt", d.Groups, size), res.burst),
			latencyRow("b", "  … the slowest group of each round", res.burstRound))
	}
	if res.ack2 != nil {
		rep.Rows = append(rep.Rows,
			latencyRow("c", "sender's ack, 2-member group", res.ack2),
			latencyRow("c", fmt.Sprintf("sender's ack, %d-member group (all online, %d tabs)", size, r.cfg.Tabs), res.ack500))
	}
	if p := res.pairs; p != nil {
		conns := 2 * d.Pairs
		rep.Rows = append(rep.Rows,
			Row{Scenario: "d", What: fmt.Sprintf("1:1, %d pairs taking turns: sender's ack", d.Pairs), Conns: conns, Samples: p.ack.N,
				P50: ms(p.ack.P50), P99: ms(p.ack.P99), Max: ms(p.ack.Max)},
			Row{Scenario: "d", What: "  … send → both sockets; delivered messages per second", Conns: conns, Samples: p.trip.N,
				P50: ms(p.trip.P50), P99: ms(p.trip.P99), Max: ms(p.trip.Max), Value: p.rate(), Unit: "msg/s"})
	}
	if i := res.idle; i != nil {
		rep.Rows = append(rep.Rows, Row{Scenario: "e",
			What:  fmt.Sprintf("idle sockets: server VmRSS %.0f → %.0f → %.0f MiB", float64(i.before)/1024, float64(i.after1)/1024, float64(i.after2)/1024),
			Conns: i.sockets, Value: i.perSocketKB(), Unit: "KiB/socket"})
	}
	rep.Rows = append(rep.Rows, r.oaRows()...)
	rep.Targets = r.targets()
	rep.CPU = r.res.cpu
	return rep
}

// targets judges the acceptance targets against what was measured.
func (r *runner) targets() []Target {
	res := r.res
	var out []Target
	sized := func(t Target, got, want int) Target {
		if got != want {
			t.Note = fmt.Sprintf("measured at %d connections; the target is for %d", got, want)
		}
		return t
	}
	if res.fanWS != nil && res.fanSSE != nil {
		limit := res.fanSSE.P99 / 2
		out = append(out, sized(Target{Name: "(a) socket fan-out p99 ≤ 0.5 × SSE p99, same N",
			Measured: fmtMs(res.fanWS.P99), Limit: "≤ " + fmtMs(limit), Pass: res.fanWS.N > 0 && res.fanWS.P99 <= limit}, res.fanWS.conns, 1000))
	}
	if res.burst != nil {
		limit := 150 * time.Millisecond
		out = append(out, sized(Target{Name: "(b) p99 to last receipt, 10 groups × 500 at once",
			Measured: fmtMs(res.burst.P99), Limit: "≤ " + fmtMs(limit), Pass: res.burst.N > 0 && res.burst.P99 <= limit}, res.burst.conns, 5000))
	}
	if res.ack2 != nil && res.ack500 != nil {
		// p50: the send path must not depend on the group's size (issue 10:
		// ≤ 1.1×); p99 keeps the looser 1.5× (shared-core scheduling noise).
		for _, q := range []struct {
			name       string
			big, two   time.Duration
			num, denom time.Duration
			ratio      string
		}{{"p50", res.ack500.P50, res.ack2.P50, 11, 10, "1.1"}, {"p99", res.ack500.P99, res.ack2.P99, 3, 2, "1.5"}} {
			limit := q.two * q.num / q.denom
			out = append(out, sized(Target{Name: fmt.Sprintf("(c) sender's ack %s: 500-member ≤ %s × 2-member", q.name, q.ratio),
				Measured: fmtMs(q.big), Limit: "≤ " + fmtMs(limit), Pass: res.ack500.N > 0 && q.big <= limit}, res.ack500.conns, 1000))
		}
	}
	if i := res.idle; i != nil {
		out = append(out, sized(Target{Name: "(e) server memory per idle socket",
			Measured: fmt.Sprintf("%.1f KiB", i.perSocketKB()), Limit: "≤ 40 KiB", Pass: i.perSocketKB() <= 40}, i.sockets, 10000))
	}
	return append(out, r.oaTargets()...)
}

func fmtMs(d time.Duration) string { return fmt.Sprintf("%.2f ms", ms(d)) }

// Write prints the report as tables.
func (rep *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "Plaza socket load: %s, %s\n\n", rep.Host, rep.Elapsed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\twhat\tconns\tsamples\tp50 ms\tp99 ms\tmax ms\t")
	for _, r := range rep.Rows {
		lat := "\t\t\t"
		if r.Samples > 0 {
			lat = fmt.Sprintf("%.2f\t%.2f\t%.2f\t", r.P50, r.P99, r.Max)
		}
		extra := ""
		if r.Unit != "" {
			extra = fmt.Sprintf("%.1f %s", r.Value, r.Unit)
		}
		fmt.Fprintf(tw, "(%s)\t%s\t%d\t%d\t%s%s\n", r.Scenario, r.What, r.Conns, r.Samples, lat, extra)
	}
	tw.Flush()
	if len(rep.Targets) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "target\tmeasured\tlimit\tresult\t")
		for _, t := range rep.Targets {
			verdict := "PASS"
			if !t.Pass {
				verdict = "FAIL"
			}
			if t.Note != "" {
				verdict += " (" + t.Note + ")"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", t.Name, t.Measured, t.Limit, verdict)
		}
		tw.Flush()
	}
	if len(rep.CPU) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "timed part\twall s\tserver CPU s\ttool CPU s\tcores busy: server + tool\t")
		for _, c := range rep.CPU {
			cores := ""
			if c.Wall > 0 && c.ServerCPU >= 0 && c.ToolCPU >= 0 {
				cores = fmt.Sprintf("%.2f + %.2f", c.ServerCPU/c.Wall, c.ToolCPU/c.Wall)
			}
			fmt.Fprintf(tw, "%s\t%.1f\t%.2f\t%.2f\t%s\t\n", c.Part, c.Wall, c.ServerCPU, c.ToolCPU, cores)
		}
		tw.Flush()
	}
	i := rep.Integrity
	fmt.Fprintf(w, "\nintegrity: lost %d, duplicated %d, gaps %d, out of order %d, to non-members %d, dropped sockets %d, error frames %d; rate-limited sends retried: %d\n",
		i.Lost, i.Duplicated, i.Gaps, i.OutOfOrder, i.Unexpected, i.Dropped, i.Errors, i.Throttled)
	if len(i.Notes) > 0 {
		fmt.Fprintf(w, "first anomalies:\n  %s\n", strings.Join(i.Notes, "\n  "))
	}
}
