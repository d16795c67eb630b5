package oa_test

// Official Accounts' rules through the service on a real app, each from
// the side of the one who must be refused.

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/reports"
)

type world struct {
	t   *testing.T
	app core.App
	svc *oa.Service
	now time.Time
}

func newWorld(t *testing.T) *world {
	app := testapp.New(t)
	w := &world{t: t, app: app, svc: testapp.Services(t, app).OA, now: time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)}
	w.svc.SetClock(func() time.Time { return w.now })
	return w
}

func (w *world) member(name string) string {
	return testapp.CreateMember(w.t, w.app, name+strings.Repeat("0", max(0, 6-len(name)))).Id
}

// account is a new account of kind owned by a new member, approved as a
// superuser would in /_/ unless pending.
func (w *world) account(handle, kind string, approve bool) (owner string, acct oa.Account) {
	w.t.Helper()
	owner = w.member(handle)
	acct, err := w.svc.Apply(owner, oa.ApplyInput{Handle: handle, Name: strings.ToUpper(handle), Category: "community", Kind: kind})
	if err != nil {
		w.t.Fatalf("apply %s: %v", handle, err)
	}
	if approve {
		rec, err := w.app.FindRecordById("oa_accounts", acct.ID)
		if err != nil {
			w.t.Fatal(err)
		}
		rec.Set("status", oa.StatusApproved)
		if err := w.app.Save(rec); err != nil {
			w.t.Fatal(err)
		}
		acct.Status = oa.StatusApproved
	}
	return owner, acct
}

func (w *world) article(op, accountID, title string) oa.Article {
	w.t.Helper()
	a, err := w.svc.WriteArticle(op, accountID, oa.ArticleInput{Title: title, Body: "Hello **" + title + "**", CommentsOpen: true})
	if err != nil {
		w.t.Fatalf("write %q: %v", title, err)
	}
	return a
}

// wantCode fails unless err is a problem of that status and code.
func wantCode(t *testing.T, what string, err error, status int, key string) {
	t.Helper()
	p, ok := problem.As(err)
	if !ok || p.Status != status || (key != "" && p.Key != key) {
		t.Fatalf("%s: want %d %s, got %v", what, status, key, err)
	}
}

func TestUnapprovedAccountIsInvisible(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("pending_club", oa.KindSubscription, false)
	bo := w.member("bo")
	if _, err := w.svc.AccountFor(owner, "pending_club"); err != nil {
		t.Fatalf("the owner cannot see their pending account: %v", err)
	}
	_, err := w.svc.AccountFor(bo, "pending_club")
	wantCode(t, "another member", err, 404, "oa.not_found")
	_, err = w.svc.AccountFor("", "pending_club")
	wantCode(t, "signed out", err, 404, "oa.not_found")
	_, err = w.svc.Follow(bo, acct.ID)
	wantCode(t, "follow", err, 404, "oa.not_found")
	_, err = w.svc.WriteArticle(owner, acct.ID, oa.ArticleInput{Title: "x"})
	wantCode(t, "write before approval", err, 404, "oa.not_found")
	if list, _ := w.svc.Directory("", ""); len(list) != 0 {
		t.Fatalf("the directory lists a pending account: %+v", list)
	}
	_, err = w.svc.Apply(owner, oa.ApplyInput{Handle: "second", Name: "S", Category: "news", Kind: oa.KindService})
	wantCode(t, "a second application", err, 409, "oa.already_have")
	_, err = w.svc.Apply(bo, oa.ApplyInput{Handle: "pending_club", Name: "S", Category: "news", Kind: oa.KindService})
	wantCode(t, "a taken handle", err, 400, "")
}

func TestNonOperatorIsRefused(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("news", oa.KindSubscription, true)
	op, bo := w.member("op"), w.member("bo")
	draft := w.article(owner, acct.ID, "Draft")
	if err := w.svc.AddOperator(bo, acct.ID, bo); err == nil {
		t.Fatal("a stranger made themselves an operator")
	}
	for what, err := range map[string]error{
		"write":     func() error { _, err := w.svc.WriteArticle(bo, acct.ID, oa.ArticleInput{Title: "x"}); return err }(),
		"edit":      func() error { _, err := w.svc.EditArticle(bo, draft.ID, oa.ArticleInput{Title: "x"}); return err }(),
		"delete":    w.svc.DeleteArticle(bo, draft.ID),
		"broadcast": func() error { _, err := w.svc.Broadcast(bo, draft.ID, time.Time{}); return err }(),
		"stats":     func() error { _, err := w.svc.Stats(bo, acct.ID); return err }(),
		"menu":      w.svc.SetMenu(bo, acct.ID, oa.Menu{}),
		"draft":     func() error { _, err := w.svc.Article(bo, draft.ID); return err }(),
		"webhook":   func() error { _, err := w.svc.SetWebhook(bo, acct.ID, "https://example.org/h"); return err }(),
		"operators": func() error { _, err := w.svc.Operators(bo, acct.ID); return err }(),
	} {
		wantCode(t, what, err, 404, "oa.not_found")
	}
	if err := w.svc.AddOperator(owner, acct.ID, op); err != nil {
		t.Fatal(err)
	}
	if ok, _ := w.svc.IsOperator(op, acct.ID); !ok {
		t.Fatal("the operator is not one")
	}
	if _, err := w.svc.WriteArticle(op, acct.ID, oa.ArticleInput{Title: "By op"}); err != nil {
		t.Fatalf("an operator cannot write: %v", err)
	}
	wantCode(t, "an operator adding operators", w.svc.AddOperator(op, acct.ID, bo), 404, "oa.not_found")
	_, err := w.svc.SetWebhook(op, acct.ID, "https://example.org/h")
	wantCode(t, "an operator setting the webhook", err, 404, "oa.not_found")
	if err := w.svc.RemoveOperator(owner, acct.ID, op); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.WriteArticle(op, acct.ID, oa.ArticleInput{Title: "x"})
	wantCode(t, "a removed operator", err, 404, "oa.not_found")
}

