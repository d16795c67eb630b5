package oa_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

func TestBroadcastQuotas(t *testing.T) {
	w := newWorld(t)
	sub, subAcct := w.account("daily", oa.KindSubscription, true)
	a1, a2, a3 := w.article(sub, subAcct.ID, "1"), w.article(sub, subAcct.ID, "2"), w.article(sub, subAcct.ID, "3")
	if _, err := w.svc.Broadcast(sub, a1.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.Broadcast(sub, a1.ID, w.now.Add(48*time.Hour))
	wantCode(t, "the same article twice", err, 409, "oa.already_broadcast")
	_, err = w.svc.Broadcast(sub, a2.ID, time.Time{})
	wantCode(t, "a second today", err, 429, "oa.quota_exceeded")
	b, err := w.svc.Broadcast(sub, a2.ID, w.now.Add(24*time.Hour)) // tomorrow's
	if err != nil || b.Status != oa.BroadcastScheduled {
		t.Fatalf("scheduled: %+v %v", b, err)
	}
	_, err = w.svc.Broadcast(sub, a3.ID, w.now.Add(25*time.Hour))
	wantCode(t, "a scheduled one counts toward its day", err, 429, "oa.quota_exceeded")
	if _, err := w.svc.Article("", a2.ID); err == nil {
		t.Fatal("a scheduled article is public before its time")
	}
	if due, _ := w.svc.Due(); len(due) != 0 {
		t.Fatalf("due early: %+v", due)
	}
	w.now = w.now.Add(24 * time.Hour)
	sent, err := w.svc.SendDue()
	if err != nil || len(sent) != 1 || sent[0].ID != b.ID {
		t.Fatalf("send due: %+v %v", sent, err)
	}
	if again, _ := w.svc.MarkSent(b.ID); again {
		t.Fatal("a broadcast was sent twice")
	}
	if _, err := w.svc.Article("", a2.ID); err != nil {
		t.Fatalf("the sent article is not public: %v", err)
	}

	svc, svcAcct := w.account("cafe", oa.KindService, true)
	for i := range 4 {
		a := w.article(svc, svcAcct.ID, "s"+string(rune('a'+i)))
		if _, err := w.svc.Broadcast(svc, a.ID, w.now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatalf("service broadcast %d: %v", i, err)
		}
	}
	fifth := w.article(svc, svcAcct.ID, "fifth")
	_, err = w.svc.Broadcast(svc, fifth.ID, w.now.Add(2*time.Hour))
	wantCode(t, "a fifth this month", err, 429, "oa.quota_exceeded")
	if _, err := w.svc.Broadcast(svc, fifth.ID, time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("next month's: %v", err)
	}
}

func TestReplyWindowAndAutoReplies(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("cafe", oa.KindService, true)
	bo, cy := w.member("bo"), w.member("cy")
	if err := w.svc.SetTexts(owner, acct.ID, oa.Texts{Welcome: ptr("Welcome!"), DefaultReply: ptr("We will answer soon")}); err != nil {
		t.Fatal(err)
	}
	if welcome, err := w.svc.Follow(bo, acct.ID); err != nil || welcome != "Welcome!" {
		t.Fatalf("follow: %q %v", welcome, err)
	}
	_, err := w.svc.CanReply(owner, acct.ID, bo)
	wantCode(t, "before the follower wrote", err, 403, "oa.reply_window_closed")
	wantCode(t, "a non-follower writing", w.svc.TouchFollowerMessage(cy, acct.ID), 404, "oa.not_found")
	if err := w.svc.TouchFollowerMessage(bo, acct.ID); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.CanReply(cy, acct.ID, bo)
	wantCode(t, "a non-operator", err, 404, "oa.not_found")
	w.now = w.now.Add(47 * time.Hour)
	if until, err := w.svc.CanReply(owner, acct.ID, bo); err != nil || !until.After(w.now) {
		t.Fatalf("inside the window: %v %v", until, err)
	}
	w.now = w.now.Add(time.Hour)
	_, err = w.svc.CanReply(owner, acct.ID, bo)
	wantCode(t, "48 h later", err, 403, "oa.reply_window_closed")

	for _, r := range []oa.AutoReplyRule{{Keyword: "menu", Match: oa.MatchContains, Reply: "contains menu"},
		{Keyword: "coffee menu", Match: oa.MatchContains, Reply: "contains coffee menu"},
		{Keyword: "Menu", Match: oa.MatchExact, Reply: "exact menu"}} {
		if _, err := w.svc.SetAutoReply(owner, acct.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	_, err = w.svc.SetAutoReply(bo, acct.ID, oa.AutoReplyRule{Keyword: "x", Match: oa.MatchExact, Reply: "y"})
	wantCode(t, "a follower setting auto-replies", err, 404, "oa.not_found")
	for text, want := range map[string]string{" MENU ": "exact menu", "the coffee menu please": "contains coffee menu",
		"show me the menu": "contains menu", "hello": "We will answer soon"} {
		if got, ok, err := w.svc.AutoReply(acct.ID, text); err != nil || !ok || got != want {
			t.Errorf("%q: %q %v %v, want %q", text, got, ok, err, want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestMenuValidation(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("club", oa.KindSubscription, true)
	item := oa.Item{Label: "Site", Action: oa.ActionLink, Value: "https://example.org/"}
	good := oa.Menu{{Label: "News", Items: []oa.Item{item, {Label: "Hours", Action: oa.ActionKeyword, Value: "hours"}}},
		{Label: "Shop", Action: oa.ActionMiniProgram, Value: "shop"}}
	if err := w.svc.SetMenu(owner, acct.ID, good); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.svc.AccountFor("", "club"); len(got.Menu) != 2 || got.Menu[0].Items[1].Value != "hours" {
		t.Fatalf("menu: %+v", got.Menu)
	}
	six := make([]oa.Item, 6)
	for i := range six {
		six[i] = item
	}
	for what, m := range map[string]oa.Menu{
		"four buttons":        {{Label: "a", Items: []oa.Item{item}}, {Label: "b", Items: []oa.Item{item}}, {Label: "c", Items: []oa.Item{item}}, {Label: "d", Items: []oa.Item{item}}},
		"six items":           {{Label: "a", Items: six}},
		"javascript link":     {{Label: "a", Action: oa.ActionLink, Value: "javascript:alert(1)"}},
		"no host":             {{Label: "a", Action: oa.ActionLink, Value: "https:///x"}},
		"unknown action":      {{Label: "a", Action: "script", Value: "x"}},
		"empty label":         {{Label: " ", Action: oa.ActionKeyword, Value: "x"}},
		"long label":          {{Label: strings.Repeat("x", 17), Action: oa.ActionKeyword, Value: "x"}},
		"items and an action": {{Label: "a", Action: oa.ActionKeyword, Value: "x", Items: []oa.Item{item}}},
		"empty keyword":       {{Label: "a", Action: oa.ActionKeyword, Value: ""}},
		"bad program":         {{Label: "a", Action: oa.ActionMiniProgram, Value: "../x"}},
	} {
		wantCode(t, what, w.svc.SetMenu(owner, acct.ID, m), 400, "")
	}
}

func TestFollowedListsLatestArticles(t *testing.T) {
	w := newWorld(t)
	bo := w.member("bo")
	var last string
	for _, h := range []string{"aaa", "bbb", "ccc"} {
		owner, acct := w.account(h, oa.KindSubscription, true)
		if _, err := w.svc.Follow(bo, acct.ID); err != nil {
			t.Fatal(err)
		}
		if h != "ccc" {
			w.now = w.now.Add(time.Hour)
			a := w.article(owner, acct.ID, "News of "+h)
			if _, err := w.svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
				t.Fatal(err)
			}
			last = a.ID
		}
	}
	_, pending := w.account("ddd", oa.KindSubscription, false)
	if _, err := w.svc.Follow(bo, pending.ID); err == nil {
		t.Fatal("followed a pending account")
	}
	list, err := w.svc.Followed(bo)
	if err != nil || len(list) != 3 || list[0].Latest != last || list[0].Handle != "bbb" || list[2].Latest != "" {
		t.Fatalf("followed: %+v %v", list, err)
	}
	if err := w.svc.Unfollow(bo, list[0].Account); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.svc.AccountFor(bo, "bbb"); got.Following || got.Followers != 0 {
		t.Fatalf("after unfollow: %+v", got)
	}
	if found, _ := w.svc.Search("bb"); len(found) != 1 || found[0].Handle != "bbb" {
		t.Fatalf("search: %+v", found)
	}
}

func TestMediaBelongsToItsAccount(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("club", oa.KindSubscription, true)
	_, other := w.account("other", oa.KindSubscription, true)
	bo := w.member("bo")
	png, err := filesystem.NewFileFromBytes(testapp.PNG(t, 8, 8), "x.png")
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AddMedia(bo, acct.ID, png)
	wantCode(t, "a stranger uploading", err, 404, "oa.not_found")
	path, err := w.svc.AddMedia(owner, acct.ID, png)
	if err != nil || !strings.HasPrefix(path, oa.MediaPrefix+acct.ID+"/") {
		t.Fatalf("upload: %q %v", path, err)
	}
	id := path[strings.LastIndex(path, "/")+1:]
	if _, err := w.svc.MediaRecord(acct.ID, id); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.MediaRecord(other.ID, id)
	wantCode(t, "another account's address", err, 404, "oa.not_found")
	a, err := w.svc.WriteArticle(owner, acct.ID, oa.ArticleInput{Title: "Pic", Body: "![cat](" + path + ")"})
	if err != nil || !strings.Contains(a.HTML, `<img src="`+path+`" alt="cat">`) {
		t.Fatalf("the article lost its own image: %q %v", a.HTML, err)
	}
}

// TestQuotaFollowsTheSettings: a superuser raising the daily quota in /_/
// lets a subscription account broadcast that many a day, and no more.
func TestQuotaFollowsTheSettings(t *testing.T) {
	w := newWorld(t)
	row, err := w.app.FindRecordById("settings", "plazasettings01")
	if err != nil {
		t.Fatal(err)
	}
	row.Set("oa_subscription_per_day", 2)
	if err := w.app.Save(row); err != nil {
		t.Fatal(err)
	}
	owner, acct := w.account("daily", oa.KindSubscription, true)
	for i := range 3 {
		a := w.article(owner, acct.ID, "n"+string(rune('a'+i)))
		_, err := w.svc.Broadcast(owner, a.ID, time.Time{})
		if i < 2 && err != nil {
			t.Fatalf("broadcast %d: %v", i, err)
		}
		if i == 2 {
			wantCode(t, "a third with a quota of 2", err, 429, "oa.quota_exceeded")
		}
	}
}
