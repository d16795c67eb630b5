package accounts_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/problem"
)

func form(values map[string]string) io.Reader {
	v := url.Values{}
	for k, s := range values {
		v.Set(k, s)
	}
	return strings.NewReader(v.Encode())
}

var formHeaders = map[string]string{
	"Content-Type":   "application/x-www-form-urlencoded",
	"Sec-Fetch-Site": "same-origin",
}

func headers(extra map[string]string) map[string]string {
	h := map[string]string{}
	for k, v := range formHeaders {
		h[k] = v
	}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

func memberCount(t testing.TB, app core.App, plazaID string) int {
	t.Helper()
	n, err := app.CountRecords("users", nil)
	if err != nil {
		t.Fatal(err)
	}
	if plazaID == "" {
		return int(n)
	}
	if _, err := accounts.FindByPlazaID(app, plazaID); err != nil {
		return 0
	}
	return 1
}

func TestValidatePlazaID(t *testing.T) {
	cases := map[string]bool{
		"alice1":                false, // fine
		"Alice_W":               false,
		"a-b_c-d":               false,
		"abcdefghijklmnopqrst":  false, // 20
		"abcde":                 true,  // 5
		"abcdefghijklmnopqrstu": true,  // 21
		"1alice":                true,  // must start with a letter
		"_alice":                true,
		"ali ce":                true,
		"alice!":                true,
		"李雷lilei":               true, // letters means ASCII letters
		"":                      true,
	}
	for id, wantErr := range cases {
		err := accounts.ValidatePlazaID(id)
		if (err != nil) != wantErr {
			t.Errorf("ValidatePlazaID(%q) error = %v, want error %v", id, err, wantErr)
		}
		if err != nil {
			if p, ok := problem.As(err); !ok || p.Fields[0].Key != "auth.plaza_id_invalid" {
				t.Errorf("ValidatePlazaID(%q) should be a plaza_id problem, got %v", id, err)
			}
		}
	}
}

func TestSignUpPages(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:           "sign-up creates the member, starts a session and opens Chats",
			Method:         http.MethodPost,
			URL:            "/signup",
			Body:           form(map[string]string{"plaza_id": "New_Member", "email": "New@Example.test", "password": "long-enough"}),
			Headers:        formHeaders,
			ExpectedStatus: http.StatusSeeOther,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if loc := res.Header.Get("Location"); loc != "/chats" {
					t.Errorf("Location = %q, want /chats", loc)
				}
				if !strings.Contains(res.Header.Get("Set-Cookie"), "plaza_session=") ||
					!strings.Contains(res.Header.Get("Set-Cookie"), "HttpOnly") ||
					!strings.Contains(res.Header.Get("Set-Cookie"), "SameSite=Lax") {
					t.Errorf("want an HttpOnly SameSite=Lax session cookie, got %q", res.Header.Get("Set-Cookie"))
				}
				m, err := accounts.FindByPlazaID(app, "new_member")
				if err != nil {
					t.Fatal(err)
				}
				if m.Email() != "new@example.test" || m.GetString("name") != "New_Member" {
					t.Errorf("stored email %q name %q", m.Email(), m.GetString("name"))
				}
			},
		},
		{
			Name:   "a cross-origin sign-up is refused and creates nothing",
			Method: http.MethodPost,
			URL:    "/signup",
			Body:   form(map[string]string{"plaza_id": "evil_user", "email": "evil@example.test", "password": "long-enough"}),
			Headers: headers(map[string]string{
				"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site",
			}),
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{"came from another website"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if memberCount(t, app, "") != 0 {
					t.Error("the cross-origin request created a member")
				}
				if res.Header.Get("Set-Cookie") != "" {
					t.Error("the cross-origin request got a cookie")
				}
			},
		},
		{
			Name:   "an old browser's cross-origin post without Sec-Fetch-Site is refused by Origin",
			Method: http.MethodPost,
			URL:    "/signup",
			Body:   form(map[string]string{"plaza_id": "evil_user", "email": "evil@example.test", "password": "long-enough"}),
			Headers: map[string]string{
				"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example",
			},
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{"came from another website"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if memberCount(t, app, "") != 0 {
					t.Error("the cross-origin request created a member")
				}
			},
		},
		{
			Name:            "a Plaza ID starting with a digit is refused with a clear message",
			Method:          http.MethodPost,
			URL:             "/signup",
			Body:            form(map[string]string{"plaza_id": "1alice", "email": "a@example.test", "password": "long-enough"}),
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`data-testid="error-plaza_id"`, "A Plaza ID has 6–20 letters, digits, _ or -, and starts with a letter.", `value="a@example.test"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if memberCount(t, app, "") != 0 {
					t.Error("an invalid sign-up created a member")
				}
			},
		},
		{
			Name:            "the Plaza ID message is in Chinese for a Chinese browser",
			Method:          http.MethodPost,
			URL:             "/signup",
			Body:            form(map[string]string{"plaza_id": "ab", "email": "a@example.test", "password": "long-enough"}),
			Headers:         headers(map[string]string{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{"Plaza 号须为 6–20 位字母、数字、_ 或 -，并以字母开头。"},
		},
		{
			Name:   "a taken Plaza ID (in any letter case) and a taken email are refused",
			Method: http.MethodPost,
			URL:    "/signup",
			Body:   form(map[string]string{"plaza_id": "TAKEN_ID", "email": "taken_id@example.test", "password": "long-enough"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				testapp.CreateMember(t, app, "taken_id")
			},
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusConflict,
			ExpectedContent: []string{"That Plaza ID is taken.", "An account with this email already exists."},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if memberCount(t, app, "") != 1 {
					t.Error("a duplicate was created")
				}
			},
		},
		{
			Name:            "short password and bad email are refused",
			Method:          http.MethodPost,
			URL:             "/signup",
			Body:            form(map[string]string{"plaza_id": "fine_name", "email": "not-an-email", "password": "short"}),
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{"Please enter a valid email address.", "Use at least 8 characters."},
		},
		{
			Name:   "closed registration refuses sign-up",
			Method: http.MethodPost,
			URL:    "/signup",
			Body:   form(map[string]string{"plaza_id": "fine_name", "email": "f@example.test", "password": "long-enough"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				testapp.SetRegistrationMode(t, app, "closed")
			},
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{"not accepting new members"},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if memberCount(t, app, "") != 0 {
					t.Error("closed registration created a member")
				}
			},
		},
		{
			Name:   "invite-only registration needs a code",
			Method: http.MethodPost,
			URL:    "/signup",
			Body:   form(map[string]string{"plaza_id": "fine_name", "email": "f@example.test", "password": "long-enough"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				testapp.SetRegistrationMode(t, app, "invite")
			},
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{"An invite code is needed"},
		},
		{
			Name:            "the records API cannot create members (sign-up rules cannot be skipped)",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            strings.NewReader(`{"plaza_id":"api_user","email":"api@example.test","password":"long-enough","passwordConfirm":"long-enough"}`),
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{`"data":{}`},
		},
		{
			Name:               "JSON sign-up answers like PocketBase auth",
			Method:             http.MethodPost,
			URL:                "/api/plaza/signup",
			Body:               strings.NewReader(`{"plaza_id":"json_user","email":"json@example.test","password":"long-enough"}`),
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"token":`, `"plaza_id":"json_user"`},
			NotExpectedContent: []string{`"password"`, `"tokenKey"`},
		},
		{
			Name:            "JSON sign-up explains field problems",
			Method:          http.MethodPost,
			URL:             "/api/plaza/signup",
			Body:            strings.NewReader(`{"plaza_id":"x y","email":"json@example.test","password":"long-enough"}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"plaza_id":{"code":"auth.plaza_id_invalid","message":"A Plaza ID has 6–20`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testapp.Factory
		s.Test(t)
	}
}

