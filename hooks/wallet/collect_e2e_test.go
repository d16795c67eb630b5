package wallet_test

import (
	"testing"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// TestBrowserCollectCodeAnnouncesPayments: Ann's collect code shows her
// name; while it is open, Bo pays her ¥12.50 and the page says "Received
// ¥12.50 from Bo Wang" at once, in a live region screen readers read out.
func TestBrowserCollectCodeAnnouncesPayments(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	annRec.Set("name", "Ann Lee")
	boRec.Set("name", "Bo Wang")
	if err := srv.App.Save(annRec); err != nil {
		t.Fatal(err)
	}
	if err := srv.App.Save(boRec); err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(srv.App, "bo_wang", 50_00, "e2e"); err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/wallet/collect")
	ann.WaitText("[data-testid=collect-payee]", "Ann Lee")
	if ann.Visible("[data-testid=collect-received]") {
		t.Fatal("nothing received yet")
	}
	if got := ann.Attr("[data-testid=collect-received]", "aria-live"); got != "assertive" {
		t.Fatalf("the announcement should be a live region, aria-live=%q", got)
	}
	ann.WaitChatSocket()

	w := testapp.Services(t, srv.App).Wallet
	if err := w.SetPIN(boRec.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Pay(boRec.Id, "collect-e2e", wallet.Collect{Payee: annRec}, 12_50, "", wallet.WithPIN("135790")); err != nil {
		t.Fatal(err)
	}
	ann.WaitText("[data-testid=collect-received]", "Received ¥12.50 from Bo Wang")
	for _, p := range ann.TakeProblems() {
		t.Errorf("browser: %s", p)
	}
}
