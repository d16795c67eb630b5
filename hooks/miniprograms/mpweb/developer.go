package mpweb

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/accounts"
	"plaza/hooks/accounts/accountsweb"
	"plaza/hooks/media"
	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/web"
	accviews "plaza/views/accounts"
	"plaza/views/layout"
)

// Developer mode and the developer console (Me → Settings → Developer
// mode): a member turns developer mode on, registers mini programs (the
// AppSecret shown once), edits them, rotates the secret, uploads versions
// (a zip bundle or an external https URL) for review, previews, withdraws,
// releases and rolls back versions, reads 14 days of stats, moves the
// app's balance to their wallet and refunds orders. The pages live under
// /developer (never under /mp/…, whose /mp/{appid}/… patterns are the
// runtime's and the directory's); their JSON twins under
// /api/plaza/mp/developer. Every app route answers another member the
// domain's one 404 (mp.not_found).

// Body limits of the console's forms.
const (
	devFormLimit   = 32 << 20                                // an app's form: an icon and up to 5 screenshots
	devBundleLimit = miniprograms.BundleMaxBytes + (1 << 20) // a bundle and the version's fields
	devIconMax     = 2 << 20                                 // mp_apps.icon's MaxSize
	devShotMax     = 5 << 20                                 // mp_apps.screenshots' MaxSize
	devStatsDays   = 14
	devOrdersMax   = 30
)

// registerDeveloper adds developer mode and the console's pages and JSON.
func (h handlers) registerDeveloper(se *core.ServeEvent) {
	members := web.Pages(se).BindFunc(web.RequireMember)
	members.GET("/developer", h.devHomePage)
	members.POST("/developer", h.devModeForm)
	members.GET("/developer/new", h.devNewPage)
	members.POST("/developer/new", h.devNewPage).Bind(apis.BodyLimit(devFormLimit))
	members.GET("/developer/{appid}", h.devConsolePage)
	members.GET("/developer/{appid}/edit", h.devEditPage)
	members.POST("/developer/{appid}/edit", h.devEditPage).Bind(apis.BodyLimit(devFormLimit))
	members.POST("/developer/{appid}/secret", h.devRotatePage)
	members.POST("/developer/{appid}/versions", h.devUploadPage).Bind(apis.BodyLimit(devBundleLimit))
	members.POST("/developer/{appid}/versions/{id}/{action}", h.devVersionPage)
	members.POST("/developer/{appid}/rollback", h.devRollbackPage)
	members.POST("/developer/{appid}/payout", h.devPayoutPage)
	members.POST("/developer/{appid}/orders/{order}/refund", h.devRefundPage)
	h.registerDeveloperAPI(se)
}

// devBase is an app's console.
func devBase(appid string) string { return "/developer/" + url.PathEscape(appid) }

// devScreen shows a console screen in the Me tab, beside Me's menu; back
// is where Back leads when the member came from nowhere else.
func devScreen(e *core.RequestEvent, status int, title, back string, detail templ.Component) error {
	s := accountsweb.ShellFor(e, title, layout.TabMe, layout.FocusDetail, back)
	menu := accviews.MeMenu(accountsweb.ProfileOf(accounts.AsMember(web.Member(e))), "settings")
	return web.Render(e, status, layout.AppShell(s, menu, detail))
}

// devRefusal is err as a problem a page shows beside its form, or nil
// when err is the app's 404 (another's app: the error page) or a failure.
func devRefusal(err error) *problem.Problem {
	p, ok := problem.As(err)
	if !ok || p.Status >= 500 || p.Key == "mp.not_found" {
		return nil
	}
	return p
}

// devRefusalText is a refusal's message: its own, else its first field's.
func devRefusalText(e *core.RequestEvent, p *problem.Problem) string {
	if msg := web.ProblemMessage(e, p); msg != "" {
		return msg
	}
	if errs := web.FieldErrors(e, p); len(errs) > 0 {
		return errs[0].Message
	}
	return web.T(e, "errors.bad_request")
}

// devDone adds ?done=key to a console's address.
func devDone(href, key string) string { return href + "?done=" + key }

// devFlash is the notice after a form redirected with ?done=<key>: only
// keys of keys.
func devFlash(e *core.RequestEvent, keys ...string) layout.Flash {
	done := e.Request.URL.Query().Get("done")
	for _, k := range keys {
		if k == done {
			return layout.Flash{Kind: "ok", Message: web.T(e, "mp.dev_done_"+k)}
		}
	}
	return layout.Flash{}
}

// devImages are the cleaned pictures of a form's field (re-encoded
// without metadata; a file that is not a picture, or too large once
// cleaned, is a 400 naming field), nil when none was sent.
func devImages(e *core.RequestEvent, field string, maxBytes int) ([]*filesystem.File, error) {
	files, err := e.FindUploadedFiles(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, problem.Invalid(field, "moments.upload_failed", nil)
	}
	if len(files) > miniprograms.ScreenshotsMax {
		return nil, problem.Invalid(field, "mp.screenshots_too_many", map[string]any{"max": miniprograms.ScreenshotsMax})
	}
	out := make([]*filesystem.File, 0, len(files))
	for _, f := range files {
		p, err := media.CleanUpload(f, field)
		if err != nil {
			return nil, err
		}
		if len(p.Data) > maxBytes {
			return nil, problem.Invalid(field, "media.photo_too_large", nil)
		}
		clean, err := filesystem.NewFileFromBytes(p.Data, field+p.Ext)
		if err != nil {
			return nil, fmt.Errorf("clean %s: %w", field, err)
		}
		out = append(out, clean)
	}
	return out, nil
}

// devAppImages sets in's icon and screenshots from the form (none sent:
// the app keeps its own).
func devAppImages(e *core.RequestEvent, in *miniprograms.AppInput) error {
	icon, err := devImages(e, "icon", devIconMax)
	if err != nil {
		return err
	}
	if len(icon) > 1 {
		return problem.Invalid("icon", "mp.dev_one_icon", nil)
	}
	if len(icon) == 1 {
		in.Icon = icon[0]
	}
	in.Screenshots, err = devImages(e, "screenshots", devShotMax)
	return err
}

// devBundle is the form's bundle: nil when no file was sent.
func devBundle(e *core.RequestEvent) ([]byte, error) {
	f, _, err := e.Request.FormFile("bundle")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, problem.Invalid("bundle", "mp.bundle_not_zip", nil)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, miniprograms.BundleMaxBytes+1))
	if err != nil {
		return nil, problem.Invalid("bundle", "mp.bundle_not_zip", nil)
	}
	return data, nil
}

// devSubmit stores a new version: the bundle when one was sent, else the
// external app at rawURL.
func (h handlers) devSubmit(me, appid string, bundle []byte, rawURL, version, note string, perms []string) (miniprograms.Version, error) {
	if _, err := h.mp.Own(me, appid); err != nil { // another's app: 404 before anything of the upload is read
		return miniprograms.Version{}, err
	}
	if len(bundle) > 0 {
		return h.mp.UploadVersion(me, appid, bundle, note)
	}
	if rawURL == "" && version == "" {
		return miniprograms.Version{}, problem.Invalid("bundle", "mp.dev_bundle_or_url", nil)
	}
	return h.mp.SubmitURL(me, appid, rawURL, version, note, perms)
}
