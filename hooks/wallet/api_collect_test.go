package wallet_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
)

// TestCollectLinkAPI: GET /api/plaza/wallet/collect-link answers the
// signed link the Receive money page shows as a QR code (open, or with a
// fixed amount), which POST /api/plaza/wallet/pay accepts;
// POST …/collect-link/reset voids every earlier link.
func TestCollectLinkAPI(t *testing.T) {
	wd := newWorld(t)
	h := testapp.Handler(t, wd.app)
	call := func(token, method, path string) (int, map[string]any) {
		t.Helper()
		hdr := map[string]string{"Content-Type": "application/json"}
		if token != "" {
			hdr["Authorization"] = token
		}
		res := testapp.Do(h, method, path, "", hdr)
		out := map[string]any{}
		if res.Body.Len() > 0 {
			if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
				t.Errorf("%s %s: not JSON: %d %q", method, path, res.Code, res.Body.String())
			}
		}
		return res.Code, out
	}
	ann := testapp.Token(t, wd.ann)

	status, out := call(ann, "GET", "/api/plaza/wallet/collect-link")
	open, _ := out["link"].(string)
	if status != 200 || !strings.HasPrefix(open, "/pay/ann_lee?") || out["amount"] != float64(0) {
		t.Fatalf("open link: %d %v", status, out)
	}
	if u, _ := out["url"].(string); !strings.HasSuffix(u, open) || !strings.HasPrefix(u, "http") {
		t.Fatalf("url should be the full link the QR code holds: %v", out)
	}
	c, err := wd.w.ParseCollect(open)
	if err != nil || c.Payee.Id != wd.ann.Id || c.Amount != 0 {
		t.Fatalf("the open link does not verify: %+v %v", c, err)
	}
	// The same link the page's QR code holds.
	if want, err := wd.w.CollectLink(wd.ann.Id, 0); err != nil || want != open {
		t.Fatalf("the API link %q differs from the page's %q (%v)", open, want, err)
	}

	status, out = call(ann, "GET", "/api/plaza/wallet/collect-link?amount=1250")
	fixed, _ := out["link"].(string)
	if status != 200 || out["amount"] != float64(1250) {
		t.Fatalf("fixed link: %d %v", status, out)
	}
	if c, err := wd.w.ParseCollect(fixed); err != nil || c.Amount != 1250 {
		t.Fatalf("the fixed link does not carry its amount: %+v %v", c, err)
	}
	// The amount is signed: changing it breaks the link.
	if _, err := wd.w.ParseCollect(strings.Replace(fixed, "a=1250", "a=1", 1)); err == nil {
		t.Fatal("a changed amount still verifies")
	}

	// Bad amounts name the field; a guest is refused.
	for _, a := range []string{"abc", "0", "-5", "12.50", "99999999999999999999"} {
		status, out := call(ann, "GET", "/api/plaza/wallet/collect-link?amount="+a)
		wantError(t, "amount="+a, status, out, 400, "request.invalid", "amount", "wallet.amount_bad")
	}
	status, out = call("", "GET", "/api/plaza/wallet/collect-link")
	wantError(t, "a guest", status, out, 401, "auth.required", "", "")
	status, out = call("", "POST", "/api/plaza/wallet/collect-link/reset")
	wantError(t, "a guest resetting", status, out, 401, "auth.required", "", "")

	// Each member gets their own link: Bo's names Bo.
	if _, out := call(testapp.Token(t, wd.bo), "GET", "/api/plaza/wallet/collect-link"); !strings.HasPrefix(out["link"].(string), "/pay/bo_wang?") {
		t.Fatalf("Bo's link: %v", out)
	}

	// Reset: 204, the earlier links are revoked, a new one works.
	if status, out := call(ann, "POST", "/api/plaza/wallet/collect-link/reset"); status != http.StatusNoContent {
		t.Fatalf("reset: %d %v", status, out)
	}
	for _, l := range []string{open, fixed} {
		_, err := wd.w.ParseCollect(l)
		if p, ok := problem.As(err); !ok || p.Code() != "scan.revoked" {
			t.Errorf("%s after reset: %v", l, err)
		}
	}
	_, out = call(ann, "GET", "/api/plaza/wallet/collect-link")
	if l, _ := out["link"].(string); l == open {
		t.Fatal("reset did not change the link")
	} else if _, err := wd.w.ParseCollect(l); err != nil {
		t.Fatalf("the new link: %v", err)
	}
	// Bo's link is untouched by Ann's reset.
	_, out = call(testapp.Token(t, wd.bo), "GET", "/api/plaza/wallet/collect-link")
	if _, err := wd.w.ParseCollect(out["link"].(string)); err != nil {
		t.Fatalf("Bo's link after Ann's reset: %v", err)
	}
}
