package browser_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"plaza/hooks/chat"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/wallet"
)

// TestBrowserTimesAndTyping: Ann uses Plaza in Chinese on a device in
// Shanghai. The chat list's times are 24-hour (no AM/PM, no 上午/下午) in
// her time zone, the transfer page's deadline is in her time zone too
// (never "UTC" or an ISO string). Bo types: Ann sees "typing…"; Bo's
// message arrives and "typing…" is gone at once, not seconds later.
func TestBrowserTimesAndTyping(t *testing.T) {
	t.Parallel() // each has its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang")
	testapp.Befriend(t, srv.App, annRec, boRec)
	annRec.Set("language", "zh")
	if err := srv.App.Save(annRec); err != nil {
		t.Fatal(err)
	}
	dm, err := chat.OpenDirect(srv.App, annRec.Id, boRec.Id)
	if err != nil {
		t.Fatal(err)
	}
	svc := testapp.Services(t, srv.App).Chat
	if _, err := svc.Send(boRec.Id, dm, chat.SendInput{ClientID: "t1", Text: "下午好"}); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	if _, err := wallet.Mint(srv.App, "bo_wang", 50_00, "e2e"); err != nil {
		t.Fatal(err)
	}
	if err := testapp.Services(t, srv.App).Wallet.SetPIN(boRec.Id, "135790"); err != nil {
		t.Fatal(err)
	}
	tr, err := testapp.Services(t, srv.App).Wallet.SendTransfer(boRec.Id, "times-e2e", wallet.TransferInput{Conversation: dm, Amount: 12_50}, wallet.WithPIN("135790"))
	if err != nil {
		t.Fatal(err)
	}

	ann := b.NewPage(t)
	ctx, cancel := context.WithTimeout(ann.Ctx(), 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, func(ctx context.Context, _ *chromedp.Target) (cdp.Empty, error) {
		return chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Shanghai"})
	}); err != nil {
		t.Fatal(err)
	}
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/chats")
	row := "[data-testid=chat-row][data-conv='" + dm + "'] time"
	ann.WaitVisible(row)
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	var shown string
	for i := 0; i < 50 && shown == ""; i++ {
		ann.Eval(`document.querySelector("`+row+`").textContent`, &shown)
		time.Sleep(20 * time.Millisecond)
	}
	if !regexp.MustCompile(`^\d{2}:\d{2}$`).MatchString(shown) {
		t.Fatalf("a Chinese chat list shows times as 24-hour HH:MM, got %q", shown)
	}
	if want, later := sent.In(shanghai).Format("15:04"), sent.Add(time.Minute).In(shanghai).Format("15:04"); shown != want && shown != later {
		t.Fatalf("the time should be Shanghai's %s, got %q", want, shown)
	}

	ann.Navigate(srv.URL + "/wallet/transfers/" + tr.ID)
	page := ann.Text("[data-testid=pane-detail]")
	if strings.Contains(page, "UTC") || regexp.MustCompile(`\d{4}-\d{2}-\d{2}T`).MatchString(page) {
		t.Fatalf("the transfer page shows a raw or UTC time:\n%s", page)
	}
	if deadline := tr.Expires.In(shanghai); !strings.Contains(page, deadline.Format("15:04")) {
		t.Fatalf("the deadline should be in Shanghai time (%s):\n%s", deadline.Format("15:04"), page)
	}

	// Typing clears when the typer's message arrives.
	ann.Navigate(srv.URL + "/chats/" + dm)
	ann.WaitChatSocket()
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats/" + dm)
	bo.WaitChatSocket()
	bo.Fill("[data-testid=composer]", "我在打字")
	ann.WaitText("[data-testid=presence]", "正在输入")
	bo.Click("[data-testid=send]")
	ann.WaitText("[data-testid=messages]", "我在打字")
	deadline := time.Now().Add(time.Second)
	for {
		var typing bool
		ann.Eval(`document.querySelector("[data-testid=presence]").textContent.includes("正在输入")`, &typing)
		if !typing {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal(`"typing…" should end when the typer's message arrives`)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, p := range append(ann.TakeProblems(), bo.TakeProblems()...) {
		t.Errorf("browser: %s", p)
	}
}
