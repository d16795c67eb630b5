package testapp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestContractRefusesWhatTheSpecDoesNotSay: the check that every HTTP test
// runs on its /api/plaza/ answers fails for a body of the wrong shape, for
// a status the operation does not document and for a route the spec lacks.
func TestContractRefusesWhatTheSpecDoesNotSay(t *testing.T) {
	get := httptest.NewRequest(http.MethodGet, "/api/plaza/wallet", nil)
	json := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name   string
		r      *http.Request
		status int
		body   string
		ok     bool
	}{
		{"documented shape", get, 200, `{"balance": 1250, "currency": "CNY", "symbol": "¥"}`, true},
		{"a field of the wrong type", get, 200, `{"balance": "12.50", "currency": "CNY", "symbol": "¥"}`, false},
		{"a required field missing", get, 200, `{"currency": "CNY", "symbol": "¥"}`, false},
		{"an undocumented status", get, 418, `{"status": 418, "code": "x", "message": "x", "data": {}}`, false},
		{"the documented error shape", get, 401, `{"status": 401, "code": "auth.required", "message": "Sign in", "data": {}}`, true},
		{"an error of another shape", get, 401, `{"error": "no"}`, false},
		{"a route the spec lacks", httptest.NewRequest(http.MethodPost, "/api/plaza/wallet", nil), 200, `{}`, false},
		{"no such route at all", httptest.NewRequest(http.MethodGet, "/api/plaza/nothing", nil), 404, `{"status": 404, "code": "errors.not_found", "message": "Not found", "data": {}}`, true},
	} {
		err := validateAnswer(c.r, c.status, json, []byte(c.body))
		if (err == nil) != c.ok {
			t.Errorf("%s: validateAnswer = %v, want ok=%t", c.name, err, c.ok)
		}
		if err != nil && strings.Contains(err.Error(), "loading docs/openapi.yaml") {
			t.Fatal(err)
		}
	}
}
