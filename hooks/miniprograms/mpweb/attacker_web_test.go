package mpweb_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
)

// get fetches path with the headers (a "Cookie" of the member's session
// when signed).
func (w *atkWorld) get(t *testing.T, path string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// TestAttackerBundleFiles: a bundle's files never carry a session (one
// sent is ignored, none is set) and always their sandbox CSP; a version
// that is not live is served only with its preview token.
func TestAttackerBundleFiles(t *testing.T) {
	w := newAtkWorld(t, 0)
	live := "/mp/" + w.a.AppID + "/v/" + w.a.version.ID + "/index.html"
	cookie := testapp.SessionCookie(t, w.alice)
	plain := w.get(t, live, nil)
	signed := w.get(t, live, map[string]string{"Cookie": cookie, "Sec-Fetch-Site": "same-origin", "Authorization": testapp.Token(t, w.alice)})
	if plain.Code != 200 || signed.Code != 200 || plain.Body.String() != signed.Body.String() || !strings.Contains(plain.Body.String(), "Shop A") {
		t.Fatalf("the live entry: %d %q, with a session %d %q", plain.Code, plain.Body, signed.Code, signed.Body)
	}
	for _, rec := range []*httptest.ResponseRecorder{plain, signed} {
		for k := range rec.Header() {
			if k != "Date" && rec.Header().Get(k) != plain.Header().Get(k) {
				t.Errorf("header %s differs with a session: %q vs %q", k, rec.Header().Get(k), plain.Header().Get(k))
			}
		}
		if c := rec.Header().Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("a bundle file sets a cookie: %q", c)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.HasPrefix(csp, "sandbox allow-scripts allow-forms;") || strings.Contains(csp, "allow-same-origin") ||
			!strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "connect-src 'none'") {
			t.Errorf("a bundle file's CSP: %q", csp)
		}
	}

	// Opened in the top window, a bundle's page would wear Plaza's address.
	top := w.get(t, live, map[string]string{"Cookie": cookie, "Sec-Fetch-Dest": "document"})
	if top.Code != http.StatusSeeOther || top.Header().Get("Location") != "/mp/"+w.a.AppID || len(top.Header().Values("Set-Cookie")) != 0 {
		t.Errorf("the entry as a top-level document: %d %q %q", top.Code, top.Header().Get("Location"), top.Header().Values("Set-Cookie"))
	}
	if framed := w.get(t, live, map[string]string{"Sec-Fetch-Dest": "iframe"}); framed.Code != 200 {
		t.Errorf("the entry in a frame: %d", framed.Code)
	}

	review := atkUpload(t, w.mp, w.a.dev.Id, w.a.AppID, "1.1.0", map[string]string{"index.html": "unreleased"})
	token := w.a.PreviewToken(review.ID)
	otherToken := w.a.PreviewToken(w.a.version.ID)
	for _, path := range []string{
		"/mp/" + w.a.AppID + "/v/" + review.ID + "/index.html",                          // not live
		"/mp/" + w.a.AppID + "/p/" + review.ID + "/index.html",                          // no token
		"/mp/" + w.a.AppID + "/p/" + review.ID + ".0123456789abcdef01234567/index.html", // a wrong token
		"/mp/" + w.a.AppID + "/p/" + review.ID + "." + otherToken + "/index.html",       // another version's token
		"/mp/" + w.b.AppID + "/p/" + review.ID + "." + token + "/index.html",            // under another app
		"/mp/" + w.b.AppID + "/v/" + w.a.version.ID + "/index.html",                     // A's live version under B
		"/mp/" + w.a.AppID + "/v/" + w.a.version.ID + "/plaza.json",                     // the manifest
		"/mp/" + w.a.AppID + "/v/" + w.a.version.ID + "/%2e%2e/%2e%2e/icon",
	} {
		rec := w.get(t, path, map[string]string{"Cookie": cookie})
		if rec.Code != 404 || len(rec.Header().Values("Set-Cookie")) != 0 || !strings.HasPrefix(rec.Header().Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%s: %d, Set-Cookie %q, CSP %q; want a cookieless sandboxed 404", path, rec.Code,
				rec.Header().Values("Set-Cookie"), rec.Header().Get("Content-Security-Policy"))
		}
	}
	preview := w.get(t, "/mp/"+w.a.AppID+"/p/"+review.ID+"."+token+"/index.html", nil)
	if preview.Code != 200 || preview.Body.String() != "unreleased" || preview.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("the preview with its token: %d %q %q", preview.Code, preview.Body, preview.Header().Get("Cache-Control"))
	}
}

