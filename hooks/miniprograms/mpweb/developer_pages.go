package mpweb

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
	"plaza/views/layout"
	views "plaza/views/mp"
)

// The console's pages before an app's overview: developer mode and the
// member's apps, registering an app (then its AppSecret, once), editing
// it, and rotating its AppSecret (then the new one, once).

// devHomePage is GET /developer: developer mode's switch and the member's
// apps (kept and running when the mode is off).
func (h handlers) devHomePage(e *core.RequestEvent) error {
	me := memberOf(e)
	on, err := h.mp.IsDeveloper(me)
	if err != nil {
		return err
	}
	apps, err := h.mp.Mine(me)
	if err != nil {
		return err
	}
	v := views.DevHome{Enabled: on, Flash: devFlash(e, "on", "off")}
	for _, a := range apps {
		row := views.DevAppRow{AppID: a.AppID, Name: a.Name, Suspended: a.Suspended, Href: devBase(a.AppID)}
		if a.Icon != "" {
			row.IconURL = miniprograms.IconURL(a.AppID)
		}
		if a.Released != "" {
			if r, err := h.mp.VersionOf(a, a.Released); err == nil {
				row.Live = r.Version
			}
		}
		v.Apps = append(v.Apps, row)
	}
	return devScreen(e, http.StatusOK, web.T(e, "mp.dev_title"), "/me/settings", views.DevHomeView(v))
}

// devModeForm is POST /developer (on=1 turns developer mode on, else off).
func (h handlers) devModeForm(e *core.RequestEvent) error {
	on := e.Request.FormValue("on") == "1"
	if err := h.mp.SetDeveloper(memberOf(e), on); err != nil {
		return err
	}
	if on {
		return web.Redirect(e, devDone("/developer", "on"))
	}
	return web.Redirect(e, devDone("/developer", "off"))
}

// devFormModel is the app form for a (a zero App: a new one) with the
// member's values of the form when it was sent.
func (h handlers) devFormModel(e *core.RequestEvent, a miniprograms.App) views.DevForm {
	f := views.DevForm{New: a.AppID == "", AppID: a.AppID, Name: a.Name, Category: a.Category, Description: a.Description,
		ServerURL: a.ServerURL, WebhookURL: a.WebhookURL, Currency: h.mp.Wallet().Symbol(),
		MaxScreenshots: miniprograms.ScreenshotsMax, NameMax: miniprograms.NameMax, DescriptionMax: miniprograms.DescriptionMax,
		MaxCap: h.mp.Wallet().Money(miniprograms.MaxDailyCap), Action: "/developer/new", Back: "/developer"}
	f.DailyCap = wallet.PlainAmount(miniprograms.DefaultDailyCap)
	if a.DailyCap > 0 {
		f.DailyCap = wallet.PlainAmount(a.DailyCap)
	}
	if !f.New {
		f.Action, f.Back = devBase(a.AppID)+"/edit", devBase(a.AppID)
		if a.Icon != "" {
			f.IconURL = miniprograms.IconURL(a.AppID)
		}
		for _, s := range a.Screenshots {
			f.Screenshots = append(f.Screenshots, "/mp/"+a.AppID+"/screenshots/"+s)
		}
	}
	if e.Request.Method == http.MethodPost {
		f.Name, f.Category, f.Description = e.Request.FormValue("name"), e.Request.FormValue("category"), e.Request.FormValue("description")
		f.ServerURL, f.WebhookURL, f.DailyCap = e.Request.FormValue("server_url"), e.Request.FormValue("webhook_url"), e.Request.FormValue("daily_cap")
	}
	for _, c := range miniprograms.Categories {
		f.Categories = append(f.Categories, views.DevOption{Value: c, Label: web.T(e, "mp.category_"+c), Selected: c == f.Category})
	}
	return f
}

