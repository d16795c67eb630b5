package accountsweb

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/languages"
	"plaza/hooks/problem"
	"plaza/hooks/settings"
	"plaza/hooks/web"
	views "plaza/views/accounts"
	"plaza/views/layout"
)

// Register installs the account pages and the sign-up, sign-out and
// profile JSON routes.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		pages := web.Pages(se)
		pages.GET("/{$}", home)
		pages.GET("/login", signInPage)
		pages.POST("/login", signIn)
		pages.GET("/signup", signUpPage)
		pages.POST("/signup", signUp)
		pages.GET("/forgot", forgotPage)
		pages.POST("/forgot", forgot)
		pages.GET("/reset/{token}", resetPage)
		pages.POST("/reset/{token}", reset)

		me := pages.Group("").BindFunc(web.RequireMember)
		me.POST("/logout", signOut)
		me.POST("/logout/all", signOutEverywhere)
		me.GET("/me", mePage)
		me.GET("/me/profile", profilePage)
		me.POST("/me/profile", saveProfile)
		me.POST("/me/avatar", uploadAvatar).Bind(apis.BodyLimit(accounts.AvatarMaxBytes + 1<<20))
		me.GET("/me/settings", settingsPage)
		me.POST("/me/settings", saveSettings)

		se.Router.POST("/api/plaza/signup", apiSignUp)
		se.Router.POST("/api/plaza/logout", apiSignOut).BindFunc(web.RequireMember)
		registerProfileAPI(se)
		return se.Next()
	})
}

func home(e *core.RequestEvent) error {
	if web.Member(e) != nil {
		return web.Redirect(e, "/chats")
	}
	return web.Redirect(e, "/login")
}

// --- sign in / out ---------------------------------------------------------

func signInPage(e *core.RequestEvent) error {
	next := web.SafeNext(e.Request.URL.Query().Get("next"), "")
	if web.Member(e) != nil {
		return web.Redirect(e, web.SafeNext(next, "/chats"))
	}
	f := views.SignInForm{Next: next}
	if e.Request.URL.Query().Get("out") == "1" {
		f.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "auth.signed_out")}
	}
	return web.Render(e, http.StatusOK, views.SignIn(web.PageFor(e, web.T(e, "auth.signin_title")), f))
}

func signIn(e *core.RequestEvent) error {
	identity := e.Request.FormValue("identity")
	next := web.SafeNext(e.Request.FormValue("next"), "/chats")
	member, err := accounts.SignIn(e.App, identity, e.Request.FormValue("password"))
	if p, ok := problem.As(err); ok {
		f := views.SignInForm{Identity: identity, Next: next,
			Flash: layout.Flash{Kind: "error", Message: web.ProblemMessage(e, p)}}
		return web.Render(e, p.Status, views.SignIn(web.PageFor(e, web.T(e, "auth.signin_title")), f))
	} else if err != nil {
		return err
	}
	if err := web.StartSession(e, member); err != nil {
		return err
	}
	return web.Redirect(e, next)
}

func signOut(e *core.RequestEvent) error {
	if err := web.SignOut(e); err != nil {
		return err
	}
	return web.Redirect(e, "/login?out=1")
}

// apiSignOut is POST /api/plaza/logout: the token (or session cookie) the
// request carries stops working, on the server.
func apiSignOut(e *core.RequestEvent) error {
	if err := web.SignOut(e); err != nil {
		return err
	}
	return e.NoContent(http.StatusNoContent)
}

func signOutEverywhere(e *core.RequestEvent) error {
	if err := accounts.SignOutEverywhere(e.App, web.Member(e)); err != nil {
		return err
	}
	web.EndSession(e)
	return web.Redirect(e, "/login?out=1")
}

// --- sign up ---------------------------------------------------------------

func signUpForm(e *core.RequestEvent) views.SignUpForm {
	mode := settings.Get(e.App).RegistrationMode
	f := views.SignUpForm{
		InviteNeeded: mode == settings.RegistrationInvite,
		Closed:       mode == settings.RegistrationClosed,
	}
	if f.Closed {
		f.Flash = layout.Flash{Kind: "error", Message: web.T(e, "auth.registration_closed")}
	}
	return f
}

func signUpPage(e *core.RequestEvent) error {
	if web.Member(e) != nil {
		return web.Redirect(e, "/chats")
	}
	f := signUpForm(e)
	if code := e.Request.URL.Query().Get("invite"); code != "" && len(code) <= 32 {
		f.InviteCode = code
	}
	return web.Render(e, http.StatusOK, views.SignUp(web.PageFor(e, web.T(e, "auth.signup_title")), f))
}

