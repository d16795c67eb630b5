// Package browser_test holds Mini Programs' Chromium tests of the runtime's
// sandbox (issue 15's acceptance): its own package, so the shared browser
// starts once for them.
package browser_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/wallet"
)

// outcome is what the hostile script recorded of one attempt.
type outcome struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Error string          `json:"error"`
}

func (o outcome) String() string {
	if o.OK {
		return "succeeded: " + string(o.Value)
	}
	return "failed: " + o.Error
}

// zipOf is a bundle of files with its manifest (the hostile app's unless
// files has one).
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if _, ok := files["plaza.json"]; !ok {
		files["plaza.json"] = `{"name":"Hostile","entry":"index.html","version":"1.0.0","permissions":["payment","storage"]}`
	}
	for name, body := range files {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostile is the world of the test: the released hostile app, alice
// (10.00, PIN 135790) with an order H-1 of 5.00, bob with an order H-bob.
type hostile struct {
	srv   *e2e.Server
	mp    *miniprograms.Service
	app   miniprograms.App
	alice string
}

func setUp(t *testing.T) hostile {
	t.Helper()
	srv := e2e.StartServer(t)
	svc := testapp.Services(t, srv.App)
	alice, bob, dev := srv.Member(t, "alice_m"), srv.Member(t, "bob_mem"), srv.Member(t, "dev_host")
	if _, err := wallet.Mint(srv.App, "alice_m", 10_00, "e2e"); err != nil {
		t.Fatal(err)
	}
	if err := svc.Wallet.SetPIN(alice.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	mp := svc.MP
	if err := mp.SetDeveloper(dev.Id, true); err != nil {
		t.Fatal(err)
	}
	a, _, err := mp.CreateApp(dev.Id, miniprograms.AppInput{Name: "Hostile", Category: "food"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := mp.UploadVersion(dev.Id, a.AppID, zipOf(t, map[string]string{"index.html": hostileHTML, "hostile.js": hostileJS, "forge.js": forgeJS}), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := miniprograms.Review(srv.App, v.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := mp.Release(dev.Id, a.AppID, v.ID); err != nil {
		t.Fatal(err)
	}
	if a, err = mp.Find(a.AppID); err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		member, no string
		amount     int64
	}{{alice.Id, "H-1", 5_00}, {bob.Id, "H-bob", 3_00}} {
		u, err := mp.UserOf(a, o.member)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mp.CreateOrder(a, miniprograms.OrderInput{OrderNo: o.no, OpenID: u.OpenID, Amount: o.amount, Description: "coffee"}); err != nil {
			t.Fatal(err)
		}
	}
	return hostile{srv: srv, mp: mp, app: a, alice: alice.Id}
}

// outcomes waits for the hostile script to finish and reads what it
// recorded, from the frame's DOM.
func outcomes(t *testing.T, p *e2e.Page) map[string]outcome {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var done string
		p.EvalInFrame("[data-testid=mp-frame]", `(document.body && document.body.dataset.done) || ""`, &done)
		if done == "1" {
			break
		}
		if time.Now().After(deadline) {
			var partial string
			p.EvalInFrame("[data-testid=mp-frame]", `(document.getElementById("results") || {}).textContent || ""`, &partial)
			t.Fatalf("the hostile script did not finish; it recorded %s", partial)
		}
		time.Sleep(200 * time.Millisecond)
	}
	var raw string
	p.EvalInFrame("[data-testid=mp-frame]", `document.getElementById("results").textContent`, &raw)
	out := map[string]outcome{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatalf("the outcomes %q: %v", raw, err)
	}
	return out
}

// TestSandboxHostileBundle: a released app's script tries every way out
// of its sandbox while a member with money and a PIN has it open. Each
// attempt fails, the host's page stays where it is, no money moves, the
// order stays unpaid and the app stores nothing past its quota.
func TestSandboxHostileBundle(t *testing.T) {
	b := e2e.NewBrowser(t)
	h := setUp(t)
	p := b.NewPage(t)
	h.srv.SignIn(p, "alice_m", testapp.DefaultPassword)
	before, err := wallet.Balance(h.srv.App, h.alice)
	if err != nil {
		t.Fatal(err)
	}
	hostURL := h.srv.URL + "/mp/" + h.app.AppID + "?scene=directory"
	p.Navigate(hostURL)
	p.WaitVisible("[data-testid=mp-frame]")
	if got := p.Attr("[data-testid=mp-frame]", "sandbox"); got != "allow-scripts allow-forms" {
		t.Errorf("the frame's sandbox is %q, want exactly \"allow-scripts allow-forms\"", got)
	}
	out := outcomes(t, p)
	t.Logf("outcomes: %v", out)
	checkOutcomes(t, out)

	if got := p.URL(); got != hostURL {
		t.Errorf("the host page moved to %s", got)
	}
	var host struct {
		Ignored string `json:"ignored"`
		Calls   string `json:"calls"`
		PayOpen bool   `json:"payOpen"`
	}
	p.Eval(`({ignored: document.querySelector("[data-testid=mp-frame]").dataset.mpIgnored || "0",
		calls: document.querySelector("[data-testid=mp-frame]").dataset.mpCalls || "0",
		payOpen: document.querySelector("[data-mp-pay-sheet]").open})`, &host)
	if host.Ignored != "3" {
		t.Errorf("the host ignored %s messages, want the 3 forged ones", host.Ignored)
	}
	// The app's own checked calls: 2 payments, 5 storage.set within 16 KB
	// and storage.keys (the 70 KB one is refused before it counts); none
	// of the forged ones ran.
	if host.Calls != "8" {
		t.Errorf("the host ran %s calls, want the app's own 8", host.Calls)
	}
	if host.PayOpen {
		t.Error("the host's pay sheet is open")
	}
	after, _ := wallet.Balance(h.srv.App, h.alice)
	merchant, _ := wallet.MerchantBalance(h.srv.App, h.app.ID)
	if after != before || merchant != 0 {
		t.Errorf("money moved: alice %d → %d, the app's account %d", before, after, merchant)
	}
	if o, err := h.mp.ServerOrder(h.app, "H-1"); err != nil || o.Status != miniprograms.OrderCreated {
		t.Errorf("order H-1: %+v %v", o, err)
	}
	use, err := h.mp.StorageKeys(h.alice, h.app.AppID)
	if err != nil || !slices.Equal(use.Keys, []string{"k0", "k1", "k2", "k3"}) || use.Used > miniprograms.StorageQuota {
		t.Errorf("the app's storage: %+v %v", use, err)
	}
	// The bundle's page opened in the top window lands on the host page.
	var src string
	p.Eval(`document.querySelector("[data-testid=mp-frame]").src`, &src)
	p.Navigate(strings.SplitN(src, "#", 2)[0])
	if got := p.URL(); got != h.srv.URL+"/mp/"+h.app.AppID {
		t.Errorf("the bundle's entry opened in the top window shows %s", got)
	}
	if r, err := wallet.Verify(h.srv.App); err != nil || !r.OK() {
		t.Errorf("wallet verify: %v %s", err, r)
	}
}

// checkOutcomes asserts each attempt of the hostile script failed as it
// must.
func checkOutcomes(t *testing.T, out map[string]outcome) {
	t.Helper()
	get := func(name string) outcome {
		o, ok := out[name]
		if !ok {
			t.Errorf("%s: no outcome recorded", name)
		}
		return o
	}
	if o := get("launch"); !o.OK {
		t.Errorf("the bridge did not start (no launch): %v", o)
	}
	if o := get("cookie"); o.OK && string(o.Value) != `""` {
		t.Errorf("document.cookie %v", o)
	}
	for _, name := range []string{"localStorage", "sessionStorage", "indexedDB", "topLocation", "topDocument", "parentDocument", "webSocket"} {
		if o := get(name); o.OK {
			t.Errorf("%s %v", name, o)
		}
	}
	for _, name := range []string{"fetchWallet", "postTransfer", "fetchMPOrder", "fakeSheetFetch"} {
		o := get(name)
		var s string
		_ = json.Unmarshal(o.Value, &s)
		if o.OK && !strings.HasPrefix(s, "401 ") && !strings.HasPrefix(s, "403 ") {
			t.Errorf("%s %v", name, o)
		}
	}
	if o := get("windowOpen"); o.OK && string(o.Value) != `"null"` {
		t.Errorf("window.open %v", o)
	}
	var forged struct {
		Sent    bool     `json:"sent"`
		Replies []string `json:"replies"`
	}
	if o := get("forge"); !o.OK || json.Unmarshal(o.Value, &forged) != nil || !forged.Sent || len(forged.Replies) != 0 {
		t.Errorf("forged calls from a nested frame: %v", o)
	}
	for name, code := range map[string]string{"wrongAmount": "mp.amount_mismatch", "othersOrder": "mp.order_not_found",
		"bigValue": "mp.bad_call", "fill4": "mp.storage_full"} {
		if o := get(name); o.OK || o.Error != code {
			t.Errorf("%s %v, want %s", name, o, code)
		}
	}
	var blocked []string
	if o := get("violations"); json.Unmarshal(o.Value, &blocked) != nil {
		t.Errorf("violations %v", o)
	}
	for _, want := range []string{"connect-src /api/plaza/wallet", "connect-src /api/plaza/wallet/transfers", "connect-src /ws",
		"form-action /api/plaza/mp/apps/"} {
		dir, path, _ := strings.Cut(want, " ")
		if !slices.ContainsFunc(blocked, func(v string) bool { return strings.HasPrefix(v, dir+" ") && strings.Contains(v, path) }) {
			t.Errorf("the CSP did not report blocking %s (it reported %q)", want, blocked)
		}
	}
	for i := range 4 {
		if o := get("fill" + string(rune('0'+i))); !o.OK {
			t.Errorf("storing 15 KB value %d within the quota: %v", i, o)
		}
	}
}
