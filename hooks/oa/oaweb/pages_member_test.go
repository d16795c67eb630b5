package oaweb_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"plaza/hooks/oa"
)

// TestOAMemberPages: the directory and its search, following (htmx and
// plain), the accounts one follows, reacting, commenting (and refused),
// sharing and reporting; a visitor's posts go to sign in.
func TestOAMemberPages(t *testing.T) {
	s := newSite(t)
	body := s.page(s.dee, "/oa", 200)
	if !strings.Contains(body, "Community News") || !strings.Contains(body, `href="/oa/following"`) {
		t.Fatal("the directory lacks the account or the following link")
	}
	if body := s.page(s.dee, "/oa?q=nothing-like-it", 200); !strings.Contains(body, "oa-directory-empty") {
		t.Error("a search that finds nothing shows no empty state")
	}
	s.page(s.dee, "/oa?category=news&q=fair", 200)
	if body := s.page(s.dee, "/oa?category=bogus", 400); !strings.Contains(body, "flash-error") {
		t.Error("a bad category shows no error")
	}

	// Dee follows (plain form), then unfollows with htmx.
	redirects(t, "follow", s.form(s.dee, "/oa/news/follow", url.Values{"on": {"1"}}), "/oa/news")
	if body := s.page(s.dee, "/oa/news", 200); !strings.Contains(body, `data-testid="oa-unfollow"`) || !strings.Contains(body, `href="/oa/news/chat"`) {
		t.Error("a follower sees no Following button or Message")
	}
	if body := s.page(s.dee, "/oa/following", 200); !strings.Contains(body, "Community News") || !strings.Contains(body, "Fair on Sunday") {
		t.Error("accounts I follow lacks the account")
	}
	if body := s.page(s.dee, "/contacts", 200); !strings.Contains(body, `href="/oa/following"`) {
		t.Error("Contacts → Official Accounts does not lead to the accounts I follow")
	}
	rec := s.form(s.dee, "/oa/news/follow", url.Values{"on": {"0"}})
	redirects(t, "unfollow", rec, "/oa/news")
	if body := s.page(s.dee, "/oa/following", 200); !strings.Contains(body, "oa-following-empty") {
		t.Error("an unfollowed account is still listed")
	}
	redirects(t, "follow from the article", s.form(s.dee, "/oa/news/follow", url.Values{"on": {"1"}, "next": {s.articlePath()}}), s.articlePath())

	// Like, wow, comment.
	redirects(t, "like", s.form(s.dee, s.articlePath()+"/react", url.Values{"kind": {"like"}, "on": {"1"}}), s.articlePath())
	if body := s.page(s.dee, s.articlePath(), 200); !strings.Contains(body, `aria-pressed="true" data-testid="oa-like"`) {
		t.Error("the like does not show as pressed")
	}
	if rec := s.form(s.dee, s.articlePath()+"/react", url.Values{"kind": {"boo"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("a bad reaction: %d", rec.Code)
	}
	redirects(t, "comment", s.form(s.dee, s.articlePath()+"/comments", url.Values{"text": {"Dee <b>here</b>"}}), s.articlePath()+"?done=commented")
	body = s.page(s.dee, s.articlePath()+"?done=commented", 200)
	if !strings.Contains(body, "Dee &lt;b&gt;here&lt;/b&gt;") || !strings.Contains(body, "oa-comment-pending") {
		t.Error("one's own hidden comment does not show to them as waiting")
	}
	if strings.Contains(s.page(s.cy, s.articlePath(), 200), "Dee &lt;b&gt;") {
		t.Error("a hidden comment shows to another member")
	}
	rec = s.form(s.dee, s.articlePath()+"/comments", url.Values{"text": {"  "}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "flash-error") {
		t.Errorf("an empty comment: %d", rec.Code)
	}

	// Share and report pages render; the share sends a card.
	s.page(s.dee, s.articlePath()+"/share", 200)
	if rec := s.form(s.dee, s.articlePath()+"/share", url.Values{"token": {"t1"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("a share to nobody: %d", rec.Code)
	}
	s.page(s.dee, s.articlePath()+"/report", 200)
	s.page(s.dee, "/oa/news/report", 200)
	s.page(s.dee, oa.ArticlePath("news", s.draft.ID)+"/share", 404)

	// A visitor's forms are refused (their buttons lead to sign in), their
	// pages lead to sign in.
	for _, p := range []string{"/oa/news/follow", s.articlePath() + "/react", s.articlePath() + "/comments"} {
		if rec := s.form(nil, p, url.Values{"on": {"1"}}); rec.Code != http.StatusUnauthorized {
			t.Errorf("a visitor's POST %s: %d", p, rec.Code)
		}
	}
	for _, p := range []string{"/oa/following", "/oa/mine", "/oa/apply"} {
		if rec := s.get(nil, p, nil); rec.Code != http.StatusSeeOther {
			t.Errorf("a visitor's GET %s: %d", p, rec.Code)
		}
	}
}

// TestOAApplyPages: applying (refused, then accepted), my accounts with
// their status and the reject reason; a second application is refused.
func TestOAApplyPages(t *testing.T) {
	s := newSite(t)
	s.page(s.cy, "/oa/apply", 200)
	rec := s.form(s.cy, "/oa/apply", url.Values{"handle": {"No Way"}, "name": {"Cafe"}, "category": {"food"}, "kind": {"service"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `data-testid="error-handle"`) {
		t.Fatalf("a bad handle: %d", rec.Code)
	}
	form := url.Values{"handle": {"cafe"}, "name": {"Corner Café"}, "category": {"food"}, "kind": {"service"}, "description": {"Coffee"}}
	redirects(t, "apply", s.form(s.cy, "/oa/apply", form), "/oa/mine?done=applied")
	body := s.page(s.cy, "/oa/mine?done=applied", 200)
	if !strings.Contains(body, `data-status="pending"`) || !strings.Contains(body, "flash-ok") || strings.Contains(body, "oa-apply-link") {
		t.Error("my accounts lack the pending account")
	}
	redirects(t, "a pending account's page", s.get(s.cy, "/oa/cafe", nil), "/oa/mine")
	s.page(s.dee, "/oa/cafe", 404)
	s.page(s.cy, "/oa/cafe/console", 404)
	if rec := s.form(s.cy, "/oa/apply", url.Values{"handle": {"cafe2"}, "name": {"X"}, "category": {"food"}, "kind": {"service"}}); rec.Code != http.StatusConflict {
		t.Errorf("a second application: %d", rec.Code)
	}
	s.setStatus("cafe", oa.StatusRejected, "Not a real café")
	body = s.page(s.cy, "/oa/mine", 200)
	if !strings.Contains(body, "Not a real café") || !strings.Contains(body, "oa-apply-link") {
		t.Error("a rejected account shows no reason, or no way to apply again")
	}
}
