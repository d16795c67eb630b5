// Package accounts renders the sign-in, sign-up and password-reset pages and
// the Me tab (profile, profile editing, settings).
package accounts

import "plaza/views/layout"

// SignInForm is the sign-in page's state.
type SignInForm struct {
	Identity string
	Next     string
	Flash    layout.Flash
}

// SignUpForm is the sign-up page's state.
type SignUpForm struct {
	PlazaID      string
	Email        string
	InviteCode   string
	InviteNeeded bool
	Closed       bool
	Flash        layout.Flash
	Errors       []layout.FieldError
}

// ForgotForm is the "reset your password" page's state.
type ForgotForm struct {
	Email  string
	Flash  layout.Flash
	Errors []layout.FieldError
}

// ResetForm is the "choose a new password" page's state.
type ResetForm struct {
	Token   string
	Invalid bool
	Flash   layout.Flash
	Errors  []layout.FieldError
}

// Profile is a member's profile as the Me tab shows it.
type Profile struct {
	ID        string // the member id
	PlazaID   string
	Name      string
	Region    string
	Signature string
	PatSuffix string
	AvatarURL string // 240×240 thumbnail, "" when none
	Initial   string
}

// ProfileForm is the profile editor's state.
type ProfileForm struct {
	Profile
	Flash  layout.Flash
	Errors []layout.FieldError
}

// AvatarForm is the avatar uploader's state (re-rendered after an upload).
type AvatarForm struct {
	AvatarURL string
	Initial   string
	Flash     layout.Flash
}

// SettingsForm is the settings page's state.
type SettingsForm struct {
	Language string // "", "en", "zh"
	Theme    string // "", "light", "dark"
	Flash    layout.Flash
}
