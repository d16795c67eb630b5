package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const testPage = `<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>e2e</title></head>
<body>
<form id="form">
  <input id="name" name="name" type="text">
  <select id="colour"><option value="red">Red</option><option value="green">Green</option></select>
  <button id="show" type="button">Show</button>
  <button id="send" type="submit">Send</button>
  <input id="file" type="file">
</form>
<p id="out"></p>
<p id="events"></p>
<p id="submitted"></p>
<p id="filename"></p>
<p id="empty"></p>
<div id="hidden" style="display:none">secret</div>
<div id="ghost" style="visibility:hidden">ghost</div>
<button id="toggle" type="button">Toggle</button>
<script>
  const $ = (id) => document.getElementById(id);
  const seen = [];
  $("name").addEventListener("keyup", () => seen.push("keyup"));
  $("name").addEventListener("input", () => seen.push("input"));
  $("name").addEventListener("change", () => { seen.push("change"); $("events").textContent = seen.join(","); });
  $("show").addEventListener("click", () => { $("out").textContent = $("name").value; });
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    $("submitted").textContent = "submitted " + new FormData($("form"), e.submitter).get("name") + " via " + (e.submitter ? e.submitter.id : "none");
  });
  $("file").addEventListener("change", (e) => { $("filename").textContent = e.target.files[0].name; });
  $("toggle").addEventListener("click", () => setTimeout(() => {
    const h = $("hidden");
    h.style.display = h.style.display === "none" ? "block" : "none";
  }, 150));
</script>
</body></html>`

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, testPage)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "alice", Path: "/", HttpOnly: true})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><p id="who">signed in</p>`)
	})
	mux.HandleFunc("/whoami", func(w http.ResponseWriter, r *http.Request) {
		who := "anonymous"
		if c, err := r.Cookie("session"); err == nil {
			who = c.Value
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><p id="who">%s</p>`, who)
	})
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "pong") })
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv
}

