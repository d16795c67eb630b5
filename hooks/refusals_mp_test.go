package hooks_test

import (
	"net/http"
	"testing"

	"plaza/hooks/internal/testapp"
)

// mpRefusals are the refused side of Mini Programs' host routes (no
// session; a mini program that is not there or not live: the same 404)
// and of the signed server API (no signature).
func mpRefusals(t *testing.T, w *refusalWorld) []testapp.Refusal {
	cy := testapp.Token(t, w.cy)
	const noAuth, authCode = http.StatusUnauthorized, "auth.required"
	const nf, mpNF = http.StatusNotFound, "mp.not_found"
	const app = "/api/plaza/mp/apps/mp0000000000000000"
	const unsigned = "mp.signature_bad"
	rows := []testapp.Refusal{}
	for _, r := range []struct{ method, tail, body string }{
		{"POST", "/open", `{"scene":"card"}`}, {"POST", "/login", ""}, {"GET", "/profile", ""}, {"POST", "/profile", `{"allow":true}`},
		{"DELETE", "/profile", ""}, {"GET", "/orders/{order}", ""}, {"POST", "/orders/{order}/pay", `{"pin":"123456","key":"k-123456789"}`},
		{"GET", "/storage", ""}, {"GET", "/storage/{key}", ""}, {"PUT", "/storage/{key}", `{"value":"x"}`}, {"DELETE", "/storage/{key}", ""},
		{"POST", "/star", ""}, {"DELETE", "/star", ""},
	} {
		route := r.method + " /api/plaza/mp/apps/{appid}" + r.tail
		url := app + map[string]string{"/orders/{order}": "/orders/o1", "/orders/{order}/pay": "/orders/o1/pay",
			"/storage/{key}": "/storage/k"}[r.tail]
		if url == app {
			url = app + r.tail
		}
		rows = append(rows,
			testapp.Refusal{Name: "mini program host call without a session: " + route, Route: route, URL: url, Body: r.body,
				Status: noAuth, Code: authCode},
			testapp.Refusal{Name: "mini program host call for an app that is not there: " + route, Route: route, URL: url, Body: r.body,
				Token: cy, Status: nf, Code: mpNF})
	}
	for _, r := range []struct{ method, route, url, body string }{
		{"POST", "/api/plaza/mp/server/login", "/api/plaza/mp/server/login", `{"code":"c1"}`},
		{"POST", "/api/plaza/mp/server/orders", "/api/plaza/mp/server/orders", `{"order_no":"o1","openid":"x","amount":1,"description":"d"}`},
		{"GET", "/api/plaza/mp/server/orders/{order}", "/api/plaza/mp/server/orders/o1", ""},
		{"POST", "/api/plaza/mp/server/orders/{order}/refund", "/api/plaza/mp/server/orders/o1/refund", `{"amount":1}`},
	} {
		rows = append(rows,
			testapp.Refusal{Name: "server API without a signature: " + r.route, Route: r.method + " " + r.route, URL: r.url, Body: r.body,
				Status: http.StatusUnauthorized, Code: unsigned},
			testapp.Refusal{Name: "server API with a member's token instead of a signature: " + r.route, Route: r.method + " " + r.route,
				URL: r.url, Body: r.body, Token: cy, Status: http.StatusUnauthorized, Code: unsigned})
	}
	return rows
}