// TestAttackerForeignJSON: the member's cookie on a call from a sandboxed
// frame (Origin "null") or another site authenticates nobody, even a GET;
// writes are refused and move no money; /ws refuses the opaque origin.
func TestAttackerForeignJSON(t *testing.T) {
	w := newAtkWorld(t, 0)
	w.order(t, w.a, w.alice, "A-1", 5_00)
	start := w.balances(t)
	base := "/api/plaza/mp/apps/" + w.a.AppID
	foreign := []map[string]string{
		{"Origin": "null", "Sec-Fetch-Site": ""},
		{"Origin": "null", "Sec-Fetch-Site": "cross-site"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
	}
	for _, path := range []string{base + "/storage", base + "/orders/A-1", base + "/profile", "/api/plaza/wallet"} {
		if rec := w.member(t, w.alice, "GET", path, nil, nil); rec.Code != 200 && rec.Code != 403 {
			t.Errorf("GET %s same-origin: %d (the control)", path, rec.Code)
		}
		for _, hd := range foreign {
			if rec := w.member(t, w.alice, "GET", path, nil, hd); rec.Code != 401 {
				t.Errorf("GET %s with %v: %d %s, want 401", path, hd, rec.Code, rec.Body)
			}
		}
	}
	type write struct {
		method, path string
		body         any
	}
	refuse := func(t *testing.T, writes ...write) {
		for _, c := range writes {
			for _, hd := range foreign {
				atkWant(t, c.method+" "+c.path+" from "+hd["Origin"]+"/"+hd["Sec-Fetch-Site"],
					w.member(t, w.alice, c.method, c.path, c.body, hd), 403, "request.cross_origin")
			}
		}
	}
	refuse(t, write{"POST", base + "/orders/A-1/pay", map[string]any{"pin": atkPIN, "key": "foreign-key-01"}},
		write{"POST", "/api/plaza/wallet/transfers", map[string]any{"to": w.bob.Id, "amount": 1_00, "pin": atkPIN}})
	refuse(t, write{"POST", base + "/login", map[string]any{}}, write{"PUT", base + "/storage/k", map[string]any{"value": "v"}},
		write{"POST", base + "/star", map[string]any{}}, write{"DELETE", base + "/profile", nil})
	if got := w.balances(t); got != start {
		t.Errorf("money moved: %v → %v", start, got)
	}
	if o, _ := w.mp.ServerOrder(w.a.App, "A-1"); o.Status != miniprograms.OrderCreated {
		t.Errorf("the order: %+v", o)
	}
	if use, _ := w.mp.StorageKeys(w.alice.Id, w.a.AppID); len(use.Keys) != 0 {
		t.Errorf("stored: %+v", use)
	}

	ws := w.get(t, "/ws", map[string]string{"Cookie": testapp.SessionCookie(t, w.alice), "Origin": "null",
		"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
	if ws.Code != http.StatusForbidden {
		t.Errorf("/ws from Origin null: %d %s, want 403", ws.Code, ws.Body)
	}
}

// TestAttackerStorageQuota: a value past the quota is 413
// mp.storage_full and nothing is stored.
func TestAttackerStorageQuota(t *testing.T) {
	w := newAtkWorld(t, 0)
	path := "/api/plaza/mp/apps/" + w.a.AppID + "/storage/"
	big := strings.Repeat("x", miniprograms.StorageQuota)
	atkWant(t, "64 KB and a key", w.member(t, w.alice, "PUT", path+"big", map[string]any{"value": big}, nil), 413, "mp.storage_full")
	chunk := strings.Repeat("y", 15_000)
	for i, want := range []int{200, 200, 200, 200, 413} {
		rec := w.member(t, w.alice, "PUT", path+"k"+string(rune('0'+i)), map[string]any{"value": chunk}, nil)
		if rec.Code != want {
			t.Errorf("the %d. 15 KB value: %d %s, want %d", i+1, rec.Code, rec.Body, want)
		}
	}
	use, err := w.mp.StorageKeys(w.alice.Id, w.a.AppID)
	if err != nil || len(use.Keys) != 4 || use.Used > miniprograms.StorageQuota {
		t.Errorf("stored: %+v %v", use, err)
	}
}
