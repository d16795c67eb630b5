package hooks_test

import (
	"net/http"
	"testing"

	"plaza/hooks/internal/testapp"
)

// mpDevRefusals are the refused side of the Mini Programs developer
// console's JSON: no session; a member creating an app without developer
// mode; a member asking about an app that is not theirs (or not there:
// the same 404).
func mpDevRefusals(t *testing.T, w *refusalWorld) []testapp.Refusal {
	cy := testapp.Token(t, w.cy)
	const noAuth, authCode = http.StatusUnauthorized, "auth.required"
	const nf, mpNF = http.StatusNotFound, "mp.not_found"
	const dev = "/api/plaza/mp/developer"
	const app = dev + "/apps/mp0000000000000000"
	rows := []testapp.Refusal{
		{Name: "developer mode without a session", Route: "GET " + dev, Status: noAuth, Code: authCode},
		{Name: "turning developer mode on without a session", Route: "PUT " + dev, Body: `{"enabled":true}`, Status: noAuth, Code: authCode},
		{Name: "developer mode without saying which", Route: "PUT " + dev, Body: `{}`, Token: cy, Status: http.StatusBadRequest, Code: "request.invalid"},
		{Name: "my apps without a session", Route: "GET " + dev + "/apps", Status: noAuth, Code: authCode},
		{Name: "registering an app without a session", Route: "POST " + dev + "/apps", Body: `{"name":"X","category":"food"}`,
			Status: noAuth, Code: authCode},
		{Name: "registering an app without developer mode", Route: "POST " + dev + "/apps", Body: `{"name":"X","category":"food"}`,
			Token: cy, Status: http.StatusForbidden, Code: "mp.developer_only"},
	}
	for _, r := range []struct{ method, tail, url, body string }{
		{"GET", "", "", ""}, {"PATCH", "", "", `{"name":"Mine"}`}, {"POST", "/secret", "", ""},
		{"GET", "/versions", "", ""}, {"POST", "/versions", "", `{"url":"https://x.example.org","version":"1.0.0"}`},
		{"POST", "/versions/{id}/withdraw", "/versions/v1/withdraw", ""}, {"POST", "/versions/{id}/release", "/versions/v1/release", ""},
		{"POST", "/rollback", "", ""}, {"GET", "/stats", "", ""}, {"GET", "/orders", "", ""},
		{"POST", "/orders/{order}/refund", "/orders/o1/refund", `{"amount":1}`}, {"GET", "/balance", "", ""},
		{"POST", "/payout", "", `{"amount":1}`},
	} {
		route := r.method + " " + dev + "/apps/{appid}" + r.tail
		url := app + r.tail
		if r.url != "" {
			url = app + r.url
		}
		rows = append(rows,
			testapp.Refusal{Name: "the console without a session: " + route, Route: route, URL: url, Body: r.body, Status: noAuth, Code: authCode},
			testapp.Refusal{Name: "the console of an app not the caller's: " + route, Route: route, URL: url, Body: r.body,
				Token: cy, Status: nf, Code: mpNF})
	}
	return rows
}
