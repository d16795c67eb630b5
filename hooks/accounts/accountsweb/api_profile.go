package accountsweb

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
	"plaza/hooks/web"
)

// The JSON twins of the profile, avatar and settings forms (docs/API.md):
// each calls the operation its form handler calls (accounts.UpdateProfile,
// accounts.SetAvatar, accounts.SetPreferences).

func registerProfileAPI(se *core.ServeEvent) {
	me := se.Router.Group("/api/plaza/me").BindFunc(web.RequireMember)
	me.GET("", apiProfile)
	me.PATCH("", apiSaveProfile)
	me.POST("/avatar", apiUploadAvatar).Bind(apis.BodyLimit(accounts.AvatarMaxBytes + 1<<20))
}

type apiMe struct {
	ID        string `json:"id"`
	PlazaID   string `json:"plaza_id"`
	Email     string `json:"email"`
	Name      string `json:"name"`
	AvatarURL string `json:"avatar_url"`
	Region    string `json:"region"`
	Signature string `json:"signature"`
	PatSuffix string `json:"pat_suffix"`
	Language  string `json:"language"`
	Theme     string `json:"theme"`
}

func profileJSON(e *core.RequestEvent, r *core.Record) error {
	m := accounts.AsMember(r)
	return e.JSON(http.StatusOK, apiMe{ID: m.Id, PlazaID: m.PlazaID(), Email: r.Email(), Name: m.DisplayName(),
		AvatarURL: m.AvatarURL("240x240"), Region: m.Region(), Signature: m.Signature(), PatSuffix: m.PatSuffix(),
		Language: m.Language(), Theme: m.Theme()})
}

// apiProfile is GET /api/plaza/me: the caller's own profile and settings.
func apiProfile(e *core.RequestEvent) error {
	return profileJSON(e, web.Member(e))
}

// apiSaveProfile is PATCH /api/plaza/me: fields left out keep their value.
// Nothing is saved unless every field given is valid.
func apiSaveProfile(e *core.RequestEvent) error {
	var body struct {
		Name      *string `json:"name"`
		Region    *string `json:"region"`
		Signature *string `json:"signature"`
		PatSuffix *string `json:"pat_suffix"`
		Language  *string `json:"language"`
		Theme     *string `json:"theme"`
	}
	if err := web.BindJSON(e, &body); err != nil {
		return web.APIError(e, err)
	}
	// Work on a copy: a refused change leaves the request's member as saved.
	r := web.Member(e).Fresh()
	m := accounts.AsMember(r)
	in := accounts.ProfileInput{Name: m.DisplayName(), Region: m.Region(), Signature: m.Signature(), PatSuffix: m.PatSuffix()}
	prefs := accounts.Preferences{Language: m.Language(), Theme: m.Theme()}
	for _, f := range []struct{ from, to *string }{{body.Name, &in.Name}, {body.Region, &in.Region},
		{body.Signature, &in.Signature}, {body.PatSuffix, &in.PatSuffix}, {body.Language, &prefs.Language}, {body.Theme, &prefs.Theme}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if err := accounts.CheckPreferences(prefs); err != nil {
		return web.APIError(e, err)
	}
	if err := accounts.UpdateProfile(e.App, r, in); err != nil {
		return web.APIError(e, err)
	}
	if body.Language != nil || body.Theme != nil {
		if err := accounts.SetPreferences(e.App, r, prefs); err != nil {
			return web.APIError(e, err)
		}
	}
	return profileJSON(e, r)
}

// apiUploadAvatar is POST /api/plaza/me/avatar (multipart "avatar"): the
// same checks as the page's uploader; answers the profile.
func apiUploadAvatar(e *core.RequestEvent) error {
	files, err := e.FindUploadedFiles(accounts.FieldAvatar)
	if err != nil && !errors.Is(err, http.ErrMissingFile) {
		return web.APIError(e, problem.New(http.StatusBadRequest, "errors.bad_request"))
	}
	if len(files) == 0 {
		return web.APIError(e, problem.Invalid(accounts.FieldAvatar, "profile.avatar_missing", nil))
	}
	r := web.Member(e).Fresh()
	if err := accounts.SetAvatar(e.App, r, files[0]); err != nil {
		return web.APIError(e, err)
	}
	return profileJSON(e, r)
}
