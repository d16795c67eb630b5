package wallet

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// apiCollectLink is GET /api/plaza/wallet/collect-link[?amount=<cents>]:
// the caller's collect link, the one the Receive money page shows as a QR
// code (an open code, or one with the amount signed into it). "link" is
// the path POST /api/plaza/wallet/pay takes; "url" is what the QR holds.
func (w *Wallet) apiCollectLink(e *core.RequestEvent) error {
	var cents int64
	if a := e.Request.URL.Query().Get("amount"); a != "" {
		var err error
		if cents, err = strconv.ParseInt(a, 10, 64); err != nil || cents <= 0 || cents > MaxAmount {
			return web.APIError(e, problem.Invalid("amount", "wallet.amount_bad", nil))
		}
	}
	path, err := w.CollectLink(e.Auth.Id, cents)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"link": path,
		"url": web.SiteURL(e.App, path), "amount": cents})
}

// apiResetCollect is POST /api/plaza/wallet/collect-link/reset: every
// collect code shown so far stops working (scan.revoked), as the page's
// Reset does.
func (w *Wallet) apiResetCollect(e *core.RequestEvent) error {
	if err := w.ResetCollect(e.Auth.Id); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
