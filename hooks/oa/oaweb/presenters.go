package oaweb

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/oa"
	"plaza/hooks/web"
	views "plaza/views/oa"
)

// Presenters turn what the domain returned (already filtered by its
// rules) into the views' models: labels in the viewer's language,
// addresses, times. They never filter.

// signInFor is a visitor's way to sign in and come back to next; "" for
// a member (who acts instead).
func signInFor(e *core.RequestEvent, next string) string {
	if viewer(e) != "" {
		return ""
	}
	return "/login?next=" + url.QueryEscape(next)
}

// pageAccount is an account for the views.
func pageAccount(e *core.RequestEvent, a oa.Account) views.Account {
	href := oa.AccountPath(a.Handle)
	v := views.Account{Handle: a.Handle, Name: a.Name, Description: a.Description, Category: categoryLabel(e, a.Category),
		Kind: kindLabel(e, a.Kind), Service: a.Kind == oa.KindService, URL: href, Initial: letterOf(a.Name), Verified: a.Verified,
		Followers: a.Followers, Following: a.Following, Operator: a.Operator, SignIn: signInFor(e, href), Status: a.Status,
		RejectReason: a.RejectReason}
	if a.HasAvatar {
		v.Avatar = oa.AvatarPath(a.Handle)
	}
	return v
}

// pageFollowed is an account the member follows, for a list.
func pageFollowed(e *core.RequestEvent, f oa.Followed) views.Account {
	v := views.Account{Handle: f.Handle, Name: f.Name, Kind: kindLabel(e, f.Kind), URL: oa.AccountPath(f.Handle),
		Initial: letterOf(f.Name), Verified: f.Verified, Following: true, Description: f.LatestTitle}
	if f.HasAvatar {
		v.Avatar = oa.AvatarPath(f.Handle)
	}
	return v
}

func categoryLabel(e *core.RequestEvent, c string) string { return web.T(e, "oa.category_"+c) }

func kindLabel(e *core.RequestEvent, k string) string { return web.T(e, "oa.kind_"+k) }

// stamp is a stored time as RFC 3339 and its UTC date ("" for none).
func stamp(stored string) (iso, date string) {
	if stored == "" {
		return "", ""
	}
	t, err := types.ParseDateTime(stored)
	if err != nil || t.IsZero() {
		return "", ""
	}
	return t.Time().UTC().Format(time.RFC3339), t.Time().UTC().Format("2006-01-02 15:04")
}

// pageArticleItem is an article in a list; handle is its account's.
func pageArticleItem(handle string, a oa.Article) views.ArticleItem {
	v := views.ArticleItem{ID: a.ID, Title: a.Title, Digest: a.Digest, URL: oa.ArticlePath(handle, a.ID), Reads: a.Reads,
		Likes: a.Likes, Draft: a.PublishedAt == ""}
	v.ISO, v.Date = stamp(a.PublishedAt)
	if a.HasCover {
		v.Cover = oa.CoverPath(handle, a.ID) + "?v=small"
	}
	return v
}

// pageMenu is an account's custom menu as buttons: links go out, keywords
// open the account's chat with the keyword waiting in the composer, mini
// programs open theirs.
func pageMenu(handle string, m oa.Menu) []views.MenuButton {
	out := make([]views.MenuButton, 0, len(m))
	for _, b := range m {
		vb := views.MenuButton{Label: b.Label}
		if len(b.Items) == 0 {
			vb.Href, vb.External = menuHref(handle, b.Action, b.Value)
		}
		for _, it := range b.Items {
			href, ext := menuHref(handle, it.Action, it.Value)
			vb.Items = append(vb.Items, views.MenuItem{Label: it.Label, Href: href, External: ext})
		}
		out = append(out, vb)
	}
	return out
}

// menuHref is where a menu entry leads, and whether that is out of Plaza.
func menuHref(handle, action, value string) (string, bool) {
	switch action {
	case oa.ActionLink:
		if u, err := url.Parse(value); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			return value, true
		}
	case oa.ActionKeyword:
		return oa.AccountPath(handle) + "/chat?text=" + url.QueryEscape(value), false
	case oa.ActionMiniProgram:
		return "/mp/" + url.PathEscape(value) + "?scene=menu&back=" + url.QueryEscape(oa.AccountPath(handle)), false
	}
	return oa.AccountPath(handle), false
}

// clipText cuts s to n characters with an ellipsis.
func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// letterOf is the letter on a picture-less avatar.
func letterOf(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}
