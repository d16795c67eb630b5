package mpweb

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms"
	"plaza/hooks/web"
)

// The console's JSON for versions, stats and money.

func (h handlers) apiDevVersions(e *core.RequestEvent) error {
	list, err := h.mp.Versions(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	if list == nil {
		list = []miniprograms.Version{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": list})
}

// apiDevUpload is POST /apps/{appid}/versions: multipart with a "bundle"
// zip and a "note"; or JSON (or a form) {url, version, note, permissions}
// for an external https app. 201 the version, in review.
func (h handlers) apiDevUpload(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	if _, err := h.mp.Own(me, appid); err != nil {
		return web.APIError(e, err)
	}
	var in struct {
		URL         string   `json:"url"`
		Version     string   `json:"version"`
		Note        string   `json:"note"`
		Permissions []string `json:"permissions"`
	}
	var bundle []byte
	if strings.HasPrefix(e.Request.Header.Get("Content-Type"), "application/json") {
		if err := web.BindJSON(e, &in); err != nil {
			return web.APIError(e, err)
		}
	} else {
		var err error
		if bundle, err = devBundle(e); err != nil {
			return web.APIError(e, err)
		}
		in.URL, in.Version, in.Note = e.Request.FormValue("url"), e.Request.FormValue("version"), e.Request.FormValue("note")
		in.Permissions = e.Request.Form["permissions"]
	}
	v, err := h.devSubmit(me, appid, bundle, in.URL, in.Version, in.Note, in.Permissions)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusCreated, v)
}

// apiDevVersionAction is POST /apps/{appid}/versions/{id}/withdraw or
// /release: the version after it.
func (h handlers) apiDevVersionAction(action string) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		me, appid, id := memberOf(e), appidOf(e), e.Request.PathValue("id")
		var err error
		if action == "withdraw" {
			err = h.mp.WithdrawVersion(me, appid, id)
		} else {
			err = h.mp.Release(me, appid, id)
		}
		if err != nil {
			return web.APIError(e, err)
		}
		a, err := h.mp.Own(me, appid)
		if err != nil {
			return web.APIError(e, err)
		}
		v, err := h.mp.VersionOf(a, id)
		if err != nil {
			return web.APIError(e, err)
		}
		return e.JSON(http.StatusOK, v)
	}
}

// apiDevRollback is POST /apps/{appid}/rollback: the app, its previous
// version released again.
func (h handlers) apiDevRollback(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	if err := h.mp.Rollback(me, appid); err != nil {
		return web.APIError(e, err)
	}
	return h.apiDevApp(e)
}

func (h handlers) apiDevStats(e *core.RequestEvent) error {
	days, err := h.mp.Stats(memberOf(e), appidOf(e), devStatsDays)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"days": days})
}

func (h handlers) apiDevOrders(e *core.RequestEvent) error {
	list, err := h.mp.Orders(memberOf(e), appidOf(e), devOrdersMax)
	if err != nil {
		return web.APIError(e, err)
	}
	if list == nil {
		list = []miniprograms.Order{}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": list})
}

// apiAmount binds {"amount": cents}.
func apiAmount(e *core.RequestEvent) (int64, error) {
	var in struct {
		Amount int64 `json:"amount"`
	}
	err := web.BindJSON(e, &in)
	return in.Amount, err
}

// apiDevRefund is POST /apps/{appid}/orders/{order}/refund {amount}.
func (h handlers) apiDevRefund(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	if _, err := h.mp.Own(me, appid); err != nil {
		return web.APIError(e, err)
	}
	amount, err := apiAmount(e)
	if err != nil {
		return web.APIError(e, err)
	}
	o, err := h.mp.DeveloperRefund(me, appid, e.Request.PathValue("order"), amount)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, o)
}

func (h handlers) apiDevBalance(e *core.RequestEvent) error {
	b, err := h.mp.Balance(memberOf(e), appidOf(e))
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]int64{"balance": b})
}

// apiDevPayout is POST /apps/{appid}/payout {amount}: {entry, balance}.
func (h handlers) apiDevPayout(e *core.RequestEvent) error {
	me, appid := memberOf(e), appidOf(e)
	if _, err := h.mp.Own(me, appid); err != nil {
		return web.APIError(e, err)
	}
	amount, err := apiAmount(e)
	if err != nil {
		return web.APIError(e, err)
	}
	entry, err := h.mp.Payout(me, appid, amount)
	if err != nil {
		return web.APIError(e, err)
	}
	b, err := h.mp.Balance(me, appid)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"entry": entry, "balance": b})
}
