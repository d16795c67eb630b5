package mpweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/wallet"
	"plaza/hooks/web"
)

// The host's JSON (docs/API.md, "Mini Programs"): what public/js/mphost.js
// calls for the member when the app asks through the bridge. Only
// Plaza's own page can call it: the session cookie never speaks for a
// sandboxed frame (Origin "null") or another site, and writes are checked
// against cross-site requests. An app never reaches these routes itself.

// registerBridgeAPI adds the routes under /api/plaza/mp/apps/{appid}.
func (h handlers) registerBridgeAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/mp/apps/{appid}").BindFunc(web.RequireMember)
	api.POST("/open", h.apiOpen)
	api.POST("/login", h.apiLogin)
	api.GET("/profile", h.apiProfile)
	api.POST("/profile", h.apiConsent)
	api.DELETE("/profile", h.apiRevoke)
	api.GET("/orders/{order}", h.apiOrder)
	api.POST("/orders/{order}/pay", h.apiPay)
	api.GET("/storage", h.apiStorageKeys)
	api.GET("/storage/{key}", h.apiStorageGet)
	api.PUT("/storage/{key}", h.apiStorageSet).Bind(apis.BodyLimit(miniprograms.StorageQuota + 4096))
	api.DELETE("/storage/{key}", h.apiStorageRemove)
	api.POST("/star", h.apiStar(true))
	api.DELETE("/star", h.apiStar(false))
}

func memberOf(e *core.RequestEvent) string { return web.Member(e).Id }

func appidOf(e *core.RequestEvent) string { return e.Request.PathValue("appid") }

// LaunchJSON is a signed launch (docs/MINIPROGRAMS.md, "Launch").
type LaunchJSON struct {
	AppID  string `json:"appid"`
	OpenID string `json:"openid"`
	Scene  string `json:"scene"`
	TS     int64  `json:"ts"`
	Sig    string `json:"sig"`
	Query  string `json:"query"`
}

// apiOpen is POST /open {scene}: the member opens the app (recent use,
// stats) and gets its signed launch, as the host page does.
func (h handlers) apiOpen(e *core.RequestEvent) error {
	var in struct {
		Scene string `json:"scene"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	a, err := h.mp.Visible(memberOf(e), appidOf(e))
	if err == nil && !a.Live() {
		err = miniprograms.NotFound()
	}
	if err != nil {
		return web.APIError(e, err)
	}
	l, err := h.mp.Open(memberOf(e), a, in.Scene)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, LaunchJSON{AppID: l.AppID, OpenID: l.OpenID, Scene: l.Scene, TS: l.TS, Sig: l.Sig, Query: l.Query()})
}

// apiLogin is plaza.login(): a one-time code for the app's server.
func (h handlers) apiLogin(e *core.RequestEvent) error {
	code, err := h.mp.Login(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"code": code, "expires_in": int(miniprograms.CodeTTL.Seconds())})
}

// profileOf is the member's name and photo as an app may see them.
func profileOf(e *core.RequestEvent) miniprograms.Profile {
	m := web.Member(e)
	p := miniprograms.Profile{Nickname: m.GetString("name")}
	if p.Nickname == "" {
		p.Nickname = m.GetString("plaza_id")
	}
	if m.GetString("avatar") != "" {
		p.Avatar = web.SiteURL(e.App, "/avatar/"+m.Id)
	}
	return p
}

// apiProfile is plaza.getUserProfile(): the profile once the member
// consented, else 403 mp.consent_needed (the host then asks).
func (h handlers) apiProfile(e *core.RequestEvent) error {
	a, err := h.mp.Visible(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	if err := h.mp.Permitted(memberOf(e), a, "userInfo"); err != nil {
		return web.APIError(e, err)
	}
	ok, err := h.mp.HasConsent(memberOf(e), a)
	if err != nil {
		return web.APIError(e, err)
	}
	if !ok {
		return web.APIError(e, problem.New(http.StatusForbidden, "mp.consent_needed"))
	}
	return e.JSON(http.StatusOK, profileOf(e))
}

// apiConsent is POST /profile {allow}: the member's answer on the host's
// consent sheet; allowed, the answer is the profile.
func (h handlers) apiConsent(e *core.RequestEvent) error {
	var in struct {
		Allow bool `json:"allow"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	a, err := h.mp.Visible(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	if err := h.mp.Permitted(memberOf(e), a, "userInfo"); err != nil {
		return web.APIError(e, err)
	}
	if err := h.mp.SetConsent(memberOf(e), a, in.Allow); err != nil {
		return web.APIError(e, err)
	}
	if !in.Allow {
		return web.APIError(e, problem.New(http.StatusForbidden, "mp.denied"))
	}
	return e.JSON(http.StatusOK, profileOf(e))
}

// apiRevoke is DELETE /profile: the member takes their consent back.
func (h handlers) apiRevoke(e *core.RequestEvent) error {
	a, err := h.mp.Find(appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	if err := h.mp.SetConsent(memberOf(e), a, false); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// SheetJSON is what the host's pay sheet shows.
type SheetJSON struct {
	miniprograms.Order
	AppName   string `json:"app_name"`
	AmountTxt string `json:"amount_text"`
	PaidToday int64  `json:"paid_today"`
	PaidTxt   string `json:"paid_today_text"`
	Cap       int64  `json:"daily_cap"`
	CapTxt    string `json:"cap_text"`
}

// apiOrder is the member's order for the host's pay sheet.
func (h handlers) apiOrder(e *core.RequestEvent) error {
	s, err := h.mp.MemberOrder(memberOf(e), appidOf(e), e.Request.PathValue("order"))
	if err != nil {
		return web.APIError(e, err)
	}
	w := h.mp.Wallet()
	return e.JSON(http.StatusOK, SheetJSON{Order: s.Order, AppName: s.App.Name, AmountTxt: w.Money(s.Order.Amount),
		PaidToday: s.PaidToday, PaidTxt: w.Money(s.PaidToday), Cap: s.Cap, CapTxt: w.Money(s.Cap)})
}

// apiPay is POST /orders/{order}/pay {pin, key}: the member confirmed
// the host's pay sheet with their PIN.
func (h handlers) apiPay(e *core.RequestEvent) error {
	var in struct {
		PIN string `json:"pin"`
		Key string `json:"key"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	if err := wallet.CheckKey(in.Key); err != nil {
		return web.APIError(e, err)
	}
	o, err := h.mp.PayOrder(memberOf(e), appidOf(e), e.Request.PathValue("order"), in.Key, in.PIN)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, o)
}

func (h handlers) apiStorageKeys(e *core.RequestEvent) error {
	use, err := h.mp.StorageKeys(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, use)
}

func (h handlers) apiStorageGet(e *core.RequestEvent) error {
	key := e.Request.PathValue("key")
	v, err := h.mp.StorageGet(memberOf(e), appidOf(e), key)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]string{"key": key, "value": v})
}

func (h handlers) apiStorageSet(e *core.RequestEvent) error {
	var in struct {
		Value string `json:"value"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	use, err := h.mp.StorageSet(memberOf(e), appidOf(e), e.Request.PathValue("key"), in.Value)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, use)
}

func (h handlers) apiStorageRemove(e *core.RequestEvent) error {
	if err := h.mp.StorageRemove(memberOf(e), appidOf(e), e.Request.PathValue("key")); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}

// apiStar adds the app to (or takes it from) "My Mini Programs".
func (h handlers) apiStar(on bool) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if err := h.mp.Star(memberOf(e), appidOf(e), on); err != nil {
			return web.APIError(e, err)
		}
		return e.JSON(http.StatusOK, map[string]bool{"starred": on})
	}
}
