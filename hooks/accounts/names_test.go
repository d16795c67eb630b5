package accounts_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/testapp"
)

// TestFacesMatchMembers: the light read names, draws and initials every
// member as the whole record does (a chosen name or none, an avatar or
// none) and leaves out ids with no member.
func TestFacesMatchMembers(t *testing.T) {
	app := testapp.New(t)
	named, bare := testapp.CreateMember(t, app, "named1"), testapp.CreateMember(t, app, "bare01")
	named.Set(accounts.FieldName, "Élodie 李")
	named.Set(accounts.FieldAvatar, "face_abc.png")
	bare.Set(accounts.FieldName, "")
	for _, r := range []*core.Record{named, bare} {
		if err := app.UnsafeWithoutHooks().SaveNoValidate(r); err != nil {
			t.Fatal(err)
		}
	}
	ids := []string{named.Id, bare.Id, "nosuchmember00"}
	whole, err := accounts.Members(app, ids)
	if err != nil {
		t.Fatal(err)
	}
	faces, err := accounts.Faces(app, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(faces) != 2 || len(whole) != 2 {
		t.Fatalf("faces %d, members %d", len(faces), len(whole))
	}
	for id, m := range whole {
		f := faces[id]
		if f == nil || f.DisplayName() != m.DisplayName() || f.AvatarURL("96x96") != m.AvatarURL("96x96") || f.Initial() != m.Initial() {
			t.Errorf("%s: face %+v, member %q %q %q", id, f, m.DisplayName(), m.AvatarURL("96x96"), m.Initial())
		}
	}
	if faces[named.Id].AvatarURL("") == "" || faces[bare.Id].AvatarURL("") != "" || faces[bare.Id].DisplayName() != "bare01" {
		t.Errorf("faces: %q %q %q", faces[named.Id].AvatarURL(""), faces[bare.Id].AvatarURL(""), faces[bare.Id].DisplayName())
	}
}
