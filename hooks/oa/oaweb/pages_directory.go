package oaweb

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/oa"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/oa"
)

// Finding accounts (the directory and its search), the accounts a member
// follows, applying for one and the member's own.

// directoryPage is GET /oa[?category=][&q=]: approved accounts, most
// followed first, of one category and matching q.
func (h handlers) directoryPage(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	d := views.Directory{Query: q.Get("q"), Category: q.Get("category")}
	all := views.Category{Label: web.T(e, "oa.category_all"), URL: "/oa", Current: d.Category == ""}
	d.Categories = append(d.Categories, all)
	for _, c := range oa.Categories {
		href := "/oa?category=" + url.QueryEscape(c)
		if d.Query != "" {
			href += "&q=" + url.QueryEscape(d.Query)
		}
		d.Categories = append(d.Categories, views.Category{Label: categoryLabel(e, c), URL: href, Current: c == d.Category})
	}
	list, err := h.oa.Directory(d.Category, d.Query)
	status := http.StatusOK
	if refused := pageRefusal(err); refused != nil {
		d.Error, status = refusalText(e, refused), refused.Status
	} else if err != nil {
		return err
	}
	for _, a := range list {
		d.Accounts = append(d.Accounts, pageAccount(e, a))
	}
	return memberScreen(e, status, web.T(e, "oa.title"), "/discover", views.DirectoryView(d))
}

// followingPage is GET /oa/following: the accounts the member follows
// (Contacts → Official Accounts).
func (h handlers) followingPage(e *core.RequestEvent) error {
	list, err := h.oa.Followed(e.Auth.Id)
	if err != nil {
		return err
	}
	var v views.AccountList
	for _, f := range list {
		v.Accounts = append(v.Accounts, pageFollowed(e, f))
	}
	s := accountsweb.ShellFor(e, web.T(e, "oa.following_title"), layout.TabContacts, layout.FocusDetail, "/contacts")
	return web.Render(e, http.StatusOK, layout.AppShell(s, layout.PaneHeader(web.T(e, "tabs.contacts")), views.FollowingView(v)))
}

// minePage is GET /oa/mine: the member's accounts with their status.
func (h handlers) minePage(e *core.RequestEvent) error {
	m, err := h.mine(e)
	if err != nil {
		return err
	}
	m.Flash = pageFlash(e, "applied")
	return memberScreen(e, http.StatusOK, web.T(e, "oa.mine_title"), "/oa", views.MineView(m))
}

// mine is the member's accounts; they may apply while none is pending or
// approved.
func (h handlers) mine(e *core.RequestEvent) (views.Mine, error) {
	list, err := h.oa.MyAccounts(e.Auth.Id)
	if err != nil {
		return views.Mine{}, err
	}
	m := views.Mine{CanApply: true}
	for _, a := range list {
		if a.Mine && a.Status != oa.StatusRejected {
			m.CanApply = false
		}
		m.Accounts = append(m.Accounts, pageAccount(e, a))
	}
	return m, nil
}

// applyModel is the application form holding in.
func applyModel(e *core.RequestEvent, in oa.ApplyInput) views.Apply {
	v := views.Apply{Handle: in.Handle, Name: in.Name, Description: in.Description}
	for _, c := range oa.Categories {
		v.Categories = append(v.Categories, views.Option{Value: c, Label: categoryLabel(e, c), Selected: c == in.Category})
	}
	for _, k := range []string{oa.KindSubscription, oa.KindService} {
		v.Kinds = append(v.Kinds, views.Option{Value: k, Label: kindLabel(e, k), Selected: k == in.Kind || (in.Kind == "" && k == oa.KindSubscription)})
	}
	return v
}

// applyPage is GET /oa/apply and its POST (handle, name, description,
// category, kind, avatar): then the member's accounts, pending.
func (h handlers) applyPage(e *core.RequestEvent) error {
	in := oa.ApplyInput{Category: "community"}
	status := http.StatusOK
	var v views.Apply
	if e.Request.Method == http.MethodPost {
		in = oa.ApplyInput{Handle: e.Request.FormValue("handle"), Name: e.Request.FormValue("name"),
			Description: e.Request.FormValue("description"), Category: e.Request.FormValue("category"), Kind: e.Request.FormValue("kind")}
		var err error
		if in.Avatar, err = formFile(e, "avatar"); err == nil {
			_, err = h.oa.Apply(e.Auth.Id, in)
		}
		refused := pageRefusal(err)
		if refused == nil && err != nil {
			return err
		}
		if refused == nil {
			return web.Redirect(e, "/oa/mine?done=applied")
		}
		v = applyModel(e, in)
		v.Errors, v.Flash, status = web.FieldErrors(e, refused), refusalFlash(e, refused), refused.Status
	} else {
		v = applyModel(e, in)
	}
	return memberScreen(e, status, web.T(e, "oa.apply_title"), "/oa/mine", views.ApplyView(v))
}

// formFile is the one file of a form field (nil for none).
func formFile(e *core.RequestEvent, field string) (*filesystem.File, error) {
	files, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil || len(files) == 0 {
		return nil, problem.Invalid(field, "moments.upload_failed", nil)
	}
	return files[0], nil
}
