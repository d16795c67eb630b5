package mpweb_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/wallet"
)

// atkWorld is a Plaza with two mini programs of two developers (A and B,
// each released), and two members: alice (100.00 in her wallet, PIN
// atkPIN) and bob. The service's clock is the test's (move it with
// advance).
type atkWorld struct {
	app   *tests.TestApp
	h     http.Handler
	mp    *miniprograms.Service
	w     *wallet.Wallet
	alice *core.Record
	bob   *core.Record
	a, b  atkApp

	mu  sync.Mutex
	now time.Time
}

// atkApp is an app as its developer holds it: the app, its AppSecret and
// its released version.
type atkApp struct {
	miniprograms.App
	secret  string
	dev     *core.Record
	version miniprograms.Version
}

const atkPIN = "135790"

func newAtkWorld(t *testing.T, capA int64) *atkWorld {
	t.Helper()
	app := testapp.New(t)
	svc := testapp.Services(t, app)
	w := &atkWorld{app: app, h: testapp.Handler(t, app), mp: svc.MP, w: svc.Wallet, now: time.Now().UTC()}
	w.mp.SetClock(func() time.Time {
		w.mu.Lock()
		defer w.mu.Unlock()
		return w.now
	})
	w.alice = testapp.CreateMember(t, app, "alice_m")
	w.bob = testapp.CreateMember(t, app, "bob_mem")
	if _, err := wallet.Mint(app, "alice_m", 100_00, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(app, "bob_mem", 100_00, "test"); err != nil {
		t.Fatal(err)
	}
	if err := w.w.SetPIN(w.alice.Id, atkPIN); err != nil {
		t.Fatal(err)
	}
	w.a = w.newApp(t, "dev_aaa", "Shop A", capA)
	w.b = w.newApp(t, "dev_bbb", "Shop B", 0)
	return w
}

// advance moves the service's clock.
func (w *atkWorld) advance(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	w.mu.Unlock()
}

func (w *atkWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

// newApp registers an app of a new developer and releases a small bundle.
func (w *atkWorld) newApp(t *testing.T, devID, name string, dailyCap int64) atkApp {
	t.Helper()
	dev := testapp.CreateMember(t, w.app, devID)
	if err := w.mp.SetDeveloper(dev.Id, true); err != nil {
		t.Fatal(err)
	}
	a, secret, err := w.mp.CreateApp(dev.Id, miniprograms.AppInput{Name: name, Category: "food", DailyCap: dailyCap})
	if err != nil {
		t.Fatal(err)
	}
	k := atkApp{App: a, secret: secret, dev: dev}
	k.version = atkRelease(t, w.mp, w.app, dev.Id, a.AppID, map[string]string{"index.html": "<!doctype html><p>" + name})
	k.App, err = w.mp.Find(a.AppID)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// bundle is a zip of files with a plaza.json naming index.html.
func atkBundle(t testing.TB, version string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	manifest := `{"name":"Test","entry":"index.html","version":"` + version + `","permissions":["payment","storage"]}`
	all := map[string]string{"plaza.json": manifest}
	for n, b := range files {
		all[n] = b
	}
	for n, b := range all {
		f, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(b)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// release uploads files as a new version of the developer's app, has a
// superuser approve it and releases it.
func atkRelease(t testing.TB, mp *miniprograms.Service, app core.App, devID, appid string, files map[string]string) miniprograms.Version {
	t.Helper()
	v := atkUpload(t, mp, devID, appid, "1.0.0", files)
	if err := miniprograms.Review(app, v.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := mp.Release(devID, appid, v.ID); err != nil {
		t.Fatal(err)
	}
	return v
}

func atkUpload(t testing.TB, mp *miniprograms.Service, devID, appid, version string, files map[string]string) miniprograms.Version {
	t.Helper()
	v, err := mp.UploadVersion(devID, appid, atkBundle(t, version, files), "")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var atkNonceSeq struct {
	sync.Mutex
	n int
}

func atkNonce() string {
	atkNonceSeq.Lock()
	defer atkNonceSeq.Unlock()
	atkNonceSeq.n++
	return "nonce-" + strconv.Itoa(atkNonceSeq.n) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// atkCall is one server API call of an app's server.
type atkCall struct {
	appid, secret string
	method, path  string
	body          any
	ts            time.Time // zero: the service's clock
	nonce         string    // "": a fresh one
}

// server sends a signed server API call.
func (w *atkWorld) server(t *testing.T, c atkCall) *httptest.ResponseRecorder {
	t.Helper()
	var body []byte
	if c.body != nil {
		var err error
		if body, err = json.Marshal(c.body); err != nil {
			t.Fatal(err)
		}
	}
	if c.ts.IsZero() {
		c.ts = w.clock()
	}
	if c.nonce == "" {
		c.nonce = atkNonce()
	}
	ts := strconv.FormatInt(c.ts.Unix(), 10)
	req := httptest.NewRequest(c.method, c.path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Plaza-AppId", c.appid)
	req.Header.Set("X-Plaza-Timestamp", ts)
	req.Header.Set("X-Plaza-Nonce", c.nonce)
	req.Header.Set("X-Plaza-Signature", miniprograms.SignRequest(c.secret, c.method, c.path, ts, c.nonce, body))
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// as signs a call as the app's own server.
func (k atkApp) as(method, path string, body any) atkCall {
	return atkCall{appid: k.AppID, secret: k.secret, method: method, path: path, body: body}
}

// member sends a same-origin JSON call with the member's session cookie.
func (w *atkWorld) member(t *testing.T, m *core.Record, method, path string, body any, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var rd *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = strings.NewReader(string(b))
	} else {
		rd = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if m != nil {
		req.Header.Set("Cookie", testapp.SessionCookie(t, m))
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// wantCode checks an answer's status and problem code.
func atkWant(t *testing.T, what string, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != status || (code != "" && p.Code != code) {
		t.Errorf("%s: %d %s, want %d %s (body %s)", what, rec.Code, p.Code, status, code, rec.Body.String())
	}
}

// order creates an order of app k for member m through k's server.
func (w *atkWorld) order(t *testing.T, k atkApp, m *core.Record, no string, amount int64) miniprograms.Order {
	t.Helper()
	u, err := w.mp.UserOf(k.App, m.Id)
	if err != nil {
		t.Fatal(err)
	}
	o, err := w.mp.CreateOrder(k.App, miniprograms.OrderInput{OrderNo: no, OpenID: u.OpenID, Amount: amount, Description: "coffee"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// balances are alice's wallet and the merchant accounts of A and B.
func (w *atkWorld) balances(t *testing.T) [3]int64 {
	t.Helper()
	var out [3]int64
	var err error
	if out[0], err = wallet.Balance(w.app, w.alice.Id); err != nil {
		t.Fatal(err)
	}
	for i, k := range []atkApp{w.a, w.b} {
		if out[i+1], err = wallet.MerchantBalance(w.app, k.ID); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// verify checks the wallet's invariants.
func (w *atkWorld) verify(t *testing.T) {
	t.Helper()
	r, err := wallet.Verify(w.app)
	if err != nil || !r.OK() {
		t.Fatalf("wallet verify: %v %s", err, r)
	}
}
