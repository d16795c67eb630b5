package wallet_test

import (
	"strings"
	"testing"
	"time"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// TestBrowserMoneyCardsShowTheirState: Ann sends Bo a red packet and a
// transfer in their chat and keeps the chat open. Bo opens the packet:
// on Ann's screen, without a reload, the packet card fades and says
// "Opened" and the notice "Bo opened your red packet" appears (Bo reads
// "You opened ann_lee's red packet"). Bo accepts the transfer: its card
// says "Accepted" on both screens. The chat list previews read
// "[Red Packet] greeting" and "[Transfer] ¥…".
func TestBrowserMoneyCardsShowTheirState(t *testing.T) {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	befriend(t, srv.App, annRec, boRec)
	boRec.Set("name", "Bo")
	if err := srv.App.Save(boRec); err != nil {
		t.Fatal(err)
	}
	direct, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wallet.Mint(srv.App, "ann_lee", 100_00, "e2e"); err != nil {
		t.Fatal(err)
	}
	w := testapp.Services(t, srv.App).Wallet
	if err := w.SetPIN(annRec.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	packet, err := w.SendPacket(annRec.Id, "cards-e2e-packet", wallet.PacketInput{Conversation: direct, Kind: wallet.PacketLucky,
		Amount: 6_66, Count: 1, Greeting: "Lucky money"}, wallet.WithPIN("135790"))
	if err != nil {
		t.Fatal(err)
	}

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats")
	bo.WaitText("[data-testid=chat-row][data-conv='"+direct+"'] [data-preview]", "[Red Packet] Lucky money")

	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats/" + direct)
	card := "[data-testid=msg-card][data-ref='" + packet.ID + "']"
	ann.WaitVisible(card)
	if ann.Attr(card, "data-card-state") != "" || ann.Text(card+" [data-testid=card-state]") != "" {
		t.Fatal("an unopened packet has no state")
	}
	ann.WaitChatSocket()

	bo.Navigate(srv.URL + "/chats/" + direct)
	bo.Click(card)
	bo.WaitVisible("[data-testid=packet-open]")
	bo.SubmitAndWait("[data-testid=packet-open]")
	bo.WaitVisible("[data-testid=packet-mine]")

	// Live on Ann's screen: the card fades and says Opened; the notice.
	ann.WaitText(card+" [data-testid=card-state]", "Opened")
	if got := ann.Attr(card, "data-card-state"); got != "opened" {
		t.Fatalf("card state %q", got)
	}
	var faded bool
	ann.Eval(`document.querySelector("`+strings.ReplaceAll(card, `"`, `\"`)+`").classList.contains("opacity-60")`, &faded)
	if !faded {
		t.Fatal("the opened packet's card should fade")
	}
	ann.WaitText("[data-testid=messages] [data-notice]:last-of-type", "Bo opened your red packet")

	// Bo's chat, reloaded: his side of the notice, his card says Opened.
	bo.Navigate(srv.URL + "/chats/" + direct)
	bo.WaitText("[data-testid=messages]", "You opened ann_lee's red packet")
	bo.WaitText(card+" [data-testid=card-state]", "Opened")

	// A transfer, accepted: Accepted on both screens, live for Ann.
	tr, err := w.SendTransfer(annRec.Id, "cards-e2e-transfer", wallet.TransferInput{Conversation: direct, Amount: 12_00, Note: "Lunch"}, wallet.WithPIN("135790"))
	if err != nil {
		t.Fatal(err)
	}
	tcard := "[data-testid=msg-card][data-card-type=transfer][data-ref='" + tr.ID + "']"
	ann.WaitVisible(tcard)
	if _, err := w.AcceptTransfer(boRec.Id, tr.ID); err != nil {
		t.Fatal(err)
	}
	ann.WaitText(tcard+" [data-testid=card-state]", "Accepted")
	bo.WaitText(tcard+" [data-testid=card-state]", "Accepted")

	ann.Navigate(srv.URL + "/chats")
	ann.WaitText("[data-testid=chat-row][data-conv='"+direct+"'] [data-preview]", "[Transfer] ¥12.00")
	time.Sleep(50 * time.Millisecond)
	for _, p := range append(ann.TakeProblems(), bo.TakeProblems()...) {
		t.Errorf("browser: %s", p)
	}
}