func TestArticlesReadsAndComments(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("news", oa.KindSubscription, true)
	bo, cy := w.member("bo"), w.member("cy")
	a := w.article(owner, acct.ID, "First")
	_, err := w.svc.Article("", a.ID)
	wantCode(t, "a draft signed out", err, 404, "oa.not_found")
	if n, _ := w.svc.CountRead(oa.Reader{MemberID: bo}, a.ID); n {
		t.Fatal("a draft's read counted")
	}
	if _, err := w.svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.svc.Article("", a.ID); err != nil || got.Markdown != "" || !strings.Contains(got.HTML, "<strong>First</strong>") {
		t.Fatalf("the published article signed out: %+v %v", got, err)
	}
	if counted, _ := w.svc.CountRead(oa.Reader{MemberID: owner}, a.ID); counted {
		t.Fatal("the owner's own read counted")
	}
	visitor, sameNet := oa.Reader{Addr: "2001:db8::1"}, oa.Reader{Addr: "2001:db8::2"} // one IPv6 /64
	for i, r := range []oa.Reader{{MemberID: bo}, {MemberID: bo}, visitor, sameNet, {Addr: "192.0.2.2"}} {
		counted, err := w.svc.CountRead(r, a.ID)
		if err != nil || counted != (i != 1 && i != 3) {
			t.Fatalf("read %d: counted %v, %v", i, counted, err)
		}
	}
	w.now = w.now.Add(24 * time.Hour)
	if counted, _ := w.svc.CountRead(oa.Reader{MemberID: bo}, a.ID); !counted {
		t.Fatal("the next day's read did not count")
	}
	if got, _ := w.svc.Article(bo, a.ID); got.Reads != 4 {
		t.Fatalf("reads %d, want 4", got.Reads)
	}
	if got, err := w.svc.React(bo, a.ID, oa.ReactionWow, true); err != nil || got.Wows != 1 || !got.Wowed {
		t.Fatalf("wow: %+v %v", got, err)
	}
	c, err := w.svc.Comment(bo, a.ID, "Nice")
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := w.svc.Comments(cy, a.ID); len(list) != 0 {
		t.Fatalf("an unshown comment reached another reader: %+v", list)
	}
	if list, _ := w.svc.Comments(bo, a.ID); len(list) != 1 || !list[0].Mine {
		t.Fatalf("the author does not see their comment: %+v", list)
	}
	wantCode(t, "a reader showing a comment", w.svc.ShowComment(cy, c.ID, true), 404, "oa.not_found")
	wantCode(t, "a reader replying", w.svc.ReplyComment(bo, c.ID, "me"), 404, "oa.not_found")
	if err := w.svc.ShowComment(owner, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.ReplyComment(owner, c.ID, "Thanks"); err != nil {
		t.Fatal(err)
	}
	if list, _ := w.svc.Comments("", a.ID); len(list) != 1 || list[0].Reply != "Thanks" {
		t.Fatalf("a shown comment signed out: %+v", list)
	}
	stats, err := w.svc.Stats(owner, acct.ID)
	if err != nil || len(stats.Days) != oa.StatsDays || stats.Articles[0].Reads != 4 || stats.Days[oa.StatsDays-2].Reads != 3 {
		t.Fatalf("stats: %+v %v", stats, err)
	}
}

func TestReportsReachTheQueue(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("news", oa.KindSubscription, true)
	_, pending := w.account("hidden", oa.KindSubscription, false)
	bo, cy := w.member("bo"), w.member("cy")
	a := w.article(owner, acct.ID, "Story")
	in := reports.Input{Reason: "spam"}
	wantCode(t, "a draft", w.svc.ReportArticle(bo, a.ID, in), 404, "oa.not_found")
	wantCode(t, "a pending account", w.svc.ReportAccount(bo, pending.ID, in), 404, "oa.not_found")
	if _, err := w.svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	c, err := w.svc.Comment(cy, a.ID, "buy now")
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, "an unshown comment", w.svc.ReportComment(bo, c.ID, in), 404, "oa.not_found")
	for what, err := range map[string]error{"account": w.svc.ReportAccount(bo, acct.ID, in), "article": w.svc.ReportArticle(bo, a.ID, in),
		"comment, by an operator": w.svc.ReportComment(owner, c.ID, in)} {
		if err != nil {
			t.Fatalf("report %s: %v", what, err)
		}
	}
	queue, err := w.app.FindRecordsByFilter("reports", "kind ~ 'oa_'", "created", 0, 0)
	if err != nil || len(queue) != 3 {
		t.Fatalf("queue: %d %v", len(queue), err)
	}
}

// TestPageWordsAreNotHandles: an account cannot take a word the pages
// under /oa/ use (it would be shadowed by the page).
func TestPageWordsAreNotHandles(t *testing.T) {
	w := newWorld(t)
	for _, h := range []string{"following", "mine", "apply", "subscriptions", "media"} {
		_, err := w.svc.Apply(w.member(h[:3]+"x"), oa.ApplyInput{Handle: h, Name: "X", Category: "community", Kind: oa.KindSubscription})
		if err == nil || !strings.Contains(err.Error(), "handle: oa.bad_handle") {
			t.Errorf("%s: %v", h, err)
		}
	}
}
