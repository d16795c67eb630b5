package hooks_test

import (
	"net/http"
	"testing"

	"plaza/hooks/internal/testapp"
)

// mpDirRefusals are the refused side of the Mini Programs directory's
// JSON: no session, and a member asking about an app that is not there
// (not live and not theirs: the same 404) or a permission never given.
func mpDirRefusals(t *testing.T, w *refusalWorld) []testapp.Refusal {
	cy := testapp.Token(t, w.cy)
	const noAuth, authCode = http.StatusUnauthorized, "auth.required"
	const nf, mpNF = http.StatusNotFound, "mp.not_found"
	app := "/api/plaza/mp/apps/mpnosuchapp0000000"
	return []testapp.Refusal{
		{Name: "the directory without a session", Route: "GET /api/plaza/mp/directory", Status: noAuth, Code: authCode},
		{Name: "a search without a session", Route: "GET /api/plaza/mp/search", Status: noAuth, Code: authCode},
		{Name: "a search in a category that is not", Route: "GET /api/plaza/mp/search", URL: "/api/plaza/mp/search?category=nope",
			Token: cy, Status: http.StatusBadRequest, Code: "request.invalid"},
		{Name: "an app's information without a session", Route: "GET /api/plaza/mp/apps/{appid}", URL: app, Status: noAuth, Code: authCode},
		{Name: "an app that is not there", Route: "GET /api/plaza/mp/apps/{appid}", URL: app, Token: cy, Status: nf, Code: mpNF},
		{Name: "sharing without a session", Route: "POST /api/plaza/mp/apps/{appid}/share", URL: app + "/share",
			Body: `{"conversation":"` + w.group + `"}`, Status: noAuth, Code: authCode},
		{Name: "sharing an app that is not there", Route: "POST /api/plaza/mp/apps/{appid}/share", URL: app + "/share",
			Body: `{"conversation":"` + w.group + `"}`, Token: cy, Status: nf, Code: mpNF},
		{Name: "reporting without a session", Route: "POST /api/plaza/mp/apps/{appid}/report", URL: app + "/report",
			Body: `{"reason":"spam"}`, Status: noAuth, Code: authCode},
		{Name: "reporting an app that is not there", Route: "POST /api/plaza/mp/apps/{appid}/report", URL: app + "/report",
			Body: `{"reason":"spam"}`, Token: cy, Status: nf, Code: mpNF},
		{Name: "permissions without a session", Route: "GET /api/plaza/mp/consents", Status: noAuth, Code: authCode},
		{Name: "removing a permission without a session", Route: "DELETE /api/plaza/mp/consents/{appid}",
			URL: "/api/plaza/mp/consents/mpnosuchapp0000000", Status: noAuth, Code: authCode},
		{Name: "removing a permission never given", Route: "DELETE /api/plaza/mp/consents/{appid}",
			URL: "/api/plaza/mp/consents/mpnosuchapp0000000", Token: cy, Status: nf, Code: mpNF},
	}
}