func TestBrowser(t *testing.T) {
	srv := newTestServer(t)
	b := NewBrowser(t)

	t.Run("FormAndVisibility", func(t *testing.T) {
		p := b.NewPage(t)
		p.Navigate(srv.URL + "/")
		if got, want := p.URL(), srv.URL+"/"; got != want {
			t.Errorf("URL() = %q, want %q", got, want)
		}

		p.Fill("#name", "héllo wörld")
		p.Click("#show")
		p.WaitText("#out", "héllo wörld")
		if got := p.Text("#out"); got != "héllo wörld" {
			t.Errorf("Text(#out) = %q", got)
		}
		if got := p.Text("#events"); got == "" || got[len(got)-6:] != "change" {
			t.Errorf("events after Fill = %q, want key, input and change events", got)
		}
		var events []string
		p.Eval(`seen.filter((e, i, a) => a.indexOf(e) === i)`, &events)
		if fmt.Sprint(events) != "[input keyup change]" {
			t.Errorf("distinct events = %v, want [input keyup change]", events)
		}

		// Fill clears before typing.
		p.Fill("#name", "bob")
		p.Submit("#send")
		p.WaitText("#submitted", "submitted bob via send")

		p.Fill("#colour", "green")
		var colour string
		p.Eval(`document.querySelector("#colour").value`, &colour)
		if colour != "green" {
			t.Errorf("select value = %q, want green", colour)
		}

		if got := p.Attr("#name", "type"); got != "text" {
			t.Errorf(`Attr(#name, type) = %q, want "text"`, got)
		}
		if got := p.Attr("#name", "nope"); got != "" {
			t.Errorf(`Attr(#name, nope) = %q, want ""`, got)
		}

		for sel, want := range map[string]bool{
			"#show":    true,
			"#hidden":  false, // display:none
			"#ghost":   false, // visibility:hidden
			"#empty":   true,  // zero height but full width
			"#missing": false,
		} {
			if got := p.Visible(sel); got != want {
				t.Errorf("Visible(%q) = %v, want %v", sel, got, want)
			}
		}
		if got := p.Text("#hidden"); got != "secret" {
			t.Errorf("Text(#hidden) = %q, want the text of a hidden element", got)
		}
		p.Click("#toggle")
		p.WaitVisible("#hidden")
		p.Click("#toggle")
		p.WaitNotVisible("#hidden")
		p.WaitNotVisible("#missing")

		p.Eval(`document.title = "changed"`, nil)
		var title string
		p.Eval(`Promise.resolve(document.title)`, &title)
		if title != "changed" {
			t.Errorf("awaited Eval = %q, want changed", title)
		}
	})

	t.Run("SetFiles", func(t *testing.T) {
		p := b.NewPage(t)
		p.Navigate(srv.URL + "/")
		file := filepath.Join(t.TempDir(), "avatar.txt")
		if err := os.WriteFile(file, []byte("hi"), 0o644); err != nil {
			t.Fatal(err)
		}
		p.SetFiles("#file", file)
		p.WaitText("#filename", "avatar.txt")
	})

	t.Run("Viewport", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			opts []PageOption
			want int
		}{
			{"phone", []PageOption{Viewport(390, 844, true)}, 390},
			{"desktop", []PageOption{Viewport(1280, 800, false)}, 1280},
			{"default", nil, 1280},
		} {
			p := b.NewPage(t, tc.opts...)
			p.Navigate(srv.URL + "/")
			var width int
			p.Eval(`window.innerWidth`, &width)
			if width != tc.want {
				t.Errorf("%s: window.innerWidth = %d, want %d", tc.name, width, tc.want)
			}
		}
	})

	t.Run("IsolatedCookies", func(t *testing.T) {
		alice, anon := b.NewPage(t), b.NewPage(t)
		alice.Navigate(srv.URL + "/login")
		alice.WaitText("#who", "signed in")

		anon.Navigate(srv.URL + "/whoami")
		if got := anon.Text("#who"); got != "anonymous" {
			t.Errorf("second page is %q on the server, want anonymous", got)
		}
		for _, c := range anon.Cookies() {
			if c.Name == "session" {
				t.Errorf("second page has alice's cookie %q", c.Value)
			}
		}

		alice.Navigate(srv.URL + "/whoami")
		alice.WaitText("#who", "alice")
		found := false
		for _, c := range alice.Cookies() {
			found = found || (c.Name == "session" && c.Value == "alice" && c.HTTPOnly)
		}
		if !found {
			t.Errorf("Cookies() of the first page = %v, want session=alice", alice.Cookies())
		}
	})

	t.Run("ThrottleNetwork", func(t *testing.T) {
		p := b.NewPage(t)
		p.Navigate(srv.URL + "/")
		const fetchMillis = `(async () => { const t0 = performance.now(); await (await fetch("/ping", {cache: "no-store"})).text(); return performance.now() - t0; })()`
		p.ThrottleNetwork(0, 0, 400*time.Millisecond)
		var slow float64
		p.Eval(fetchMillis, &slow)
		if slow < 350 {
			t.Errorf("throttled fetch took %.0fms, want >= 400ms latency", slow)
		}
		p.Unthrottle()
		var fast float64
		p.Eval(fetchMillis, &fast)
		if fast >= 350 {
			t.Errorf("fetch after Unthrottle took %.0fms", fast)
		}
	})

	t.Run("Screenshots", func(t *testing.T) {
		p := b.NewPage(t)
		p.Navigate(srv.URL + "/")
		path := filepath.Join(t.TempDir(), "sub", "page.png")
		p.Screenshot(path)
		assertPNG(t, path)

		// The failure artefact, as the cleanup of a failed test saves it.
		t.Setenv("PLAZA_E2E_ARTIFACTS", t.TempDir())
		saved := p.saveFailureArtifacts()
		if want := filepath.Join(os.Getenv("PLAZA_E2E_ARTIFACTS"), sanitize(t.Name())); filepath.Dir(saved) != filepath.Dir(want) ||
			!bytes.HasPrefix([]byte(filepath.Base(saved)), []byte(filepath.Base(want)+"-")) {
			t.Errorf("failure screenshot at %q, want %s-<n>.png", saved, want)
		}
		assertPNG(t, saved)
	})
}

func assertPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("%s is not a PNG", path)
	}
}