// devFormInput binds the page's app form: the daily cap is an amount
// ("500", "500.00"; empty: the default; not an amount: refused with the
// other fields), pictures are cleaned.
func devFormInput(e *core.RequestEvent) (miniprograms.AppInput, error) {
	in := miniprograms.AppInput{Name: e.Request.FormValue("name"), Category: e.Request.FormValue("category"),
		Description: e.Request.FormValue("description"), ServerURL: e.Request.FormValue("server_url"),
		WebhookURL: e.Request.FormValue("webhook_url")}
	if c := strings.TrimSpace(e.Request.FormValue("daily_cap")); c != "" {
		cents, err := wallet.ParseAmount(c)
		if err != nil {
			cents = -1 // the domain's check refuses it (mp.cap_bad) with the form's other fields
		}
		in.DailyCap = cents
	}
	return in, devAppImages(e, &in)
}

// devFormRefused shows the form again with the refusal beside its fields.
func (h handlers) devFormRefused(e *core.RequestEvent, a miniprograms.App, p *problem.Problem) error {
	f := h.devFormModel(e, a)
	f.Errors = web.FieldErrors(e, p)
	f.Flash = layout.Flash{Kind: "error", Message: devRefusalText(e, p)}
	return devScreen(e, p.Status, web.T(e, "mp.dev_title"), f.Back, views.DevFormView(f))
}

// devNewPage is GET and POST /developer/new: the form, then the new app's
// AppSecret (shown this once: the page is not cached, the secret is in no
// address).
func (h handlers) devNewPage(e *core.RequestEvent) error {
	me := memberOf(e)
	if e.Request.Method == http.MethodGet {
		on, err := h.mp.IsDeveloper(me)
		if err != nil {
			return err
		}
		if !on {
			return h.devFormRefused(e, miniprograms.App{}, problem.New(http.StatusForbidden, "mp.developer_only"))
		}
		return devScreen(e, http.StatusOK, web.T(e, "mp.dev_register"), "/developer", views.DevFormView(h.devFormModel(e, miniprograms.App{})))
	}
	in, err := devFormInput(e)
	var a miniprograms.App
	var secret string
	if err == nil {
		a, secret, err = h.mp.CreateApp(me, in)
	}
	if p := devRefusal(err); p != nil {
		return h.devFormRefused(e, miniprograms.App{}, p)
	}
	if err != nil {
		return err
	}
	return h.devSecretPage(e, a, secret, false)
}

// devSecretPage shows an AppSecret this once.
func (h handlers) devSecretPage(e *core.RequestEvent, a miniprograms.App, secret string, rotated bool) error {
	v := views.DevSecret{AppID: a.AppID, Name: a.Name, Secret: secret, Rotated: rotated, ConsoleHref: devBase(a.AppID)}
	return devScreen(e, http.StatusOK, a.Name, devBase(a.AppID), views.DevSecretView(v))
}

// devEditPage is GET and POST /developer/{appid}/edit: the app's details
// (an icon or screenshots left out keep the old ones).
func (h handlers) devEditPage(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	a, err := h.mp.Own(me, appid)
	if err != nil {
		return err
	}
	if e.Request.Method == http.MethodGet {
		return devScreen(e, http.StatusOK, web.T(e, "mp.dev_edit"), devBase(appid), views.DevFormView(h.devFormModel(e, a)))
	}
	in, err := devFormInput(e)
	if err == nil {
		_, err = h.mp.UpdateApp(me, appid, in)
	}
	if p := devRefusal(err); p != nil {
		return h.devFormRefused(e, a, p)
	}
	if err != nil {
		return err
	}
	return web.Redirect(e, devDone(devBase(appid), "saved"))
}

// devRotatePage is POST /developer/{appid}/secret: a new AppSecret (the
// old one stops working), shown this once.
func (h handlers) devRotatePage(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	a, err := h.mp.Own(me, appid)
	if err != nil {
		return err
	}
	secret, err := h.mp.RotateSecret(me, appid)
	if err != nil {
		return err
	}
	return h.devSecretPage(e, a, secret, true)
}
