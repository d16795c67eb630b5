package accounts_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/testapp"
)

// profileCall sends one request to the profile API as the member (a guest
// when as is nil) and decodes the answer.
func profileCall(t *testing.T, h http.Handler, as *core.Record, method, path string, body io.Reader, ctype string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("Content-Type", ctype)
	if as != nil {
		req.Header.Set("Authorization", testapp.Token(t, as))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out := map[string]any{}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Errorf("%s %s: not JSON: %d %q", method, path, rec.Code, rec.Body.String())
	}
	return rec.Code, out
}

// TestProfileAPI: GET/PATCH /api/plaza/me read and change the caller's
// profile and settings through UpdateProfile and SetPreferences; fields
// left out keep their value and a refused PATCH saves nothing.
func TestProfileAPI(t *testing.T) {
	app := testapp.New(t)
	ann := testapp.CreateMember(t, app, "ann_profile")
	other := testapp.CreateMember(t, app, "bo_profile")
	h := testapp.Handler(t, app)
	patch := func(as *core.Record, body string) (int, map[string]any) {
		return profileCall(t, h, as, "PATCH", "/api/plaza/me", strings.NewReader(body), "application/json")
	}

	status, out := profileCall(t, h, ann, "GET", "/api/plaza/me", nil, "")
	if status != 200 || out["id"] != ann.Id || out["plaza_id"] != "ann_profile" || out["email"] != "ann_profile@example.test" ||
		out["name"] != "ann_profile" || out["region"] != "" || out["theme"] != "" {
		t.Fatalf("GET /api/plaza/me: %d %v", status, out)
	}

	status, out = patch(ann, `{"name":" Ann Lee ","region":"Shanghai","signature":"hello","pat_suffix":"'s shoulder","theme":"dark","language":"zh"}`)
	if status != 200 || out["name"] != "Ann Lee" || out["region"] != "Shanghai" || out["signature"] != "hello" ||
		out["pat_suffix"] != "'s shoulder" || out["theme"] != "dark" || out["language"] != "zh" {
		t.Fatalf("PATCH: %d %v", status, out)
	}
	status, out = patch(ann, `{"signature":"bye"}`)
	if status != 200 || out["signature"] != "bye" || out["name"] != "Ann Lee" || out["region"] != "Shanghai" || out["theme"] != "dark" {
		t.Fatalf("partial PATCH: %d %v", status, out)
	}
	saved, _ := app.FindRecordById(accounts.Collection, ann.Id)
	if m := accounts.AsMember(saved); m.Signature() != "bye" || m.Region() != "Shanghai" || m.Theme() != "dark" || m.Language() != "zh" {
		t.Fatalf("not saved: %v", saved.PublicExport())
	}

	// Bad input names the field and saves nothing, the profile included.
	cases := []struct{ name, body, field, fieldCode string }{
		{"an empty name", `{"name":"  "}`, "name", "profile.name_required"},
		{"a long region", `{"region":"` + strings.Repeat("r", 200) + `"}`, "region", "profile.too_long"},
		{"a long signature", `{"signature":"` + strings.Repeat("s", 500) + `"}`, "signature", "profile.too_long"},
		{"an unknown theme, with a valid name", `{"name":"Changed","theme":"pink"}`, "theme", "request.invalid"},
		{"an unknown language", `{"language":"fr"}`, "language", "request.invalid"},
		{"a number for the name", `{"name":42}`, "name", "request.invalid"},
		{"malformed JSON", `{"name":`, "", ""},
	}
	for _, c := range cases {
		status, out := patch(ann, c.body)
		testapp.WantCodeOf(t, c.name, status, out, 400, "request.invalid", c.field, c.fieldCode)
	}
	saved, _ = app.FindRecordById(accounts.Collection, ann.Id)
	if m := accounts.AsMember(saved); m.DisplayName() != "Ann Lee" || m.Signature() != "bye" || m.Theme() != "dark" {
		t.Fatalf("a refused PATCH changed the profile: %v", saved.PublicExport())
	}
	// Only one's own: another member's PATCH changes their own record.
	if status, out := patch(other, `{"name":"Bo"}`); status != 200 || out["id"] != other.Id {
		t.Fatalf("Bo's PATCH: %d %v", status, out)
	}
	if saved, _ = app.FindRecordById(accounts.Collection, ann.Id); saved.GetString("name") != "Ann Lee" {
		t.Fatal("Bo's PATCH changed Ann")
	}

	for _, m := range []string{"GET", "PATCH"} {
		status, out := profileCall(t, h, nil, m, "/api/plaza/me", strings.NewReader(`{"name":"x"}`), "application/json")
		testapp.WantCodeOf(t, m+" by a guest", status, out, 401, "auth.required", "", "")
	}
}