func TestInviteCodes(t *testing.T) {
	app := testapp.New(t)
	testapp.SetRegistrationMode(t, app, "invite")
	c, _ := app.FindCollectionByNameOrId("invite_codes")
	inv := core.NewRecord(c)
	inv.Set("code", "WELCOME-2026")
	inv.Set("max_uses", 1)
	if err := app.Save(inv); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SignUp(app, accounts.SignUpInput{PlazaID: "first_one", Email: "1@example.test", Password: "long-enough", InviteCode: "nope-nope"}); err == nil {
		t.Fatal("an unknown code was accepted")
	}
	m, err := accounts.SignUp(app, accounts.SignUpInput{PlazaID: "first_one", Email: "1@example.test", Password: "long-enough", InviteCode: "welcome-2026"})
	if err != nil {
		t.Fatalf("a valid code (any case) was refused: %v", err)
	}
	if m.GetString("invite") != inv.Id {
		t.Errorf("member should remember the invite used")
	}
	_, err = accounts.SignUp(app, accounts.SignUpInput{PlazaID: "second_one", Email: "2@example.test", Password: "long-enough", InviteCode: "WELCOME-2026"})
	if p, ok := problem.As(err); !ok || p.Fields[0].Key != "auth.invite_invalid" {
		t.Fatalf("a used-up code should be refused as invalid, got %v", err)
	}
	inv, _ = app.FindRecordById("invite_codes", inv.Id)
	if inv.GetInt("uses") != 1 {
		t.Fatalf("uses = %d, want 1", inv.GetInt("uses"))
	}
}

