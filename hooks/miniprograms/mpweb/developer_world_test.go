package mpweb_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/wallet"
)

// devWorld is a community seen from the developer console: Dev (who
// turns developer mode on in each test), Eve (a stranger to Dev's apps,
// in developer mode herself), Pat (a member who pays, with 50.00 and a
// PIN); nil is signed out.
type devWorld struct {
	t             *testing.T
	app           core.App
	h             http.Handler
	mp            *miniprograms.Service
	w             *wallet.Wallet
	dev, eve, pat *core.Record
}

const devAPI = "/api/plaza/mp/developer"

const devPatPIN = "246813"

func newDevWorld(t *testing.T) *devWorld {
	t.Helper()
	app := testapp.New(t)
	svc := testapp.Services(t, app)
	w := &devWorld{t: t, app: app, h: testapp.Handler(t, app), mp: svc.MP, w: svc.Wallet}
	w.dev, w.eve, w.pat = testapp.CreateMember(t, app, "dev_one"), testapp.CreateMember(t, app, "eve_two"), testapp.CreateMember(t, app, "pat_three")
	if err := w.mp.SetDeveloper(w.eve.Id, true); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(app, "pat_three", 50_00, "test"); err != nil {
		t.Fatal(err)
	}
	if err := w.w.SetPIN(w.pat.Id, devPatPIN); err != nil {
		t.Fatal(err)
	}
	return w
}

// devZip is a valid bundle of version v.
func devZip(t testing.TB, v string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"plaza.json": `{"name":"Dev shop","entry":"index.html","version":"` + v + `","permissions":["payment","storage","userInfo"]}`,
		"index.html": "<!doctype html><title>Dev shop</title><p>v" + v,
	} {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = f.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// devMultipart builds a form: fields, and files named "field:filename".
func devMultipart(t testing.TB, fields map[string]string, files ...devFile) (string, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), map[string]string{"Content-Type": mw.FormDataContentType()}
}

type devFile struct {
	field, name string
	data        []byte
}

// do sends a request as who (nil: signed out): JSON unless headers say.
func (w *devWorld) do(who *core.Record, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	w.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	if who != nil {
		h["Authorization"] = testapp.Token(w.t, who)
	}
	return testapp.Do(w.h, method, path, body, h)
}

// ok sends a request that must answer status, and decodes the answer.
func (w *devWorld) ok(status int, who *core.Record, method, path, body string) map[string]any {
	w.t.Helper()
	return w.decode(status, method+" "+path, w.do(who, method, path, body, nil))
}

func (w *devWorld) decode(status int, what string, rec *httptest.ResponseRecorder) map[string]any {
	w.t.Helper()
	if rec.Code != status {
		w.t.Fatalf("%s: %d, want %d: %s", what, rec.Code, status, rec.Body.String())
	}
	out := map[string]any{}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			w.t.Fatal(err)
		}
	}
	return out
}

// refused checks an error answer's status, code and (when field is set)
// data.<field>.code.
func (w *devWorld) refused(name string, rec *httptest.ResponseRecorder, status int, code, field, fieldCode string) {
	w.t.Helper()
	testapp.WantCode(w.t, name, rec.Code, rec.Body.String(), status, code, field, fieldCode)
}

// page GETs path as who and wants status; it returns the body.
func (w *devWorld) page(who *core.Record, path string, status int) string {
	w.t.Helper()
	rec := testapp.Do(w.h, http.MethodGet, path, "", map[string]string{"Cookie": testapp.SessionCookie(w.t, who)})
	if rec.Code != status {
		w.t.Fatalf("GET %s: %d, want %d: %.600s", path, rec.Code, status, rec.Body.String())
	}
	return rec.Body.String()
}

// form POSTs a form as who.
func (w *devWorld) form(who *core.Record, path string, form url.Values) *httptest.ResponseRecorder {
	w.t.Helper()
	return testapp.Do(w.h, http.MethodPost, path, form.Encode(), map[string]string{"Cookie": testapp.SessionCookie(w.t, who)})
}

// multipartForm POSTs a multipart form as who.
func (w *devWorld) multipartForm(who *core.Record, path string, fields map[string]string, files ...devFile) *httptest.ResponseRecorder {
	w.t.Helper()
	body, h := devMultipart(w.t, fields, files...)
	h["Cookie"] = testapp.SessionCookie(w.t, who)
	return testapp.Do(w.h, http.MethodPost, path, body, h)
}

// devRedirect wants a 303 to a location starting with prefix.
func devRedirect(t *testing.T, what string, rec *httptest.ResponseRecorder, prefix string) {
	t.Helper()
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("%s: %d, want a redirect: %.600s", what, rec.Code, rec.Body.String())
	}
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, prefix) {
		t.Fatalf("%s: to %q, want %q…", what, loc, prefix)
	}
}

// paidOrder is an order of appid that Pat paid.
func (w *devWorld) paidOrder(appid, no string, amount int64) {
	w.t.Helper()
	a, err := w.mp.Find(appid)
	if err != nil {
		w.t.Fatal(err)
	}
	u, err := w.mp.UserOf(a, w.pat.Id)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.mp.CreateOrder(a, miniprograms.OrderInput{OrderNo: no, OpenID: u.OpenID, Amount: amount, Description: "Latte"}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.mp.PayOrder(w.pat.Id, appid, no, "key-"+no+"-0001", devPatPIN); err != nil {
		w.t.Fatal(err)
	}
}

// review decides a version as a superuser does in /_/.
func (w *devWorld) review(id string, approve bool, reason string) {
	w.t.Helper()
	if err := miniprograms.Review(w.app, id, approve, reason); err != nil {
		w.t.Fatal(err)
	}
}

// devItems is the "items" list of an answer.
func devItems(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range m["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}
