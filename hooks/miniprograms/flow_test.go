package miniprograms_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
)

func init() { wallet.PINCost = bcrypt.MinCost }

// testBundle is a valid bundle of version v asking for payment, storage
// and userInfo.
func testBundle(t testing.TB, v string) []byte {
	t.Helper()
	return bundleWith(t, v, `["payment","storage","userInfo"]`)
}

// bundleWith is a valid bundle of version v asking for perms (JSON).
func bundleWith(t testing.TB, v, perms string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"plaza.json": `{"name":"Shop","entry":"index.html","version":"` + v + `","permissions":` + perms + `}`,
		"index.html": "<!doctype html><title>Shop</title><p>hello",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// code is the stable code of a problem error ("" for nil or another error).
func code(err error) string {
	if p, ok := problem.As(err); ok {
		return p.Key
	}
	return ""
}

// liveApp makes dev's app with version 1.0.0 approved and released.
func liveApp(t *testing.T, app core.App, mp *miniprograms.Service, dev *core.Record, in miniprograms.AppInput) (miniprograms.App, string) {
	t.Helper()
	if err := mp.SetDeveloper(dev.Id, true); err != nil {
		t.Fatal(err)
	}
	a, secret, err := mp.CreateApp(dev.Id, in)
	if err != nil {
		t.Fatal(err)
	}
	v, err := mp.UploadVersion(dev.Id, a.AppID, testBundle(t, "1.0.0"), "first")
	if err != nil {
		t.Fatal(err)
	}
	if err := miniprograms.Review(app, v.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := mp.Release(dev.Id, a.AppID, v.ID); err != nil {
		t.Fatal(err)
	}
	a, err = mp.Find(a.AppID)
	if err != nil {
		t.Fatal(err)
	}
	return a, secret
}

func TestVersionsReviewReleaseRollback(t *testing.T) {
	app := testapp.New(t)
	mp := testapp.Services(t, app).MP
	dev, other := testapp.CreateMember(t, app, "dev001"), testapp.CreateMember(t, app, "oth001")
	in := miniprograms.AppInput{Name: "Shop", Category: "food"}
	if _, _, err := mp.CreateApp(dev.Id, in); code(err) != "mp.developer_only" {
		t.Fatalf("create without developer mode: %v", err)
	}
	a, secret := liveApp(t, app, mp, dev, in)
	if len(secret) != 64 || !a.Live() {
		t.Fatalf("secret %q live %v", secret, a.Live())
	}
	v2, err := mp.UploadVersion(dev.Id, a.AppID, testBundle(t, "1.1.0"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mp.UploadVersion(dev.Id, a.AppID, testBundle(t, "1.2.0"), ""); code(err) != "mp.review_pending" {
		t.Fatalf("second upload in review: %v", err)
	}
	if _, err := mp.UploadVersion(other.Id, a.AppID, testBundle(t, "1.2.0"), ""); code(err) != "mp.not_found" {
		t.Fatalf("another member uploads: %v", err)
	}
	if err := miniprograms.Review(app, v2.ID, false, ""); err == nil {
		t.Fatal("a rejection without a reason passed")
	}
	if err := mp.Release(dev.Id, a.AppID, v2.ID); code(err) != "mp.version_state" {
		t.Fatalf("release in review: %v", err)
	}
	// The unreviewed version's files need the preview token.
	if _, err := mp.BundleFile(a.AppID, v2.ID, "", "index.html"); code(err) != "mp.not_found" {
		t.Fatalf("unreviewed file without token: %v", err)
	}
	if f, err := mp.BundleFile(a.AppID, v2.ID, a.PreviewToken(v2.ID), ""); err != nil || f.ContentType != "text/html; charset=utf-8" {
		t.Fatalf("preview: %v %q", err, f.ContentType)
	}
	if err := miniprograms.Review(app, v2.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := miniprograms.Review(app, v2.ID, false, "late"); err == nil {
		t.Fatal("a decided version changed its status")
	}
	if err := mp.Release(dev.Id, a.AppID, v2.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := mp.BundleFile(a.AppID, a.Released, "", "plaza.json"); code(err) != "mp.not_found" {
		t.Fatalf("the manifest is served: %v", err)
	}
	if err := mp.Rollback(dev.Id, a.AppID); err != nil {
		t.Fatal(err)
	}
	if got, _ := mp.Find(a.AppID); got.Released != a.Released {
		t.Fatalf("rollback went to %s, want %s", got.Released, a.Released)
	}
	if err := mp.Rollback(dev.Id, a.AppID); code(err) != "mp.no_previous" {
		t.Fatalf("second rollback: %v", err)
	}
	if _, err := mp.RotateSecret(other.Id, a.AppID); code(err) != "mp.not_found" {
		t.Fatalf("another member rotates: %v", err)
	}
}

func TestLoginLaunchAndIdentity(t *testing.T) {
	app := testapp.New(t)
	mp := testapp.Services(t, app).MP
	dev, ann := testapp.CreateMember(t, app, "dev001"), testapp.CreateMember(t, app, "ann001")
	shop, secret := liveApp(t, app, mp, dev, miniprograms.AppInput{Name: "Shop", Category: "food"})
	poll, _ := liveApp(t, app, mp, dev, miniprograms.AppInput{Name: "Poll", Category: "tools"})
	l, err := mp.Open(ann.Id, shop, "card")
	if err != nil {
		t.Fatal(err)
	}
	if l.Sig != miniprograms.SignLaunch(secret, shop.AppID, l.OpenID, "card", l.TS) || l.OpenID == ann.Id {
		t.Fatalf("launch %+v", l)
	}
	code1, err := mp.Login(ann.Id, shop.AppID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mp.Exchange(poll, code1); code(err) != "mp.code_bad" {
		t.Fatalf("another app's code: %v", err)
	}
	s, err := mp.Exchange(shop, code1)
	if err != nil || s.OpenID != l.OpenID {
		t.Fatalf("exchange: %+v %v", s, err)
	}
	if _, err := mp.Exchange(shop, code1); code(err) != "mp.code_bad" {
		t.Fatalf("reused code: %v", err)
	}
	code2, _ := mp.Login(ann.Id, poll.AppID)
	s2, err := mp.Exchange(poll, code2)
	if err != nil || s2.OpenID == s.OpenID || s2.UnionID != s.UnionID {
		t.Fatalf("same developer: openids %s %s unionids %s %s (%v)", s.OpenID, s2.OpenID, s.UnionID, s2.UnionID, err)
	}
	code3, _ := mp.Login(ann.Id, shop.AppID)
	mp.SetClock(func() time.Time { return time.Now().Add(miniprograms.CodeTTL + time.Second) })
	if _, err := mp.Exchange(shop, code3); code(err) != "mp.code_bad" {
		t.Fatalf("expired code: %v", err)
	}
}

func TestStorageQuota(t *testing.T) {
	app := testapp.New(t)
	mp := testapp.Services(t, app).MP
	dev, ann := testapp.CreateMember(t, app, "dev001"), testapp.CreateMember(t, app, "ann001")
	a, _ := liveApp(t, app, mp, dev, miniprograms.AppInput{Name: "Shop", Category: "food"})
	big := string(bytes.Repeat([]byte("x"), miniprograms.StorageQuota-10))
	if _, err := mp.StorageSet(ann.Id, a.AppID, "a", big); err != nil {
		t.Fatal(err)
	}
	if _, err := mp.StorageSet(ann.Id, a.AppID, "b", "0123456789"); code(err) != "mp.storage_full" {
		t.Fatalf("over quota: %v", err)
	}
	if _, err := mp.StorageGet(ann.Id, a.AppID, "b"); code(err) != "mp.storage_missing" {
		t.Fatalf("refused value stored: %v", err)
	}
	use, err := mp.StorageSet(ann.Id, a.AppID, "a", "small") // replacing frees the old value
	if err != nil || use.Used != 6 || len(use.Keys) != 1 {
		t.Fatalf("replace: %+v %v", use, err)
	}
	// An app whose manifest did not ask for storage gets none (its
	// developer, previewing, may).
	v, err := mp.UploadVersion(dev.Id, a.AppID, bundleWith(t, "2.0.0", `[]`), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := miniprograms.Review(app, v.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := mp.Release(dev.Id, a.AppID, v.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := mp.StorageSet(ann.Id, a.AppID, "a", "x"); code(err) != "mp.permission_missing" {
		t.Fatalf("storage without the permission: %v", err)
	}
	if _, err := mp.StorageSet(dev.Id, a.AppID, "a", "x"); err != nil {
		t.Fatalf("the developer previewing: %v", err)
	}
}

func TestOrderPaymentCapAndRefund(t *testing.T) {
	app := testapp.New(t)
	p := testapp.Services(t, app)
	mp := p.MP
	dev, ann, bo := testapp.CreateMember(t, app, "dev001"), testapp.CreateMember(t, app, "ann001"), testapp.CreateMember(t, app, "bo0001")
	a, _ := liveApp(t, app, mp, dev, miniprograms.AppInput{Name: "Shop", Category: "food", DailyCap: 1000})
	if _, err := wallet.Mint(app, "ann001", 5000, "test"); err != nil {
		t.Fatal(err)
	}
	if err := p.Wallet.SetPIN(ann.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	u, err := mp.UserOf(a, ann.Id)
	if err != nil {
		t.Fatal(err)
	}
	o, err := mp.CreateOrder(a, miniprograms.OrderInput{OrderNo: "A1", OpenID: u.OpenID, Amount: 800, Description: "Latte"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mp.CreateOrder(a, miniprograms.OrderInput{OrderNo: "A1", OpenID: u.OpenID, Amount: 1, Description: "Latte"}); code(err) != "mp.order_exists" {
		t.Fatalf("order number reused: %v", err)
	}
	if _, err := mp.PayOrder(bo.Id, a.AppID, "A1", "key-000001", "135790"); code(err) != "mp.order_not_found" {
		t.Fatalf("another member pays: %v", err)
	}
	if _, err := mp.PayOrder(ann.Id, a.AppID, "A1", "key-000002", "000000"); code(err) != "wallet.pin_wrong" {
		t.Fatalf("wrong PIN: %v", err)
	}
	paid, err := mp.PayOrder(ann.Id, a.AppID, "A1", "key-000003", "135790")
	if err != nil || paid.Status != miniprograms.OrderPaid || paid.Amount != o.Amount {
		t.Fatalf("pay: %+v %v", paid, err)
	}
	if _, err := mp.PayOrder(ann.Id, a.AppID, "A1", "key-000004", "135790"); code(err) != "mp.order_paid" {
		t.Fatalf("paid twice: %v", err)
	}
	if _, err := mp.CreateOrder(a, miniprograms.OrderInput{OrderNo: "A2", OpenID: u.OpenID, Amount: 300, Description: "Cake"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mp.PayOrder(ann.Id, a.AppID, "A2", "key-000005", "135790"); code(err) != "wallet.merchant_cap" {
		t.Fatalf("over the daily cap: %v", err)
	}
	if _, err := mp.RefundOrder(a, "A1", 801); code(err) != "mp.refund_too_much" {
		t.Fatalf("refund more than paid: %v", err)
	}
	r, err := mp.RefundOrder(a, "A1", 800)
	if err != nil || r.Status != miniprograms.OrderRefunded || r.Refunded != 800 {
		t.Fatalf("refund: %+v %v", r, err)
	}
	if b, _ := wallet.Balance(app, ann.Id); b != 5000 {
		t.Fatalf("balance after refund %d, want 5000", b)
	}
	if rep, err := wallet.Verify(app); err != nil || !rep.OK() {
		t.Fatalf("verify: %v %v", rep, err)
	}
	var status int
	if _, err := mp.Payout(dev.Id, a.AppID, 1); err != nil {
		if pr, ok := problem.As(err); ok {
			status = pr.Status
		}
	}
	if status != http.StatusConflict {
		t.Fatalf("payout of an empty account: status %d", status)
	}
}