// TestAvatarAPI: POST /api/plaza/me/avatar runs the page uploader's checks
// (SetAvatar) and answers the profile.
func TestAvatarAPI(t *testing.T) {
	app := testapp.New(t)
	ann := testapp.CreateMember(t, app, "ann_avatar")
	h := testapp.Handler(t, app)
	upload := func(as *core.Record, field, name string, content []byte) (int, map[string]any) {
		body, ctype := multipartBody(t, field, name, content)
		return profileCall(t, h, as, "POST", "/api/plaza/me/avatar", body, ctype)
	}

	status, out := upload(ann, "avatar", "me.png", pngOf(t, 64, 64))
	if url, _ := out["avatar_url"].(string); status != 200 || !strings.HasPrefix(url, "/api/files/") {
		t.Fatalf("upload: %d %v", status, out)
	}
	saved, _ := app.FindRecordById(accounts.Collection, ann.Id)
	first := saved.GetString(accounts.FieldAvatar)
	if first == "" {
		t.Fatal("no avatar saved")
	}

	status, out = upload(ann, "other", "me.png", pngOf(t, 64, 64))
	testapp.WantCodeOf(t, "no avatar field", status, out, 400, "request.invalid", "avatar", "profile.avatar_missing")
	status, out = upload(ann, "avatar", "me.png", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"))
	testapp.WantCodeOf(t, "not a picture", status, out, 400, "request.invalid", "avatar", "profile.avatar_type")
	status, out = upload(ann, "avatar", "tiny.png", pngOf(t, 4, 4))
	testapp.WantCodeOf(t, "too small", status, out, 400, "request.invalid", "avatar", "profile.avatar_dimensions")
	status, out = upload(ann, "avatar", "bomb.png", bombPNG(t))
	testapp.WantCodeOf(t, "a decompression bomb", status, out, 400, "request.invalid", "avatar", "profile.avatar_dimensions")
	if saved, _ = app.FindRecordById(accounts.Collection, ann.Id); saved.GetString(accounts.FieldAvatar) != first {
		t.Fatal("a refused upload replaced the avatar")
	}
	status, out = upload(nil, "avatar", "me.png", pngOf(t, 64, 64))
	testapp.WantCodeOf(t, "a guest", status, out, 401, "auth.required", "", "")
}

// TestAvatarAPIIsRateLimited: uploads over the API are limited like the
// page's (20 a minute), since each one decodes an image.
func TestAvatarAPIIsRateLimited(t *testing.T) {
	app := testapp.New(t)
	app.Settings().RateLimits.Enabled = true
	ann := testapp.CreateMember(t, app, "ann_limited")
	h := testapp.Handler(t, app)
	for i := 1; i <= 21; i++ {
		body, ctype := multipartBody(t, "other", "me.png", []byte("x"))
		status, out := profileCall(t, h, ann, "POST", "/api/plaza/me/avatar", body, ctype)
		switch {
		case i <= 20 && status == 429:
			t.Fatalf("limited too early, at upload %d", i)
		case i == 21:
			testapp.WantCodeOf(t, "the 21st upload in a minute", status, out, 429, "rate_limited", "", "")
		}
	}
}
