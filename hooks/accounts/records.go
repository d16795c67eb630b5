package accounts

import (
	"cmp"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// Field names of the members (users) collection that Plaza adds or uses.
const (
	Collection     = "users"
	FieldPlazaID   = "plaza_id"
	FieldName      = "name"
	FieldAvatar    = "avatar"
	FieldRegion    = "region"
	FieldSignature = "signature"
	FieldPat       = "pat_suffix"
	FieldLanguage  = "language"
	FieldTheme     = "theme"
	FieldInvite    = "invite"
)

// Member is a typed view of a users record.
type Member struct {
	core.BaseRecordProxy
}

// AsMember wraps a users record.
func AsMember(r *core.Record) *Member {
	m := &Member{}
	m.SetProxyRecord(r)
	return m
}

// PlazaID is the member's unique handle.
func (m *Member) PlazaID() string { return m.GetString(FieldPlazaID) }

// DisplayName is the member's chosen name, or their Plaza ID.
func (m *Member) DisplayName() string {
	if n := m.GetString(FieldName); n != "" {
		return n
	}
	return m.PlazaID()
}

// ShownName is the one rule for the name a viewer sees for a member: the
// remark the viewer gave them (contacts), else their nickname in the group
// (chat, where a group applies), else their display name (their chosen
// name, else their Plaza ID). Pass "" for what does not apply.
func ShownName(remark, groupAlias, displayName string) string {
	return cmp.Or(remark, groupAlias, displayName)
}

// Region is the free-text region line of the profile.
func (m *Member) Region() string { return m.GetString(FieldRegion) }

// Signature is the profile's "What's up" line.
func (m *Member) Signature() string { return m.GetString(FieldSignature) }

// PatSuffix completes "A patted B …" in chats.
func (m *Member) PatSuffix() string { return m.GetString(FieldPat) }

// Language is the member's UI language, "" to follow the browser.
func (m *Member) Language() string { return m.GetString(FieldLanguage) }

// Theme is "light", "dark" or "" to follow the system.
func (m *Member) Theme() string { return m.GetString(FieldTheme) }

// AvatarURL returns the URL of the avatar's thumbnail of the given size
// ("96x96" or "240x240"), or "" when the member has none. Avatars are public
// files, like WeChat's, so the URL needs no token.
func (m *Member) AvatarURL(thumb string) string {
	name := m.GetString(FieldAvatar)
	if name == "" {
		return ""
	}
	u := "/api/files/" + m.Collection().Id + "/" + m.Id + "/" + name
	if thumb != "" {
		u += "?thumb=" + thumb
	}
	return u
}

// Initial is the first letter of the display name, for avatar placeholders.
func (m *Member) Initial() string {
	for _, r := range m.DisplayName() {
		return strings.ToUpper(string(r))
	}
	return "?"
}
