package mpweb

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The console's JSON (docs/API.md, "Mini Programs — developer console"):
// members only; another member's app is the domain's 404 (mp.not_found)
// on every route, before anything of the request is read.

// registerDeveloperAPI adds the routes under /api/plaza/mp/developer.
func (h handlers) registerDeveloperAPI(se *core.ServeEvent) {
	api := se.Router.Group("/api/plaza/mp/developer").BindFunc(web.RequireMember)
	api.GET("", h.apiDevMode)
	api.PUT("", h.apiDevSetMode)
	api.GET("/apps", h.apiDevApps)
	api.POST("/apps", h.apiDevCreate).Bind(apis.BodyLimit(devFormLimit))
	api.GET("/apps/{appid}", h.apiDevApp)
	api.PATCH("/apps/{appid}", h.apiDevUpdate).Bind(apis.BodyLimit(devFormLimit))
	api.POST("/apps/{appid}/secret", h.apiDevRotate)
	api.GET("/apps/{appid}/versions", h.apiDevVersions)
	api.POST("/apps/{appid}/versions", h.apiDevUpload).Bind(apis.BodyLimit(devBundleLimit))
	api.POST("/apps/{appid}/versions/{id}/withdraw", h.apiDevVersionAction("withdraw"))
	api.POST("/apps/{appid}/versions/{id}/release", h.apiDevVersionAction("release"))
	api.POST("/apps/{appid}/rollback", h.apiDevRollback)
	api.GET("/apps/{appid}/stats", h.apiDevStats)
	api.GET("/apps/{appid}/orders", h.apiDevOrders)
	api.POST("/apps/{appid}/orders/{order}/refund", h.apiDevRefund)
	api.GET("/apps/{appid}/balance", h.apiDevBalance)
	api.POST("/apps/{appid}/payout", h.apiDevPayout)
}

// DevAppJSON is an app as its developer sees it (never its AppSecret but
// in CreatedAppJSON).
type DevAppJSON struct {
	AppID       string   `json:"appid"`
	Name        string   `json:"name"`
	Category    string   `json:"category"`
	Description string   `json:"description"`
	ServerURL   string   `json:"server_url"`
	WebhookURL  string   `json:"webhook_url"`
	DailyCap    int64    `json:"daily_cap"`
	Icon        string   `json:"icon"`
	Screenshots []string `json:"screenshots"`
	Released    string   `json:"released"`
	Previous    string   `json:"previous"`
	Live        bool     `json:"live"`
	Suspended   bool     `json:"suspended"`
	Created     string   `json:"created"`
}

// CreatedAppJSON is a new app with its AppSecret, given this once.
type CreatedAppJSON struct {
	DevAppJSON
	Secret string `json:"secret"`
}

func devAppJSON(a miniprograms.App) DevAppJSON {
	out := DevAppJSON{AppID: a.AppID, Name: a.Name, Category: a.Category, Description: a.Description, ServerURL: a.ServerURL,
		WebhookURL: a.WebhookURL, DailyCap: a.DailyCap, Released: a.Released, Previous: a.Previous, Live: a.Live(),
		Suspended: a.Suspended, Created: a.Created, Screenshots: []string{}}
	if a.Icon != "" {
		out.Icon = miniprograms.IconURL(a.AppID)
	}
	for _, s := range a.Screenshots {
		out.Screenshots = append(out.Screenshots, "/mp/"+a.AppID+"/screenshots/"+s)
	}
	return out
}

func (h handlers) apiDevMode(e *core.RequestEvent) error {
	on, err := h.mp.IsDeveloper(memberOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]bool{"enabled": on})
}

// apiDevSetMode is PUT {enabled}.
func (h handlers) apiDevSetMode(e *core.RequestEvent) error {
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if err := web.BindJSON(e, &in); err != nil {
		return web.APIError(e, err)
	}
	if in.Enabled == nil {
		return web.APIError(e, problem.Invalid("enabled", "validation_required", nil))
	}
	if err := h.mp.SetDeveloper(memberOf(e), *in.Enabled); err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]bool{"enabled": *in.Enabled})
}