func signUp(e *core.RequestEvent) error {
	in := accounts.SignUpInput{
		PlazaID:    e.Request.FormValue("plaza_id"),
		Email:      e.Request.FormValue("email"),
		Password:   e.Request.FormValue("password"),
		InviteCode: e.Request.FormValue("invite"),
		Language:   guestLanguage(e),
	}
	member, err := accounts.SignUp(e.App, in)
	if p, ok := problem.As(err); ok {
		f := signUpForm(e)
		f.PlazaID, f.Email, f.InviteCode = in.PlazaID, in.Email, in.InviteCode
		f.Errors = web.FieldErrors(e, p)
		if msg := web.ProblemMessage(e, p); msg != "" {
			f.Flash = layout.Flash{Kind: "error", Message: msg}
		}
		return web.Render(e, p.Status, views.SignUp(web.PageFor(e, web.T(e, "auth.signup_title")), f))
	} else if err != nil {
		return err
	}
	if err := web.StartSession(e, member); err != nil {
		return err
	}
	return web.Redirect(e, "/chats")
}

// guestLanguage is the language a guest picked explicitly before signing
// up, kept as their setting; "" leaves it to the browser.
func guestLanguage(e *core.RequestEvent) string {
	if c, err := e.Request.Cookie(web.LangCookie); err == nil {
		return languages.Supported(c.Value)
	}
	return ""
}

// apiSignUp is the JSON sign-up for API clients; it answers like
// PocketBase's auth endpoints, with a token and the member record.
func apiSignUp(e *core.RequestEvent) error {
	var body struct {
		PlazaID  string `json:"plaza_id"`
		Email    string `json:"email"`
		Password string `json:"password"`
		Invite   string `json:"invite"`
		Language string `json:"language"`
	}
	if err := e.BindBody(&body); err != nil {
		return web.Problem(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
	}
	member, err := accounts.SignUp(e.App, accounts.SignUpInput{PlazaID: body.PlazaID, Email: body.Email,
		Password: body.Password, InviteCode: body.Invite, Language: body.Language})
	if err != nil {
		return web.APIError(e, err)
	}
	return apis.RecordAuthResponse(e, member, "password", nil)
}

// --- password reset --------------------------------------------------------

func forgotPage(e *core.RequestEvent) error {
	return web.Render(e, http.StatusOK, views.Forgot(web.PageFor(e, web.T(e, "auth.forgot_title")), views.ForgotForm{}))
}

func forgot(e *core.RequestEvent) error {
	email := e.Request.FormValue("email")
	err := accounts.RequestPasswordReset(e.App, email)
	f := views.ForgotForm{Email: email}
	status := http.StatusOK
	if p, ok := problem.As(err); ok {
		f.Errors, status = web.FieldErrors(e, p), p.Status
	} else if err != nil {
		return err
	} else {
		f.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "auth.reset_sent")}
	}
	return web.Render(e, status, views.Forgot(web.PageFor(e, web.T(e, "auth.forgot_title")), f))
}

func resetPage(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	f := views.ResetForm{Token: token}
	status := http.StatusOK
	if _, err := accounts.CheckResetToken(e.App, token); err != nil {
		f.Invalid, status = true, http.StatusBadRequest
		f.Flash = layout.Flash{Kind: "error", Message: web.T(e, "auth.reset_invalid")}
	}
	return web.Render(e, status, views.Reset(web.PageFor(e, web.T(e, "auth.reset_title")), f))
}

func reset(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	member, err := accounts.ResetPassword(e.App, token, e.Request.FormValue("password"))
	if p, ok := problem.As(err); ok {
		f := views.ResetForm{Token: token, Errors: web.FieldErrors(e, p)}
		if msg := web.ProblemMessage(e, p); msg != "" {
			f.Invalid = true
			f.Flash = layout.Flash{Kind: "error", Message: msg}
		}
		return web.Render(e, p.Status, views.Reset(web.PageFor(e, web.T(e, "auth.reset_title")), f))
	} else if err != nil {
		return err
	}
	if err := web.StartSession(e, member); err != nil {
		return err
	}
	return web.Redirect(e, "/chats")
}

// --- Me: profile and settings ---------------------------------------------

func mePage(e *core.RequestEvent) error {
	m := accounts.AsMember(web.Member(e))
	shell := ShellFor(e, web.T(e, "tabs.me"), layout.TabMe, layout.FocusList, "")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, views.MeMenu(ProfileOf(m), ""), views.ProfileCard(ProfileOf(m))))
}