func TestSignIn(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name:   "right password signs in and goes to next",
			Method: http.MethodPost,
			URL:    "/login",
			Body:   form(map[string]string{"identity": "ALICE_W", "password": testapp.DefaultPassword, "next": "/me/settings"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				testapp.CreateMember(t, app, "alice_w")
			},
			Headers:        formHeaders,
			ExpectedStatus: http.StatusSeeOther,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if res.Header.Get("Location") != "/me/settings" || !strings.Contains(res.Header.Get("Set-Cookie"), "plaza_session=") {
					t.Errorf("got Location %q Set-Cookie %q", res.Header.Get("Location"), res.Header.Get("Set-Cookie"))
				}
			},
		},
		{
			Name:   "sign-in by email works, and next cannot leave the site",
			Method: http.MethodPost,
			URL:    "/login",
			Body:   form(map[string]string{"identity": "alice_w@example.test", "password": testapp.DefaultPassword, "next": "//evil.example/x"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				testapp.CreateMember(t, app, "alice_w")
			},
			Headers:        formHeaders,
			ExpectedStatus: http.StatusSeeOther,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if res.Header.Get("Location") != "/chats" {
					t.Errorf("Location = %q, want /chats", res.Header.Get("Location"))
				}
			},
		},
		{
			Name:   "a wrong password gets a clear message and no cookie",
			Method: http.MethodPost,
			URL:    "/login",
			Body:   form(map[string]string{"identity": "alice_w", "password": "wrong-password"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				testapp.CreateMember(t, app, "alice_w")
			},
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`data-testid="flash-error"`, "Wrong Plaza ID, email or password."},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if res.Header.Get("Set-Cookie") != "" {
					t.Error("a failed sign-in set a cookie")
				}
			},
		},
		{
			Name:            "an unknown account gets the very same message",
			Method:          http.MethodPost,
			URL:             "/login",
			Body:            form(map[string]string{"identity": "nobody_here", "password": "wrong-password"}),
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{"Wrong Plaza ID, email or password."},
		},
		{
			Name:   "the rate limiter stops password guessing",
			Method: http.MethodPost,
			URL:    "/login",
			Body:   form(map[string]string{"identity": "alice_w", "password": "wrong-password"}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				app.Settings().RateLimits.Enabled = true
				mux, err := e.Router.BuildMux()
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < 10; i++ {
					req, _ := http.NewRequest(http.MethodPost, "/login", form(map[string]string{"identity": "alice_w", "password": "x"}))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.RemoteAddr = "192.0.2.1:1234"
					rec := &discard{header: http.Header{}}
					mux.ServeHTTP(rec, req)
					if rec.status == http.StatusTooManyRequests {
						t.Fatalf("limited too early, at attempt %d", i+1)
					}
				}
			},
			Headers:         formHeaders,
			ExpectedStatus:  http.StatusTooManyRequests,
			ExpectedContent: []string{"Too many attempts"},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testapp.Factory
		s.Test(t)
	}
}

type discard struct {
	header http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.header }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(s int)           { d.status = s }

