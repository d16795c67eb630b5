// Package browser_test holds Official Accounts' Chromium tests of its
// pages, apart from hooks/oa's own tests so each package's run stays
// short; they drive the real server through hooks/internal/e2e.
package browser_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestBrowserOfficialAccount: Ann applies for an account in the browser;
// a superuser approves it through the admin API; Ann writes an article
// with a picture (the image button uploads it and inserts its Markdown)
// and broadcasts it; Bo follows the account, opens the article (the
// picture loads), the read count rises, and he likes it.
//
// One piece: one story across two browsers, read top to bottom.
func TestBrowserOfficialAccount(t *testing.T) {
	t.Parallel() // its own server and pages; see hooks/internal/e2e
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	srv.Member(t, "ann_lee")
	srv.Member(t, "bo_wang")
	dir := t.TempDir()
	avatar, picture := filepath.Join(dir, "avatar.png"), filepath.Join(dir, "picture.png")
	for p, size := range map[string]int{avatar: 64, picture: 320} {
		if err := os.WriteFile(p, testapp.PNG(t, size, size*3/4), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	// Ann applies from Discover → Official Accounts → My accounts.
	ann := b.NewPage(t)
	srv.SignIn(ann, "ann_lee", testapp.DefaultPassword)
	ann.Navigate(srv.URL + "/oa")
	ann.Click("[data-testid=oa-mine-link]")
	ann.Click("[data-testid=oa-apply-link]")
	ann.Fill("[data-testid=oa-apply-handle]", "ann_news")
	ann.Fill("[data-testid=oa-apply-name]", "Ann's News")
	ann.Fill("[data-testid=oa-apply-description]", "Street news, every day")
	ann.SetFiles("[data-testid=oa-apply-avatar]", avatar)
	ann.Click("[data-testid=oa-apply-send]")
	ann.WaitVisible("[data-testid=oa-mine-account][data-status=pending]")

	// A superuser approves it in /_/ (the admin API).
	approve(t, srv, "ann_news")
	ann.Navigate(srv.URL + "/oa/mine")
	ann.Click("[data-testid=oa-mine-console]")
	ann.WaitVisible("[data-testid=oa-console]")

	// Ann writes an article with a picture, saves it and broadcasts it.
	ann.Click("[data-testid=oa-write-link]")
	ann.Fill("[data-testid=oa-editor-title]", "Street fair on Sunday")
	ann.Fill("[data-testid=oa-editor-digest]", "Stalls, music and food")
	ann.Fill("[data-testid=oa-editor-body]", "# The fair\n\nCome **early**.\n")
	ann.SetFiles("[data-testid=oa-editor-images]", picture)
	waitTrue(t, ann, `document.querySelector("[data-testid=oa-editor-body]").value.includes("](/oa/media/")`)
	ann.Click("[data-testid=oa-editor-save]")
	ann.WaitVisible("[data-testid=oa-broadcast-form]")
	ann.Click("[data-testid=oa-broadcast-now]")
	ann.Click("[data-testid=confirm-ok]")
	ann.WaitVisible("[data-testid=flash-ok]")
	ann.WaitText("[data-testid=oa-console-broadcast]", "Sent")

	// Bo follows the account and reads the article.
	bo := b.NewPage(t)
	srv.SignIn(bo, "bo_wang", testapp.DefaultPassword)
	bo.Navigate(srv.URL + "/oa?q=street")
	bo.Click("[data-testid=oa-account][data-handle=ann_news]")
	bo.Click("[data-testid=oa-follow]")
	bo.WaitVisible("[data-testid=oa-unfollow]")
	bo.WaitText("[data-testid=oa-followers]", "1 follower")
	bo.Click("[data-testid=oa-article-item]")
	bo.WaitText("[data-testid=oa-article-title]", "Street fair on Sunday")
	waitTrue(t, bo, `(() => { const i = document.querySelector("[data-testid=oa-article-body] img"); return !!i && i.complete && i.naturalWidth > 0; })()`)
	bo.WaitText("[data-testid=oa-reads]", "0 reads")
	if err := testapp.Services(t, srv.App).OA.FlushReads(); err != nil {
		t.Fatal(err)
	}
	bo.Navigate(bo.URL())
	bo.WaitText("[data-testid=oa-reads]", "1 read")
	bo.Click("[data-testid=oa-like]")
	bo.WaitVisible("[data-testid=oa-like][aria-pressed=true]")
	bo.WaitText("[data-testid=oa-likes]", "1")
	for _, p := range []*e2e.Page{ann, bo} {
		if probs := p.TakeProblems(); len(probs) > 0 {
			t.Errorf("problems in the browser: %q", probs)
		}
	}
}

// waitTrue polls a script until it answers true (10 s).
func waitTrue(t *testing.T, p *e2e.Page, js string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var ok bool
		p.Eval(js, &ok)
		if ok {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("never true: %s", js)
		}
	}
}

// approve sets an account approved as a superuser does in /_/: through
// PocketBase's admin API with a superuser's token.
func approve(t *testing.T, srv *e2e.Server, handle string) {
	t.Helper()
	rec, err := srv.App.FindFirstRecordByData("oa_accounts", "handle", handle)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPatch, srv.URL+"/api/collections/oa_accounts/records/"+rec.Id,
		strings.NewReader(`{"status":"approved","verified":true}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", superuserToken(t, srv))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK || out["status"] != "approved" {
		t.Fatalf("the admin API answered %d %v to the approval", res.StatusCode, out)
	}
}

// superuserToken makes a superuser and returns their auth token.
func superuserToken(t *testing.T, srv *e2e.Server) string {
	t.Helper()
	col, err := srv.App.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		t.Fatal(err)
	}
	su := core.NewRecord(col)
	su.SetEmail("admin@example.com")
	su.SetPassword("admin-password-1")
	if err := srv.App.Save(su); err != nil {
		t.Fatal(err)
	}
	token, err := su.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return token
}
