package demo_test

import (
	"bytes"
	"encoding/base64"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"plaza/hooks/demo"
	"plaza/hooks/internal/e2e"
)

var makeClip = flag.Bool("demo.make-clip", false, "TestMakeDemoClip: record hooks/demo/assets/clip.webm again in headless Chromium")

// clipJS draws the demo clip on a canvas and records it with the browser's
// own MediaRecorder (VP8 in WebM): a morning river, the sun rising, three
// runners crossing the bridge, for demo.ClipMs. Frame 0 is what
// demo.ClipPoster draws in Go.
const clipJS = `(async () => {
	const W = __W__, H = __H__, MS = __MS__;
	const c = document.createElement("canvas"); c.width = W; c.height = H;
	const g = c.getContext("2d");
	const frame = (t) => {
		const k = t / MS;
		const sky = g.createLinearGradient(0, 0, 0, H * 0.6);
		sky.addColorStop(0, "#f6b26b"); sky.addColorStop(1, "#ffe6b3");
		g.fillStyle = sky; g.fillRect(0, 0, W, H * 0.6);
		g.fillStyle = "#ffd966"; g.beginPath(); g.arc(W * 0.7, H * (0.45 - 0.25 * k), 26, 0, 2 * Math.PI); g.fill();
		g.fillStyle = "#3d85c6"; g.fillRect(0, H * 0.6, W, H * 0.4);
		g.fillStyle = "#9fc5e8";
		for (let y = H * 0.64; y < H; y += 22) g.fillRect(((y * 7 + t / 8) % (W + 60)) - 60, y, 60, 3);
		g.fillStyle = "#5b3a29"; g.fillRect(0, H * 0.55, W, 10);
		for (let i = 0; i < 3; i++) {
			const x = ((k * 1.2 + i * 0.3) % 1.2) * W - 20, y = H * 0.55 - 18;
			g.fillStyle = ["#cc0000", "#07c160", "#576b95"][i];
			g.fillRect(x, y, 10, 18);
			g.beginPath(); g.arc(x + 5, y - 6, 5, 0, 2 * Math.PI); g.fill();
		}
	};
	frame(0);
	const rec = new MediaRecorder(c.captureStream(25), { mimeType: "video/webm;codecs=vp8", videoBitsPerSecond: 400000 });
	const parts = []; rec.ondataavailable = (e) => parts.push(e.data);
	const done = new Promise((r) => (rec.onstop = r));
	rec.start();
	const start = performance.now();
	while (performance.now() - start < MS) { frame(performance.now() - start); await new Promise((r) => setTimeout(r, 40)); }
	rec.stop(); await done;
	const buf = new Uint8Array(await new Blob(parts, { type: "video/webm" }).arrayBuffer());
	let s = ""; for (const b of buf) s += String.fromCharCode(b);
	return btoa(s);
})()`

// TestMakeDemoClip records the demo's video clip (hooks/demo/assets/
// clip.webm, embedded by hooks/demo/channels.go) in headless Chromium:
// nothing is downloaded and no ffmpeg is needed. It runs only when asked:
//
//	go test ./hooks/demo/ -run TestMakeDemoClip -demo.make-clip
//
// Its poster frame is not recorded: demo.ClipPoster draws it in Go.
func TestMakeDemoClip(t *testing.T) {
	if !*makeClip {
		t.Skip("records the demo clip again only with -demo.make-clip")
	}
	b := e2e.NewBrowser(t)
	p := b.NewPage(t, e2e.Timeout(30*time.Second))
	js := strings.NewReplacer("__W__", strconv.Itoa(demo.ClipWidth), "__H__", strconv.Itoa(demo.ClipHeight),
		"__MS__", strconv.Itoa(demo.ClipMs)).Replace(clipJS)
	var b64 string
	p.Eval(js, &b64)
	clip, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if len(clip) < 1000 || !bytes.HasPrefix(clip, []byte("\x1a\x45\xdf\xa3")) {
		t.Fatalf("not a WebM clip: %d bytes", len(clip))
	}
	path := filepath.Join("assets", "clip.webm")
	if err := os.WriteFile(path, clip, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s: %d bytes", path, len(clip))
}
