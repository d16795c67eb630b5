package wallet_test

import (
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
	"plaza/hooks/wallet/split"
)

func cents(t *testing.T, s string) int64 {
	t.Helper()
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "¥"))
	c, err := wallet.ParseAmount(s)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return c
}

// TestBrowserWallet: in a group Ann sends a lucky red packet of ¥10.00 × 3
// (setting her pay PIN on the way); Bo and Cy open it and see their
// amounts and the claim list; Ann opens the last share, the luckiest is
// shown and the revealed seed reproduces every amount. Ann sends Bo a
// transfer and Bo accepts it. Bo scans Ann's collect code from a picture,
// types a wrong PIN (a clear error, nothing paid), then pays ¥3.50, and
// both find the receipts in Pay Notifications.
func TestBrowserWallet(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, cyRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "cy_chen")
	befriend(t, srv.App, annRec, boRec)
	befriend(t, srv.App, annRec, cyRec)
	group, err := testapp.Services(t, srv.App).Chat.CreateGroup(annRec.Id, "Hikers", []string{boRec.Id, cyRec.Id})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		id     string
		amount int64
	}{{"ann_lee", 100_00}, {"bo_wang", 50_00}} {
		if _, err := wallet.Mint(srv.App, m.id, m.amount, "e2e"); err != nil {
			t.Fatal(err)
		}
	}
	w := testapp.Services(t, srv.App).Wallet
	for _, m := range []string{boRec.Id, cyRec.Id} {
		if err := w.SetPIN(m, "135790"); err != nil {
			t.Fatal(err)
		}
	}

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	cy := b.NewPage(t)
	srv.SignIn(cy, "cy_chen", testapp.DefaultPassword)

	// The red packet: Ann has no PIN yet, sets one from the form and comes back.
	ann.Navigate(srv.URL + "/chats/" + group)
	ann.Click("[data-testid=send-packet]")
	ann.WaitVisible("[data-testid=packet-form] [data-testid=pin-missing]")
	ann.Click("[data-testid=pin-set-link]")
	ann.Fill("[data-testid=pin-new]", "246810")
	ann.Fill("[data-testid=pin-confirm]", "246810")
	ann.SubmitAndWait("[data-testid=pin-save]")
	ann.WaitVisible("[data-testid=packet-form] [data-testid=packet-send]:not([disabled])")
	ann.Fill("[data-testid=count-input]", "3")
	ann.Fill("[data-testid=amount-input]", "10.00")
	ann.Fill("#f-greeting", "Trail mix money")
	payWithPIN(t, ann, "[data-testid=packet-send]", "246810")
	ann.WaitVisible("[data-testid=msg-card][data-card-type=redpacket]")
	if got := ann.Text("[data-testid=msg-card][data-card-type=redpacket]"); !strings.Contains(got, "Trail mix money") {
		t.Fatalf("packet card: %q", got)
	}

	var total int64
	for i, p := range []*e2e.Page{bo, cy} {
		p.Navigate(srv.URL + "/chats/" + group)
		p.Click("[data-testid=msg-card][data-card-type=redpacket]")
		p.WaitVisible("[data-testid=packet-open]")
		p.SubmitAndWait("[data-testid=packet-open]")
		p.WaitVisible("[data-testid=packet-mine]")
		total += cents(t, p.Text("[data-testid=packet-mine]"))
		if rows := strings.Count(p.Text("[data-testid=claim-list]"), "¥"); rows != i+1 {
			t.Fatalf("claim list after %d claims shows %d rows", i+1, rows)
		}
	}
	if !strings.Contains(cy.Text("[data-testid=claim-list]"), "bo_wang") {
		t.Fatalf("Cy's claim list should show Bo: %q", cy.Text("[data-testid=claim-list]"))
	}
	ann.Click("[data-testid=msg-card][data-card-type=redpacket]")
	ann.SubmitAndWait("[data-testid=packet-open]")
	ann.WaitVisible("[data-testid=luckiest]")
	total += cents(t, ann.Text("[data-testid=packet-mine]"))
	if total != 10_00 {
		t.Fatalf("the three shares add up to %d cents", total)
	}
	// The revealed seed reproduces the amounts in claim order.
	ann.Click("[data-testid=fairness] summary")
	seed, err := hex.DecodeString(ann.Text("[data-testid=seed]"))
	if err != nil {
		t.Fatal(err)
	}
	if !split.Verify(seed, ann.Text("[data-testid=commitment]"), 10_00, 3) {
		t.Fatal("the seed does not match the commitment")
	}
	shares, _ := split.Lucky(seed, 10_00, 3)
	var amounts []string
	ann.Eval(`[...document.querySelectorAll("[data-testid=claim-amount]")].map(e => e.textContent)`, &amounts)
	for i, a := range amounts {
		if cents(t, a) != shares[i] {
			t.Fatalf("claim %d shows %s, the seed gives %d", i, a, shares[i])
		}
	}

	// A transfer in the 1:1 chat; Bo accepts it and Ann sees it live.
	ann.Navigate(srv.URL + "/chats/" + direct)
	ann.Click("[data-testid=send-transfer]")
	ann.Fill("[data-testid=amount-input]", "5.20")
	payWithPIN(t, ann, "[data-testid=transfer-send]", "246810")
	ann.WaitVisible("[data-testid=msg-card][data-card-type=transfer]")
	bo.Navigate(srv.URL + "/chats/" + direct)
	bo.Click("[data-testid=msg-card][data-card-type=transfer]")
	bo.SubmitAndWait("[data-testid=transfer-accept]")
	bo.WaitText("[data-testid=transfer-state]", "Accepted")
	ann.WaitVisible("[data-testid=msg-card][data-card-type=accepted]")

	// Bo scans Ann's collect code from a picture and pays ¥3.50.
	ann.Navigate(srv.URL + "/wallet/collect")
	ann.WaitVisible("[data-testid=collect-qr]")
	var b64 string
	ann.Eval(`(async () => {
		const res = await fetch(document.querySelector("[data-testid=collect-qr]").src);
		const bytes = new Uint8Array(await res.arrayBuffer());
		let s = ""; for (const b of bytes) s += String.fromCharCode(b);
		return btoa(s);
	})()`, &b64)
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(png) < 100 {
		t.Fatalf("collect QR: %d bytes, %v", len(png), err)
	}
	picture := filepath.Join(t.TempDir(), "ann-collect.png")
	if err := os.WriteFile(picture, png, 0o600); err != nil {
		t.Fatal(err)
	}
	bo.Navigate(srv.URL + "/scan")
	bo.WaitVisible("[data-scanner][data-ready] [data-testid=scan-camera]")
	bo.SetFiles("[data-testid=scan-file]", picture)
	bo.WaitVisible("[data-testid=pay-form]")
	if name := bo.Text("[data-testid=payee-name]"); name != "ann_lee" {
		t.Fatalf("payee %q", name)
	}
	boBefore, _ := wallet.Balance(srv.App, boRec.Id)
	bo.Fill("[data-testid=amount-input]", "3.50")
	payWithPIN(t, bo, "[data-testid=pay-send]", "000000")
	bo.WaitText("[data-testid=pin-sheet] [data-testid=error-pin]", "Wrong pay PIN")
	if after, _ := wallet.Balance(srv.App, boRec.Id); after != boBefore {
		t.Fatalf("a wrong PIN changed Bo's balance: %d → %d", boBefore, after)
	}
	enterPIN(t, bo, "135790") // the sheet is open again, the error in it
	bo.WaitText("[data-testid=bill-page] [data-testid=bill-amount]", "-3.50")
	if after, _ := wallet.Balance(srv.App, boRec.Id); after != boBefore-350 {
		t.Fatalf("Bo paid %d", boBefore-after)
	}
	for _, p := range []*e2e.Page{ann, bo} {
		p.Navigate(srv.URL + "/chats")
		var conv string
		p.Eval(`[...document.querySelectorAll("[data-testid=chat-row]")].find(r => r.textContent.includes("Pay Notifications"))?.dataset.conv || ""`, &conv)
		if conv == "" {
			t.Fatal("no Pay Notifications chat in the list")
		}
		p.Navigate(srv.URL + "/chats/" + conv)
		p.WaitText("[data-testid=msg-card]", "¥3.50")
		if p.Visible("[data-testid=composer]") {
			t.Fatal("Pay Notifications should have no composer")
		}
	}
	ann.WaitText("[data-testid=msg-card][data-card-type=received]", "bo_wang")
	bo.WaitText("[data-testid=msg-card][data-card-type=paid]", "ann_lee")

	r, err := wallet.Verify(srv.App)
	if err != nil || !r.OK() {
		t.Fatalf("verify: %v\n%s", err, r)
	}
}
