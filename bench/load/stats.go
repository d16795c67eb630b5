package main

import (
	"math"
	"slices"
	"time"
)

// Summary is a latency distribution: nearest-rank percentiles over the
// samples of one measurement.
type Summary struct {
	N    int
	P50  time.Duration
	P99  time.Duration
	Max  time.Duration
	Mean time.Duration
}

// summarize computes p50, p99, max and mean of samples (which it sorts).
func summarize(samples []time.Duration) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	slices.Sort(samples)
	var sum time.Duration
	for _, s := range samples {
		sum += s
	}
	return Summary{
		N:    len(samples),
		P50:  percentile(samples, 0.50),
		P99:  percentile(samples, 0.99),
		Max:  samples[len(samples)-1],
		Mean: sum / time.Duration(len(samples)),
	}
}

// percentile is the nearest-rank percentile q (0 < q ≤ 1) of sorted samples.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// ms is a duration in milliseconds, for tables and JSON.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// CPUShare is how busy the server and the load tool were during one timed
// part of a run: both share the machine's cores.
type CPUShare struct {
	Part      string  `json:"part"`
	Wall      float64 `json:"wall_s"`
	ServerCPU float64 `json:"server_cpu_s"`
	ToolCPU   float64 `json:"tool_cpu_s"`
}

// cpuMeter measures a CPUShare from start to stop.
type cpuMeter struct {
	pid          int
	wall         time.Time
	server, tool time.Duration
}

func startCPU(pid int) cpuMeter {
	return cpuMeter{pid: pid, wall: time.Now(), server: processCPU(pid), tool: processCPU(0)}
}

func (m cpuMeter) stop(part string) CPUShare {
	s := CPUShare{Part: part, Wall: time.Since(m.wall).Seconds(), ServerCPU: -1, ToolCPU: -1}
	if now := processCPU(m.pid); now >= 0 && m.server >= 0 {
		s.ServerCPU = (now - m.server).Seconds()
	}
	if now := processCPU(0); now >= 0 && m.tool >= 0 {
		s.ToolCPU = (now - m.tool).Seconds()
	}
	return s
}