// TestMembersPrivacy checks, from the other member's side, that the records
// API shows and changes nothing but one's own record.
func TestMembersPrivacy(t *testing.T) {
	unchanged := func(plazaID string) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, res *http.Response) {
			m, err := accounts.FindByPlazaID(app, plazaID)
			if err != nil {
				t.Fatalf("%s is gone: %v", plazaID, err)
			}
			if m.GetString("name") != plazaID || m.GetString("signature") != "" {
				t.Errorf("%s was changed: name %q signature %q", plazaID, m.GetString("name"), m.GetString("signature"))
			}
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name:               "cannot view another member's record",
			Method:             http.MethodGet,
			URL:                "/api/collections/users/records/BOB",
			ExpectedStatus:     http.StatusNotFound,
			ExpectedContent:    []string{`"data":{}`},
			NotExpectedContent: []string{"bob_chen"},
		},
		{
			Name:               "the list holds only oneself, without hidden fields",
			Method:             http.MethodGet,
			URL:                "/api/collections/users/records",
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"totalItems":1`, `"plaza_id":"alice_w"`, `"email":"alice_w@example.test"`},
			NotExpectedContent: []string{"bob_chen", `"invite"`, `"password"`, `"tokenKey"`},
		},
		{
			Name:               "a filter cannot probe other members either",
			Method:             http.MethodGet,
			URL:                "/api/collections/users/records?filter=" + url.QueryEscape(`email ~ "bob"`),
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{`"totalItems":0`},
			NotExpectedContent: []string{"bob_chen"},
		},
		{
			Name:            "cannot change another member",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/BOB",
			Body:            strings.NewReader(`{"name":"hacked","signature":"hacked"}`),
			ExpectedStatus:  http.StatusNotFound,
			ExpectedContent: []string{`"data":{}`},
			AfterTestFunc:   unchanged("bob_chen"),
		},
		{
			Name:            "cannot change one's own Plaza ID through the API",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/ALICE",
			Body:            strings.NewReader(`{"plaza_id":"alice_new"}`),
			ExpectedStatus:  http.StatusNotFound,
			ExpectedContent: []string{`"data":{}`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if _, err := accounts.FindByPlazaID(app, "alice_w"); err != nil {
					t.Error("plaza_id was changed")
				}
			},
		},
		{
			Name:            "can change one's own profile text through the API",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/ALICE",
			Body:            strings.NewReader(`{"signature":"hello"}`),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"signature":"hello"`},
		},
		{
			Name:            "cannot mark oneself verified",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/ALICE",
			Body:            strings.NewReader(`{"verified":false}`),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"verified":{"code":"validation_values_mismatch"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				if m, _ := accounts.FindByPlazaID(app, "alice_w"); !m.Verified() {
					t.Error("verified was changed")
				}
			},
		},
		{
			Name:            "cannot delete a member through the API, not even oneself",
			Method:          http.MethodDelete,
			URL:             "/api/collections/users/records/ALICE",
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{`"data":{}`},
		},
		{
			Name:            "members cannot read invite codes",
			Method:          http.MethodGet,
			URL:             "/api/collections/invite_codes/records",
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{`"data":{}`},
		},
		{
			Name:            "members cannot read the community settings",
			Method:          http.MethodGet,
			URL:             "/api/collections/settings/records",
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{`"data":{}`},
		},
		{
			Name:            "members cannot change the community settings",
			Method:          http.MethodPatch,
			URL:             "/api/collections/settings/records/plazasettings01",
			Body:            strings.NewReader(`{"registration_mode":"open"}`),
			ExpectedStatus:  http.StatusForbidden,
			ExpectedContent: []string{`"data":{}`},
		},
	}
	for i := range scenarios {
		s := &scenarios[i]
		s.TestAppFactory = func(t testing.TB) *tests.TestApp {
			app := testapp.New(t)
			alice := testapp.CreateMember(t, app, "alice_w")
			bob := testapp.CreateMember(t, app, "bob_chen")
			s.URL = strings.NewReplacer("ALICE", alice.Id, "BOB", bob.Id).Replace(s.URL)
			s.Headers = map[string]string{"Authorization": testapp.Token(t, alice)}
			return app
		}
		s.Test(t)
	}
}

func multipartBody(t testing.TB, field, filename string, content []byte) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	return &buf, w.FormDataContentType()
}

var tokenLink = regexp.MustCompile(`/reset/([A-Za-z0-9_\-.]+)`)

func decodeJSON(t testing.TB, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatal(err)
	}
}
