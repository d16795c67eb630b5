package demo_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// checkDemoOA checks the demo's Official Accounts: Community News (a
// subscription account, verified, 3 published articles, a menu) and
// Corner Café (a service account with keyword replies), both approved
// and followed; li_lei's chat with the café holds the welcome, the
// article card its broadcast delivered, his "hours" and its answer; his
// Subscriptions list the news. It returns the number of articles.
func checkDemoOA(t *testing.T, app core.App) int64 {
	t.Helper()
	svc := testapp.Services(t, app).OA
	svc.WaitDelivered()
	news, err := svc.AccountFor("", "community_news")
	if err != nil || news.Kind != oa.KindSubscription || !news.Verified || len(news.Menu) != 3 || news.Followers < 10 {
		t.Fatalf("Community News: %+v %v", news, err)
	}
	arts, err := svc.Articles("", news.ID)
	if err != nil || len(arts) != 3 {
		t.Fatalf("Community News articles: %d %v", len(arts), err)
	}
	cafe, err := svc.AccountFor("", "corner_cafe")
	if err != nil || cafe.Kind != oa.KindService || cafe.Followers < 10 {
		t.Fatalf("Corner Café: %+v %v", cafe, err)
	}
	li, err := accounts.FindByPlazaID(app, "li_lei")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := svc.ChatWith(li.Id, cafe.ID)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := chat.Messages(app, li.Id, conv, -1, 0, 20)
	if err != nil || len(msgs) != 4 || msgs[1].Kind != chat.MsgCard || msgs[2].Text != "hours" || msgs[3].Sender != "" {
		t.Fatalf("li_lei's chat with the café: %d messages %+v, %v", len(msgs), msgs, err)
	}
	followed, err := svc.Followed(li.Id)
	if err != nil || len(followed) != 2 {
		t.Fatalf("li_lei follows %d accounts, %v", len(followed), err)
	}
	n, _ := app.CountRecords("oa_articles", nil)
	return n
}
