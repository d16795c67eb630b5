// Package pb_migrations holds Plaza's schema as Go migrations. Each file is
// <unix time>_<what>.go and registers an up and a down function; a shipped
// migration is never edited, a new one is added instead.
package pb_migrations

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SettingsRecordID is the fixed id of the single community settings row.
const SettingsRecordID = "plazasettings01"

func init() {
	m.Register(accountsUp, accountsDown)
}

// accountsUp creates the community settings row and invite codes, extends
// PocketBase's users collection into Plaza members, and turns on the rate
// limiter with rules for the sign-in and sign-up routes.
//
// One piece: a migration creates its schema in one step, read top to
// bottom in the order the tables depend on each other.
func accountsUp(app core.App) error {
	settings := core.NewBaseCollection("settings")
	// Superusers only: the community's settings are edited in /_/.
	settings.ListRule, settings.ViewRule, settings.CreateRule, settings.UpdateRule, settings.DeleteRule = nil, nil, nil, nil, nil
	settings.Fields.Add(
		&core.TextField{Name: "community_name", Required: true, Max: 60},
		&core.SelectField{Name: "registration_mode", Required: true, MaxSelect: 1, Values: []string{"open", "invite", "closed"}},
		&core.SelectField{Name: "default_language", Required: true, MaxSelect: 1, Values: []string{"en", "zh"}},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	if err := app.Save(settings); err != nil {
		return err
	}
	row := core.NewRecord(settings)
	row.Id = SettingsRecordID
	row.Set("community_name", "Plaza")
	row.Set("registration_mode", "open")
	row.Set("default_language", "en")
	if err := app.Save(row); err != nil {
		return err
	}

	invites := core.NewBaseCollection("invite_codes")
	// Superusers create invite codes in /_/; members only ever type them in.
	invites.ListRule, invites.ViewRule, invites.CreateRule, invites.UpdateRule, invites.DeleteRule = nil, nil, nil, nil, nil
	invites.Fields.Add(
		&core.TextField{Name: "code", Required: true, Min: 6, Max: 32, Pattern: `^[A-Za-z0-9-]+$`, AutogeneratePattern: `[a-z0-9]{10}`},
		&core.TextField{Name: "note", Max: 200},
		&core.NumberField{Name: "max_uses", Required: true, OnlyInt: true, Min: types.Pointer(1.0)},
		&core.NumberField{Name: "uses", OnlyInt: true, Min: types.Pointer(0.0)},
		&core.DateField{Name: "expires"},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	invites.AddIndex("idx_invite_codes_code", true, "code COLLATE NOCASE", "")
	if err := app.Save(invites); err != nil {
		return err
	}

	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	self := "id = @request.auth.id"
	users.ListRule = types.Pointer(self)
	users.ViewRule = types.Pointer(self)
	// Members are created only through Plaza's sign-up, which enforces the
	// registration mode, invite codes and the Plaza ID rules.
	users.CreateRule = nil
	// A member may edit their own profile but never their Plaza ID or invite.
	users.UpdateRule = types.Pointer(self + " && @request.body.plaza_id:isset = false && @request.body.invite:isset = false")
	users.DeleteRule = nil

	users.Fields.Add(
		&core.TextField{Name: "plaza_id", Required: true, Min: 6, Max: 20, Pattern: `^[A-Za-z][A-Za-z0-9_-]{5,19}$`},
		&core.TextField{Name: "region", Max: 60},
		&core.TextField{Name: "signature", Max: 120},
		&core.TextField{Name: "pat_suffix", Max: 20},
		&core.SelectField{Name: "language", MaxSelect: 1, Values: []string{"en", "zh"}},
		&core.SelectField{Name: "theme", MaxSelect: 1, Values: []string{"light", "dark"}},
		&core.RelationField{Name: "invite", CollectionId: invites.Id, MaxSelect: 1, Hidden: true},
	)
	if f, ok := users.Fields.GetByName("name").(*core.TextField); ok {
		f.Max = 40
	}
	if f, ok := users.Fields.GetByName("avatar").(*core.FileField); ok {
		f.MaxSize = 5 << 20
		f.MimeTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif"} // never SVG
		f.Thumbs = []string{"96x96", "240x240"}
	}
	users.AddIndex("idx_users_plaza_id", true, "plaza_id COLLATE NOCASE", "")
	users.PasswordAuth.IdentityFields = []string{"email", "plaza_id"}
	users.ResetPasswordTemplate.Body = strings.ReplaceAll(users.ResetPasswordTemplate.Body,
		core.EmailPlaceholderAppURL+"/_/#/auth/confirm-password-reset/"+core.EmailPlaceholderToken,
		core.EmailPlaceholderAppURL+"/reset/"+core.EmailPlaceholderToken)
	if err := app.Save(users); err != nil {
		return err
	}

	s := app.Settings()
	s.Meta.AppName = "Plaza"
	s.Meta.AppURL = "http://127.0.0.1:8090"
	s.Meta.SenderName = "Plaza"
	s.RateLimits.Enabled = true
	s.RateLimits.Rules = []core.RateLimitRule{
		{Label: "POST /login", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 10, Duration: 60},
		{Label: "POST /signup", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 5, Duration: 60},
		{Label: "POST /forgot", MaxRequests: 5, Duration: 300},
		{Label: "POST /reset/", MaxRequests: 10, Duration: 300},
		{Label: "POST /api/plaza/signup", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 5, Duration: 60},
		{Label: "POST /me/avatar", MaxRequests: 20, Duration: 60},
		{Label: "*:auth", MaxRequests: 10, Duration: 60},
		{Label: "*:create", MaxRequests: 20, Duration: 5},
		{Label: "/api/batch", MaxRequests: 3, Duration: 1},
		{Label: "/api/", MaxRequests: 300, Duration: 10},
	}
	return app.Save(s)
}

func accountsDown(app core.App) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	for _, name := range []string{"plaza_id", "region", "signature", "pat_suffix", "language", "theme", "invite"} {
		users.Fields.RemoveByName(name)
	}
	users.RemoveIndex("idx_users_plaza_id")
	users.PasswordAuth.IdentityFields = []string{"email"}
	if err := app.Save(users); err != nil {
		return err
	}
	for _, name := range []string{"invite_codes", "settings"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}