func (h handlers) apiDevApps(e *core.RequestEvent) error {
	apps, err := h.mp.Mine(memberOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	items := make([]DevAppJSON, 0, len(apps))
	for _, a := range apps {
		items = append(items, devAppJSON(a))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// devFields are an app's fields as a request gives them (nil: not given).
type devFields struct {
	Name        *string `json:"name"`
	Category    *string `json:"category"`
	Description *string `json:"description"`
	ServerURL   *string `json:"server_url"`
	WebhookURL  *string `json:"webhook_url"`
	DailyCap    *int64  `json:"daily_cap"`
}

// over sets the given fields on in.
func (f devFields) over(in miniprograms.AppInput) miniprograms.AppInput {
	for _, s := range []struct{ from, to *string }{{f.Name, &in.Name}, {f.Category, &in.Category},
		{f.Description, &in.Description}, {f.ServerURL, &in.ServerURL}, {f.WebhookURL, &in.WebhookURL}} {
		if s.from != nil {
			*s.to = *s.from
		}
	}
	if f.DailyCap != nil {
		in.DailyCap = *f.DailyCap
	}
	return in
}

// apiDevFields binds an app's fields from JSON, or from a multipart form
// with the same fields (daily_cap in cents), an "icon" and "screenshots".
func apiDevFields(e *core.RequestEvent) (devFields, miniprograms.AppInput, error) {
	var f devFields
	var pics miniprograms.AppInput
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		return f, pics, web.BindJSON(e, &f)
	}
	if err := e.Request.ParseMultipartForm(devFormLimit); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return f, pics, problem.Invalid("icon", "moments.upload_failed", nil)
	}
	field := func(name string) *string {
		if v, ok := e.Request.Form[name]; ok && len(v) > 0 {
			return &v[0]
		}
		return nil
	}
	f = devFields{Name: field("name"), Category: field("category"), Description: field("description"),
		ServerURL: field("server_url"), WebhookURL: field("webhook_url")}
	if c := field("daily_cap"); c != nil {
		cents, err := strconv.ParseInt(strings.TrimSpace(*c), 10, 64)
		if err != nil {
			return f, pics, problem.Invalid("daily_cap", "mp.cap_bad", map[string]any{"max": miniprograms.MaxDailyCap})
		}
		f.DailyCap = &cents
	}
	return f, pics, devAppImages(e, &pics)
}

// apiDevCreate is POST /apps: 201 the app with its AppSecret (this once).
func (h handlers) apiDevCreate(e *core.RequestEvent) error {
	f, pics, err := apiDevFields(e)
	if err != nil {
		return web.APIError(e, err)
	}
	in := f.over(miniprograms.AppInput{})
	in.Icon, in.Screenshots = pics.Icon, pics.Screenshots
	a, secret, err := h.mp.CreateApp(memberOf(e), in)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, CreatedAppJSON{DevAppJSON: devAppJSON(a), Secret: secret})
}

func (h handlers) apiDevApp(e *core.RequestEvent) error {
	a, err := h.mp.Own(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, devAppJSON(a))
}

// apiDevUpdate is PATCH /apps/{appid}: the fields given change, the
// others stay (an icon or screenshots left out too).
func (h handlers) apiDevUpdate(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	cur, err := h.mp.Own(me, appid)
	if err != nil {
		return web.APIError(e, err)
	}
	f, pics, err := apiDevFields(e)
	if err != nil {
		return web.APIError(e, err)
	}
	in := f.over(miniprograms.AppInput{Name: cur.Name, Category: cur.Category, Description: cur.Description,
		ServerURL: cur.ServerURL, WebhookURL: cur.WebhookURL, DailyCap: cur.DailyCap})
	in.Icon, in.Screenshots = pics.Icon, pics.Screenshots
	a, err := h.mp.UpdateApp(me, appid, in)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, devAppJSON(a))
}

func (h handlers) apiDevRotate(e *core.RequestEvent) error {
	secret, err := h.mp.RotateSecret(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]string{"secret": secret})
}
