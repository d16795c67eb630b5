// Package browser_test holds Official Accounts' chat side in Chromium
// (followers' chats, Subscriptions, the operators' inbox), apart from the
// other tests so each package's run stays short; it drives the real
// server through hooks/internal/e2e.
package browser_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// approved is an account of kind owned by owner, approved as a superuser
// would in /_/.
func approved(t *testing.T, app core.App, svc *oa.Service, owner *core.Record, handle, name, kind string) oa.Account {
	t.Helper()
	a, err := svc.Apply(owner.Id, oa.ApplyInput{Handle: handle, Name: name, Category: "community", Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	if err := oa.Review(app, a.ID, oa.StatusApproved, "", false); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestBrowserAccountChats: Bo follows Community News (subscription) and
// Corner Café (service) and keeps his chat list open. The news's broadcast
// lights the Subscriptions row's dot live, without touching the Chats
// badge; opening Subscriptions lists it and puts the dot out. The café's
// broadcast lands live as an article card in his chat with the café, with
// an unread badge. In that chat "hours" gets its keyword reply live; Ann,
// the café's owner, answers him from her inbox inside the 48-hour window
// and the answer appears in Bo's chat; two days later the inbox refuses her.
//
// One piece: one story across two browsers, read top to bottom.
func TestBrowserAccountChats(t *testing.T) {
	t.Parallel() // its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	annRec, boRec, deeRec := srv.Member(t, "ann_lee"), srv.Member(t, "bo_wang"), srv.Member(t, "dee_wu")
	svc := testapp.Services(t, srv.App).OA
	now := time.Now().UTC()
	svc.SetClock(func() time.Time { return now })
	news := approved(t, srv.App, svc, deeRec, "community_news", "Community News", oa.KindSubscription)
	cafe := approved(t, srv.App, svc, annRec, "corner_cafe", "Corner Café", oa.KindService)
	welcome, reply := "Welcome to the café", "Open 7:30–18:00"
	if err := svc.SetTexts(annRec.Id, cafe.ID, oa.Texts{Welcome: &welcome}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetAutoReply(annRec.Id, cafe.ID, oa.AutoReplyRule{Keyword: "hours", Match: oa.MatchContains, Reply: reply}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []oa.Account{news, cafe} {
		if _, err := svc.Follow(boRec.Id, a.ID); err != nil {
			t.Fatal(err)
		}
	}

	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/chats")
	bo.WaitChatSocket()
	row := `[data-folder="subscriptions"]`
	bo.WaitVisible(row)
	if bo.Visible(row + " [data-testid=folder-dot]") {
		t.Fatal("the Subscriptions dot is on before any article")
	}
	conv, err := svc.ChatWith(boRec.Id, cafe.ID)
	if err != nil {
		t.Fatal(err)
	}
	cafeRow := `[data-testid=chat-row][data-conv="` + conv + `"]`
	bo.WaitText("[data-testid=chat-list]", "Corner Café")
	badgeBefore := bo.Text("[data-testid=badge-chats] [data-badge-count]")

	// Community News broadcasts: the row lights up, the Chats badge stays.
	var art oa.Article
	now = now.Add(time.Minute)
	art, err = svc.WriteArticle(deeRec.Id, news.ID, oa.ArticleInput{Title: "Street party on Elm Road", Body: "Saturday **15:00**"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Broadcast(deeRec.Id, art.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	bo.WaitVisible(row + " [data-testid=folder-dot]")
	bo.WaitText(row, "Street party on Elm Road")
	if got := bo.Text("[data-testid=badge-chats] [data-badge-count]"); got != badgeBefore {
		t.Fatalf("a subscription's article moved the Chats badge: %s → %s", badgeBefore, got)
	}
	bo.Click(row)
	bo.WaitVisible(`[data-testid=subscription][data-handle="community_news"]`)
	bo.WaitText("[data-testid=subscription-latest]", "Street party on Elm Road")
	bo.Navigate(srv.URL + "/chats")
	bo.WaitChatSocket()
	bo.WaitVisible(row)
	if bo.Visible(row + " [data-testid=folder-dot]") {
		t.Fatal("the dot stayed after Subscriptions was opened")
	}

	// Corner Café broadcasts: a card in Bo's chat with it, with a badge.
	now = now.Add(time.Minute)
	cafeArt, err := svc.WriteArticle(annRec.Id, cafe.ID, oa.ArticleInput{Title: "Osmanthus latte is back", Body: "桂花拿铁"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Broadcast(annRec.Id, cafeArt.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	bo.WaitText(cafeRow+" [data-testid=chat-unread]", "2") // the welcome and the article
	bo.Click(cafeRow)
	bo.WaitText("[data-testid=messages]", "Osmanthus latte is back")
	bo.WaitText("[data-testid=messages]", welcome)

	// A keyword gets its reply, live.
	bo.Fill("[data-testid=composer]", "What are your hours?")
	bo.Click("[data-testid=send]")
	bo.WaitText("[data-testid=messages]", reply)

	// Ann answers from her inbox, inside the window.
	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/oa/corner_cafe/console/inbox")
	ann.WaitVisible(`[data-testid=inbox-thread][data-member="` + boRec.Id + `"] [data-testid=window-open]`)
	ann.Click(`[data-testid=inbox-thread][data-member="` + boRec.Id + `"]`)
	ann.WaitText("[data-testid=oa-thread]", "What are your hours?")
	ann.Fill("[data-testid=reply-text]", "Sundays from nine, too")
	ann.Click("[data-testid=reply-send]")
	ann.WaitText("[data-testid=oa-thread]", "Sundays from nine, too")
	bo.WaitText("[data-testid=messages]", "Sundays from nine, too")

	// The XSS corpus as the account's answers (automatic and the
	// operator's) executes nothing, live or drawn by the server.
	xssInChat(t, bo, srv.URL+"/chats/"+conv, func(v string) error {
		_, err := svc.Reply(annRec.Id, cafe.ID, boRec.Id, v)
		return err
	})

	// Two days on, the window is closed: the inbox says so and refuses.
	now = now.Add(oa.ReplyWindow + time.Hour)
	ann.Navigate(srv.URL + "/oa/corner_cafe/console/inbox/" + boRec.Id)
	ann.WaitVisible("[data-testid=window-closed-note]")
	if ann.Visible("[data-testid=reply-form]") {
		t.Fatal("the answer form is offered after the window")
	}
	if _, err := svc.Reply(annRec.Id, cafe.ID, boRec.Id, "late"); err == nil || !strings.Contains(err.Error(), "reply_window_closed") {
		t.Fatalf("an answer after the window: %v", err)
	}
	for _, p := range []*e2e.Page{bo, ann} {
		if problems := p.TakeProblems(); len(problems) > 0 {
			t.Fatalf("browser problems: %v", problems)
		}
	}
}

// xssInChat sends every vector of hooks/oa/testdata/xss.txt into the chat
// open in p (through send), with alert and friends replaced by a
// tripwire, then checks that nothing ran and that the messages hold no
// element that could run anything; then draws the chat again from the
// server and checks the same.
func xssInChat(t *testing.T, p *e2e.Page, chatURL string, send func(string) error) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "testdata", "xss.txt"))
	if err != nil {
		t.Fatal(err)
	}
	const trip = `for (const f of ["alert", "confirm", "prompt"]) window[f] = () => { window.__xss = (window.__xss || 0) + 1; };`
	ctx, cancel := context.WithTimeout(p.Ctx(), 10*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: trip}); err != nil {
		t.Fatal(err)
	}
	p.Eval(trip+` true`, nil)
	var vectors []string
	for _, v := range strings.Split(string(raw), "\n") {
		if v = strings.TrimSpace(v); v != "" && !strings.ContainsRune(v, 0) {
			vectors = append(vectors, v)
		}
	}
	for _, v := range vectors {
		if err := send(v); err != nil {
			t.Fatalf("%q: %v", v, err)
		}
	}
	last := vectors[len(vectors)-1]
	check := func(when string) {
		t.Helper()
		var got struct {
			Ran    int
			Unsafe []string
			Texts  int
		}
		p.Eval(`(() => {
			const box = document.querySelector("[data-testid=messages]");
			const unsafe = [];
			for (const el of box.querySelectorAll("*")) {
				for (const a of el.attributes) {
					if (/^on/i.test(a.name) || /^\s*(javascript|data|vbscript):/i.test(a.value) && /^(href|src|action|formaction|srcset)$/i.test(a.name)) unsafe.push(el.tagName + " " + a.name);
				}
				if (/^(SCRIPT|IFRAME|OBJECT|EMBED|SVG|MATH|FORM|BASE|META|LINK|STYLE)$/i.test(el.tagName)) unsafe.push(el.tagName);
			}
			return {ran: window.__xss || 0, unsafe, texts: box.querySelectorAll("[data-testid=msg-text]").length};
		})()`, &got)
		if got.Ran != 0 || len(got.Unsafe) > 0 {
			t.Fatalf("%s: %d vectors ran; unsafe elements %v", when, got.Ran, got.Unsafe)
		}
	}
	p.WaitText("[data-testid=messages]", last)
	time.Sleep(300 * time.Millisecond) // images that would error have tried
	check("live")
	p.Navigate(chatURL)
	p.WaitText("[data-testid=messages]", last)
	time.Sleep(300 * time.Millisecond)
	check("drawn by the server")
}