func profilePage(e *core.RequestEvent) error {
	m := accounts.AsMember(web.Member(e))
	f := views.ProfileForm{Profile: ProfileOf(m)}
	if e.Request.URL.Query().Get("saved") == "1" {
		f.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "profile.saved")}
	}
	return renderProfile(e, http.StatusOK, m, f)
}

func renderProfile(e *core.RequestEvent, status int, m *accounts.Member, f views.ProfileForm) error {
	shell := ShellFor(e, web.T(e, "profile.edit"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, status, layout.AppShell(shell,
		views.MeMenu(ProfileOf(m), "profile"),
		views.ProfileEdit(f, AvatarFormOf(m))))
}

func saveProfile(e *core.RequestEvent) error {
	m := accounts.AsMember(web.Member(e))
	in := accounts.ProfileInput{
		Name:      e.Request.FormValue("name"),
		Region:    e.Request.FormValue("region"),
		Signature: e.Request.FormValue("signature"),
		PatSuffix: e.Request.FormValue("pat_suffix"),
	}
	err := accounts.UpdateProfile(e.App, m.ProxyRecord(), in)
	if p, ok := problem.As(err); ok {
		// Reload so the menu shows what is saved, not what was refused.
		fresh, ferr := e.App.FindRecordById(accounts.Collection, m.Id)
		if ferr != nil {
			return ferr
		}
		f := views.ProfileForm{
			Profile: views.Profile{Name: in.Name, Region: in.Region, Signature: in.Signature, PatSuffix: in.PatSuffix},
			Errors:  web.FieldErrors(e, p),
			Flash:   layout.Flash{Kind: "error", Message: web.T(e, "errors.check_fields")},
		}
		return renderProfile(e, p.Status, accounts.AsMember(fresh), f)
	} else if err != nil {
		return err
	}
	return web.Redirect(e, "/me/profile?saved=1")
}

func uploadAvatar(e *core.RequestEvent) error {
	m := accounts.AsMember(web.Member(e))
	files, err := e.FindUploadedFiles(accounts.FieldAvatar)
	if err != nil && !errors.Is(err, http.ErrMissingFile) {
		return problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	if len(files) == 0 {
		err = problem.Invalid(accounts.FieldAvatar, "profile.avatar_missing", nil)
	} else {
		err = accounts.SetAvatar(e.App, m.ProxyRecord(), files[0])
	}
	status := http.StatusOK
	var flash layout.Flash
	if p, ok := problem.As(err); ok {
		status = http.StatusUnprocessableEntity // htmx swaps 422 (see the htmx-config meta tag)
		flash = layout.Flash{Kind: "error", Message: web.FieldErrors(e, p)[0].Message}
		// Show the avatar that is saved, not the refused file.
		fresh, ferr := e.App.FindRecordById(accounts.Collection, m.Id)
		if ferr != nil {
			return ferr
		}
		m = accounts.AsMember(fresh)
	} else if err != nil {
		return err
	} else {
		flash = layout.Flash{Kind: "ok", Message: web.T(e, "profile.uploaded")}
	}
	f := AvatarFormOf(m)
	f.Flash = flash
	if !web.IsHTMX(e) { // the no-JavaScript form post
		if status == http.StatusOK {
			return web.Redirect(e, "/me/profile")
		}
		return renderProfile(e, status, m, views.ProfileForm{Profile: ProfileOf(m)})
	}
	return web.Render(e, status, views.AvatarSection(f))
}

func settingsPage(e *core.RequestEvent) error {
	m := accounts.AsMember(web.Member(e))
	f := views.SettingsForm{Language: m.Language(), Theme: m.Theme()}
	if e.Request.URL.Query().Get("saved") == "1" {
		f.Flash = layout.Flash{Kind: "ok", Message: web.T(e, "settings.saved")}
	}
	shell := ShellFor(e, web.T(e, "settings.title"), layout.TabMe, layout.FocusDetail, "/me")
	return web.Render(e, http.StatusOK, layout.AppShell(shell, views.MeMenu(ProfileOf(m), "settings"), views.Settings(f)))
}

func saveSettings(e *core.RequestEvent) error {
	err := accounts.SetPreferences(e.App, web.Member(e), accounts.Preferences{
		Language: e.Request.FormValue("language"),
		Theme:    e.Request.FormValue("theme"),
	})
	if err != nil {
		return err // a Problem here means a forged form: pageErrors shows it
	}
	return web.Redirect(e, "/me/settings?saved=1")
}
