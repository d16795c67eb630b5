package accounts_test

import (
	"net/http"
	"strings"
	"testing"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/testapp"
)

// TestPasswordReset follows the mailed link: a new password works, the old
// one and the used link do not, and unknown emails learn nothing.
func TestPasswordReset(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "forgetful")
	h := testapp.Handler(t, app)

	res := testapp.Do(h, http.MethodPost, "/forgot", "email=nobody%40example.test", nil)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), "If an account uses that email") {
		t.Fatalf("unknown email: %d %s", res.Code, res.Body.String())
	}
	if app.TestMailer.TotalSend() != 0 {
		t.Fatal("a mail was sent for an unknown email")
	}

	res = testapp.Do(h, http.MethodPost, "/forgot", "email="+member.Email(), nil)
	if res.Code != http.StatusOK || app.TestMailer.TotalSend() != 1 {
		t.Fatalf("known email: status %d, mails %d", res.Code, app.TestMailer.TotalSend())
	}
	msg := app.TestMailer.LastMessage()
	m := tokenLink.FindStringSubmatch(msg.HTML)
	if m == nil {
		t.Fatalf("mail has no /reset/ link: %s", msg.HTML)
	}
	token := m[1]

	if res := testapp.Do(h, http.MethodGet, "/reset/"+token, "", nil); res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `data-testid="reset-form"`) {
		t.Fatalf("reset page: %d", res.Code)
	}
	if res := testapp.Do(h, http.MethodPost, "/reset/"+token, "password=short", nil); res.Code != http.StatusBadRequest ||
		!strings.Contains(res.Body.String(), "Use at least 8 characters.") {
		t.Fatalf("short password: %d", res.Code)
	}
	res = testapp.Do(h, http.MethodPost, "/reset/"+token, "password=brand-new-secret", nil)
	if res.Code != http.StatusSeeOther || !strings.Contains(res.Header().Get("Set-Cookie"), "plaza_session=") {
		t.Fatalf("reset: %d %v", res.Code, res.Header())
	}
	if _, err := accounts.SignIn(app, "forgetful", testapp.DefaultPassword); err == nil {
		t.Fatal("the old password still works")
	}
	if _, err := accounts.SignIn(app, "forgetful", "brand-new-secret"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
	if res := testapp.Do(h, http.MethodPost, "/reset/"+token, "password=another-secret", nil); res.Code != http.StatusBadRequest ||
		!strings.Contains(res.Body.String(), "invalid or has expired") {
		t.Fatalf("a used link must be refused, got %d", res.Code)
	}
	old := testapp.Token(t, member) // issued before the reset: key rotated since
	if res := testapp.Do(h, http.MethodGet, "/me", "", map[string]string{"Cookie": "plaza_session=" + old}); res.Code != http.StatusSeeOther {
		t.Fatalf("a session from before the reset should be void, got %d", res.Code)
	}
}
