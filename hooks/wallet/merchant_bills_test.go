package wallet_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
)

// TestMerchantBillPages: the bills list (all and the payments filter), one
// bill and the CSV name the mini program, not a member, and show the
// order's description as the memo.
func TestMerchantBillPages(t *testing.T) {
	wd := newWorld(t)
	wd.mint(t, wd.ann, 10_000)
	r, err := wd.payShop(wd.ann.Id, wd.key(), 1_500, 0, nil, wd.pinFor(wd.ann.Id))
	if err != nil {
		t.Fatal(err)
	}
	refund, err := wd.w.RefundMerchant(shop, wd.ann.Id, r.Entry, 500, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, wd.app)
	cookie := map[string]string{"Cookie": testapp.SessionCookie(t, wd.ann)}
	month := wd.now.Format("2006-01")
	for _, k := range []string{"", "pay"} {
		res := testapp.Do(h, http.MethodGet, "/wallet/bills?m="+month+"&k="+k, "", cookie)
		body := res.Body.String()
		if res.Code != http.StatusOK || strings.Count(body, shop.Name) != 2 || !strings.Contains(body, "Mini Program payment") ||
			!strings.Contains(body, "Mini Program refund") {
			t.Fatalf("bills page k=%q: %d\n%s", k, res.Code, body)
		}
	}
	for entry, want := range map[string]string{r.Entry: "-15.00", refund: "+5.00"} {
		res := testapp.Do(h, http.MethodGet, "/wallet/bills/"+entry, "", cookie)
		body := res.Body.String()
		if res.Code != http.StatusOK || !strings.Contains(body, shop.Name) || !strings.Contains(body, "Latte ×2") || !strings.Contains(body, want) {
			t.Fatalf("bill %s: %d\n%s", entry, res.Code, body)
		}
	}
	res := testapp.Do(h, http.MethodGet, "/wallet/bills.csv?m="+month, "", cookie)
	if csv := res.Body.String(); res.Code != http.StatusOK || !strings.Contains(csv, "mp_pay,"+shop.Name+",-15.00,") ||
		!strings.Contains(csv, "mp_refund,"+shop.Name+",5.00,") || !strings.Contains(csv, "Latte ×2") {
		t.Fatalf("csv: %d\n%s", res.Code, csv)
	}
}
