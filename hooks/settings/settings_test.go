package settings_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/settings"
)

func TestSettingsAccessor(t *testing.T) {
	app := testapp.New(t)
	s := settings.Get(app)
	if len(s.LinkSecret) < 64 {
		t.Fatalf("the migration should generate a link secret, got %q", s.LinkSecret)
	}
	s.LinkSecret = ""
	if s != (settings.Settings{CommunityName: "Plaza", RegistrationMode: "open", DefaultLanguage: "en", FriendRequestsPerHour: 30, ChatFileMaxMB: 25,
		CurrencyCode: "CNY", CurrencySymbol: "¥", TransferMax: 5_000_000, TransferDailyMax: 20_000_000, PacketMax: 20_000,
		MomentsVideoMaxMB: 100, MomentsVideoMaxSeconds: 300, ChannelsVideoMaxMB: 200, ChannelsVideoMaxSeconds: 600,
		OASubscriptionPerDay: 1, OAServicePerMonth: 4}) {
		t.Fatalf("defaults after migration: %+v", s)
	}
	row, err := app.FindRecordById(settings.CollectionName, "plazasettings01")
	if err != nil {
		t.Fatal(err)
	}
	row.Set("community_name", "河边社区")
	row.Set("registration_mode", "invite")
	if err := app.Save(row); err != nil {
		t.Fatal(err)
	}
	if s := settings.Get(app); s.CommunityName != "河边社区" || s.RegistrationMode != "invite" {
		t.Fatalf("the cached settings were not refreshed: %+v", s)
	}

	c, _ := app.FindCollectionByNameOrId(settings.CollectionName)
	extra := core.NewRecord(c)
	extra.Set("community_name", "Second")
	extra.Set("registration_mode", "open")
	extra.Set("default_language", "en")
	if err := app.Save(extra); err == nil {
		t.Fatal("a second settings row was allowed")
	}
	if err := app.Delete(row); err == nil {
		t.Fatal("the settings row could be deleted")
	}
}
