package accounts

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/languages"
	"plaza/hooks/problem"
)

// ProfileInput is the editable part of a profile.
type ProfileInput struct {
	Name      string
	Region    string
	Signature string
	PatSuffix string
}

// UpdateProfile validates and saves the member's profile text.
func UpdateProfile(app core.App, member *core.Record, in ProfileInput) error {
	in.Name = strings.TrimSpace(in.Name)
	in.Region = strings.TrimSpace(in.Region)
	in.Signature = strings.TrimSpace(in.Signature)
	in.PatSuffix = strings.TrimSpace(in.PatSuffix)

	p := &problem.Problem{Status: http.StatusBadRequest}
	if in.Name == "" {
		p.Add(FieldName, "profile.name_required", nil)
	}
	checkLen(p, FieldName, in.Name, NameMax)
	checkLen(p, FieldRegion, in.Region, RegionMax)
	checkLen(p, FieldSignature, in.Signature, SignatureMax)
	checkLen(p, FieldPat, in.PatSuffix, PatSuffixMax)
	if p.Has() {
		return p
	}
	member.Set(FieldName, in.Name)
	member.Set(FieldRegion, in.Region)
	member.Set(FieldSignature, in.Signature)
	member.Set(FieldPat, in.PatSuffix)
	if err := app.Save(member); err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	return nil
}

// Preferences are per-member UI choices; "" means "follow the device".
type Preferences struct {
	Language string // "" or one of languages.All
	Theme    string // "", "light" or "dark"
}

// CheckPreferences validates UI preferences without saving them.
func CheckPreferences(in Preferences) error {
	p := &problem.Problem{Status: http.StatusBadRequest}
	if in.Language != "" && languages.Supported(in.Language) == "" {
		p.Add(FieldLanguage, "errors.bad_request", nil)
	}
	if in.Theme != "" && in.Theme != "light" && in.Theme != "dark" {
		p.Add(FieldTheme, "errors.bad_request", nil)
	}
	return p.OrNil()
}

// SetPreferences validates and saves the member's UI preferences.
func SetPreferences(app core.App, member *core.Record, in Preferences) error {
	if err := CheckPreferences(in); err != nil {
		return err
	}
	member.Set(FieldLanguage, in.Language)
	member.Set(FieldTheme, in.Theme)
	if err := app.Save(member); err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}
