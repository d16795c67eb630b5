package hooks_test

import (
	"net/http"
	"testing"

	"plaza/hooks/internal/testapp"
)

// oaChatRefusals are the refused side of Official Accounts' chat routes:
// no session, and a member asking about an account that is not there or
// not theirs to run (the same 404).
func oaChatRefusals(t *testing.T, w *refusalWorld) []testapp.Refusal {
	cy := testapp.Token(t, w.cy)
	const noAuth, authCode = http.StatusUnauthorized, "auth.required"
	const nf, oaNF = http.StatusNotFound, "oa.not_found"
	inbox := "/api/plaza/oa/accounts/nosuchaccount/inbox"
	return []testapp.Refusal{
		{Name: "an account's chat without a session", Route: "GET /api/plaza/oa/accounts/{handle}/chat",
			URL: "/api/plaza/oa/accounts/nosuchaccount/chat", Status: noAuth, Code: authCode},
		{Name: "the chat of an account that is not there", Route: "GET /api/plaza/oa/accounts/{handle}/chat",
			URL: "/api/plaza/oa/accounts/nosuchaccount/chat", Token: cy, Status: nf, Code: oaNF},
		{Name: "subscriptions without a session", Route: "GET /api/plaza/oa/subscriptions", Status: noAuth, Code: authCode},
		{Name: "subscriptions seen without a session", Route: "POST /api/plaza/oa/subscriptions/seen", Status: noAuth, Code: authCode},
		{Name: "an inbox without a session", Route: "GET /api/plaza/oa/accounts/{handle}/inbox", URL: inbox, Status: noAuth, Code: authCode},
		{Name: "a stranger reads an inbox", Route: "GET /api/plaza/oa/accounts/{handle}/inbox", URL: inbox, Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger reads a thread", Route: "GET /api/plaza/oa/accounts/{handle}/inbox/{member}", URL: inbox + "/" + w.bo.Id,
			Token: cy, Status: nf, Code: oaNF},
		{Name: "a stranger answers a follower", Route: "POST /api/plaza/oa/accounts/{handle}/inbox/{member}", URL: inbox + "/" + w.bo.Id,
			Body: `{"text":"hi"}`, Token: cy, Status: nf, Code: oaNF},
	}
}
