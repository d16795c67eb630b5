package mpweb_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
)

// dirWorld is a community seen through the directory: Dev is a developer,
// Bo and Cy are friends, Eve is a stranger to both.
type dirWorld struct {
	t                *testing.T
	app              core.App
	h                http.Handler
	mp               *miniprograms.Service
	dev, bo, cy, eve *core.Record
}

func newDirWorld(t *testing.T) *dirWorld {
	t.Helper()
	app := testapp.New(t)
	w := &dirWorld{t: t, app: app, h: testapp.Handler(t, app), mp: testapp.Services(t, app).MP}
	w.dev, w.bo = testapp.CreateMember(t, app, "dev001"), testapp.CreateMember(t, app, "bo0001")
	w.cy, w.eve = testapp.CreateMember(t, app, "cy0001"), testapp.CreateMember(t, app, "eve001")
	testapp.Befriend(t, app, w.bo, w.cy)
	if err := w.mp.SetDeveloper(w.dev.Id, true); err != nil {
		t.Fatal(err)
	}
	return w
}

// dirZip is a bundle: plaza.json and index.html (body as its page).
func dirZip(t testing.TB, name, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	m, _ := json.Marshal(map[string]any{"name": name, "entry": "index.html", "version": "1.0.0", "permissions": []string{}})
	for n, data := range map[string][]byte{"plaza.json": m, "index.html": []byte(body)} {
		f, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeApp is Dev's app with a version 1.0.0 approved, released when live.
func (w *dirWorld) makeApp(name, category, desc string, live bool, extra func(in *miniprograms.AppInput)) miniprograms.App {
	w.t.Helper()
	in := miniprograms.AppInput{Name: name, Category: category, Description: desc}
	if extra != nil {
		extra(&in)
	}
	a, _, err := w.mp.CreateApp(w.dev.Id, in)
	if err != nil {
		w.t.Fatal(err)
	}
	v, err := w.mp.UploadVersion(w.dev.Id, a.AppID, dirZip(w.t, name, "<!doctype html><title>"+name+"</title><p>hi</p>"), "")
	if err != nil {
		w.t.Fatal(err)
	}
	if err := miniprograms.Review(w.app, v.ID, true, ""); err != nil {
		w.t.Fatal(err)
	}
	if live {
		if err := w.mp.Release(w.dev.Id, a.AppID, v.ID); err != nil {
			w.t.Fatal(err)
		}
	}
	if a, err = w.mp.Find(a.AppID); err != nil {
		w.t.Fatal(err)
	}
	return a
}

func (w *dirWorld) file(name string, data []byte) *filesystem.File {
	w.t.Helper()
	f, err := filesystem.NewFileFromBytes(data, name)
	if err != nil {
		w.t.Fatal(err)
	}
	return f
}

// get sends a GET as who (nil: signed out).
func (w *dirWorld) get(who *core.Record, path string) *httptest.ResponseRecorder {
	w.t.Helper()
	h := map[string]string{}
	if who != nil {
		h["Cookie"] = testapp.SessionCookie(w.t, who)
	}
	return testapp.Do(w.h, http.MethodGet, path, "", h)
}

// page GETs path as who and wants status; it returns the body.
func (w *dirWorld) page(who *core.Record, path string, status int) string {
	w.t.Helper()
	rec := w.get(who, path)
	if rec.Code != status {
		w.t.Fatalf("GET %s: %d, want %d: %.600s", path, rec.Code, status, rec.Body.String())
	}
	return rec.Body.String()
}

// form POSTs a form as who.
func (w *dirWorld) form(who *core.Record, path string, form url.Values) *httptest.ResponseRecorder {
	w.t.Helper()
	return testapp.Do(w.h, http.MethodPost, path, form.Encode(), map[string]string{"Cookie": testapp.SessionCookie(w.t, who)})
}

// api sends JSON as who and decodes the answer into out (when not nil).
func (w *dirWorld) api(who *core.Record, method, path, body string, status int, out any) *httptest.ResponseRecorder {
	w.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if who != nil {
		h["Authorization"] = testapp.Token(w.t, who)
	}
	rec := testapp.Do(w.h, method, path, body, h)
	if rec.Code != status {
		w.t.Fatalf("%s %s: %d, want %d: %.600s", method, path, rec.Code, status, rec.Body.String())
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			w.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return rec
}

// dirRedirects wants a 303 (or 302) to a location starting with prefix;
// it returns the location.
func dirRedirects(t *testing.T, what string, rec *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	if rec.Code != http.StatusSeeOther && rec.Code != http.StatusFound {
		t.Fatalf("%s: %d, want a redirect: %.400s", what, rec.Code, rec.Body.String())
	}
	loc := rec.Header().Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: to %q, want %q…", what, loc, prefix)
	}
	return loc
}

// dirLaunch is the host page's signed launch (data-mp-launch).
func dirLaunch(t *testing.T, body string) url.Values {
	t.Helper()
	_, rest, ok := strings.Cut(body, `data-mp-launch="`)
	if !ok {
		t.Fatalf("no launch on the host page: %.400s", body)
	}
	raw, _, _ := strings.Cut(rest, `"`)
	v, err := url.ParseQuery(strings.ReplaceAll(raw, "&amp;", "&"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// dirRows are the appids of a list's rows (data-testid), in order.
func dirRows(body, testid string) []string {
	_, rest, ok := strings.Cut(body, `data-testid="`+testid+`"`)
	if !ok {
		return nil
	}
	list, _, _ := strings.Cut(rest, "</ul>")
	var out []string
	for _, part := range strings.Split(list, `data-appid="`)[1:] {
		id, _, _ := strings.Cut(part, `"`)
		out = append(out, id)
	}
	return out
}
