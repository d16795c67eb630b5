package accounts_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
)

// TestSignUpAPIErrorCodes triggers every error code docs/API.md names for
// POST /api/plaza/signup, as a client sees it: the status, the top-level
// code and, for field problems, data.<field>.code.
func TestSignUpAPIErrorCodes(t *testing.T) {
	app := testapp.New(t)
	testapp.CreateMember(t, app, "taken_id")
	h := testapp.Handler(t, app)
	hdr := map[string]string{"Content-Type": "application/json"}
	long := strings.Repeat("x", 73)
	cases := []struct {
		name, mode, body string
		status           int
		code, field, fc  string
	}{
		{"malformed JSON", "open", `{"plaza_id":`, 400, "request.invalid", "", ""},
		{"a bad Plaza ID", "open", `{"plaza_id":"x y","email":"a@example.test","password":"long-enough"}`, 400, "request.invalid", "plaza_id", "auth.plaza_id_invalid"},
		{"a bad email", "open", `{"plaza_id":"good_one","email":"nope","password":"long-enough"}`, 400, "request.invalid", "email", "auth.email_invalid"},
		{"a short password", "open", `{"plaza_id":"good_one","email":"a@example.test","password":"short"}`, 400, "request.invalid", "password", "auth.password_short"},
		{"a long password", "open", `{"plaza_id":"good_one","email":"a@example.test","password":"` + long + `"}`, 400, "request.invalid", "password", "auth.password_long"},
		{"a taken Plaza ID, any case", "open", `{"plaza_id":"TAKEN_ID","email":"new@example.test","password":"long-enough"}`, 409, "auth.plaza_id_taken", "plaza_id", "auth.plaza_id_taken"},
		{"a taken email", "open", `{"plaza_id":"fresh_one","email":"taken_id@example.test","password":"long-enough"}`, 409, "auth.email_taken", "email", "auth.email_taken"},
		{"no invite in invite mode", "invite", `{"plaza_id":"fresh_one","email":"f@example.test","password":"long-enough"}`, 400, "request.invalid", "invite", "auth.invite_required"},
		{"an unknown invite", "invite", `{"plaza_id":"fresh_one","email":"f@example.test","password":"long-enough","invite":"NOPE-NOPE"}`, 400, "request.invalid", "invite", "auth.invite_invalid"},
		{"registration closed", "closed", `{"plaza_id":"fresh_one","email":"f@example.test","password":"long-enough"}`, 403, "auth.registration_closed", "", ""},
	}
	for _, c := range cases {
		testapp.SetRegistrationMode(t, app, c.mode)
		res := testapp.Do(h, http.MethodPost, "/api/plaza/signup", c.body, hdr)
		testapp.WantCode(t, c.name, res.Code, res.Body.String(), c.status, c.code, c.field, c.fc)
	}

	// Five sign-ups a minute per IP: the sixth is 429 rate_limited.
	testapp.SetRegistrationMode(t, app, "open")
	app.Settings().RateLimits.Enabled = true
	for i := range 5 {
		if res := testapp.Do(h, http.MethodPost, "/api/plaza/signup", `{"plaza_id":"x"}`, hdr); res.Code == http.StatusTooManyRequests {
			t.Fatalf("limited at sign-up %d", i+1)
		}
	}
	res := testapp.Do(h, http.MethodPost, "/api/plaza/signup", `{"plaza_id":"x"}`, hdr)
	testapp.WantCode(t, "the sixth sign-up in a minute", res.Code, res.Body.String(), 429, "rate_limited", "", "")
}
