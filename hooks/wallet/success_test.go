package wallet_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// TestPaySuccessScreen: right after paying (the bill with ?paid=1, where
// POST /wallet/pay leads), the payer sees "Payment successful" with the
// payee and a Done button; the payee's bill, or a bill opened later, is
// the plain bill. Its time is written by the browser in local time.
func TestPaySuccessScreen(t *testing.T) {
	app := testapp.New(t)
	ann, bo := testapp.CreateMember(t, app, "ann_lee"), testapp.CreateMember(t, app, "bo_wang")
	if _, err := wallet.Mint(app, "bo_wang", 50_00, "test"); err != nil {
		t.Fatal(err)
	}
	w := testapp.Services(t, app).Wallet
	if err := w.SetPIN(bo.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	r, err := w.Pay(bo.Id, "success-test", wallet.Collect{Payee: ann}, 12_50, "", wallet.WithPIN("135790"))
	if err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, app)
	get := func(who string, path string) string {
		m := map[string]string{"ann": testapp.SessionCookie(t, ann), "bo": testapp.SessionCookie(t, bo)}[who]
		res := testapp.Do(h, http.MethodGet, path, "", map[string]string{"Cookie": m})
		if res.Code != http.StatusOK {
			t.Fatalf("%s %s: %d", who, path, res.Code)
		}
		return res.Body.String()
	}
	body := get("bo", "/wallet/bills/"+r.Entry+"?paid=1")
	for _, want := range []string{`data-testid="pay-success"`, "Payment successful", "ann_lee", `data-testid="pay-done"`, "data-local"} {
		if !strings.Contains(body, want) {
			t.Errorf("the payer's success screen lacks %s", want)
		}
	}
	if strings.Contains(get("bo", "/wallet/bills/"+r.Entry), `data-testid="pay-success"`) {
		t.Error("a bill opened later is not a success screen")
	}
	if strings.Contains(get("ann", "/wallet/bills/"+r.Entry+"?paid=1"), `data-testid="pay-success"`) {
		t.Error("the payee's bill is not the payer's success screen")
	}
}
