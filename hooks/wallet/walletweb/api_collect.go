package walletweb

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/web"
)

// apiCollectLink is GET /api/plaza/wallet/collect-link[?amount=<cents>]:
// the caller's collect link, the one the Receive money page shows as a QR
// code (an open code, or one with the amount signed into it). "link" is
// the path POST /api/plaza/wallet/pay takes; "url" is what the QR holds.
func (a api) apiCollectLink(e *core.RequestEvent) error {
	cents, err := centsParam(e, "amount", "amount")
	if err != nil {
		return web.APIError(e, err)
	}
	path, err := a.w.CollectLink(e.Auth.Id, cents)
	if err != nil {
		return web.APIError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"link": path,
		"url": web.SiteURL(e.App, path), "amount": cents})
}

// apiResetCollect is POST /api/plaza/wallet/collect-link/reset: every
// collect code shown so far stops working (scan.revoked), as the page's
// Reset does.
func (a api) apiResetCollect(e *core.RequestEvent) error {
	if err := a.w.ResetCollect(e.Auth.Id); err != nil {
		return web.APIError(e, err)
	}
	return e.NoContent(http.StatusNoContent)
}
