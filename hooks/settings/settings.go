// Package settings gives typed, cached access to the community settings that
// superusers edit in /_/ (the single row of the "settings" collection).
package settings

import (
	"cmp"
	"errors"
	"fmt"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"plaza/pb_migrations"
)

// CollectionName is the name of the settings collection.
const CollectionName = "settings"

// Registration modes a community can choose.
const (
	RegistrationOpen   = "open"   // anyone may sign up
	RegistrationInvite = "invite" // sign-up needs a valid invite code
	RegistrationClosed = "closed" // only superusers add members
)

// Settings is the community's configuration. New modules add their limits
// here (and a field in a migration) so there is one place to read them.
type Settings struct {
	CommunityName    string
	RegistrationMode string
	DefaultLanguage  string

	// LinkSecret signs every QR-code link (hooks/links); rotating it in
	// /_/ voids every code ever shown. Never displayed to members.
	LinkSecret string

	// FriendRequestsPerHour caps the friend requests one member may send.
	FriendRequestsPerHour int

	// ChatFileMaxMB is the largest picture or file a member may send in a
	// chat, in MiB.
	ChatFileMaxMB int

	// CurrencyCode and CurrencySymbol name the wallet's unit (default CNY,
	// ¥); amounts are integer cents of it.
	CurrencyCode   string
	CurrencySymbol string
	// TransferMax and TransferDailyMax cap one transfer and a member's
	// transfers in a day, in cents; PacketMax caps one red packet.
	TransferMax      int64
	TransferDailyMax int64
	PacketMax        int64

	// MomentsVideoMaxMB and MomentsVideoMaxSeconds bound one Moments video.
	MomentsVideoMaxMB      int
	MomentsVideoMaxSeconds int
	// ChannelsVideoMaxMB and ChannelsVideoMaxSeconds bound one Channels video.
	ChannelsVideoMaxMB      int
	ChannelsVideoMaxSeconds int

	// OASubscriptionPerDay caps a subscription Official Account's
	// broadcasts in a day; OAServicePerMonth a service account's in a month.
	OASubscriptionPerDay int
	OAServicePerMonth    int
}

// Defaults are used when the settings row cannot be read (it always exists
// after migrations; this only guards a half-migrated database).
var Defaults = Settings{
	CommunityName:         "Plaza",
	RegistrationMode:      RegistrationOpen,
	DefaultLanguage:       "en",
	FriendRequestsPerHour: 30,
	ChatFileMaxMB:         25,
	CurrencyCode:          "CNY",
	CurrencySymbol:        "¥",
	TransferMax:           5_000_000,
	TransferDailyMax:      20_000_000,
	PacketMax:             20_000,

	MomentsVideoMaxMB:       100,
	MomentsVideoMaxSeconds:  300,
	ChannelsVideoMaxMB:      200,
	ChannelsVideoMaxSeconds: 600,

	OASubscriptionPerDay: 1,
	OAServicePerMonth:    4,
}

const storeKey = "plaza.settings"

var loadMu sync.Mutex

// Get returns the current community settings. The row is read once and
// cached in the app store; the cache is dropped whenever the row changes.
func Get(app core.App) Settings {
	if s, ok := app.Store().Get(storeKey).(Settings); ok {
		return s
	}
	loadMu.Lock()
	defer loadMu.Unlock()
	s, err := load(app)
	if err != nil {
		app.Logger().Warn("settings: using defaults", "error", err)
		return Defaults
	}
	app.Store().Set(storeKey, s)
	return s
}

func load(app core.App) (Settings, error) {
	r, err := app.FindRecordById(CollectionName, pb_migrations.SettingsRecordID)
	if err != nil {
		return Settings{}, fmt.Errorf("read settings row: %w", err)
	}
	return Settings{
		CommunityName:         r.GetString("community_name"),
		RegistrationMode:      r.GetString("registration_mode"),
		DefaultLanguage:       r.GetString("default_language"),
		LinkSecret:            r.GetString("link_secret"),
		FriendRequestsPerHour: r.GetInt("friend_requests_per_hour"),
		ChatFileMaxMB:         max(r.GetInt("chat_file_max_mb"), 1),
		CurrencyCode:          cmp.Or(r.GetString("currency_code"), Defaults.CurrencyCode),
		CurrencySymbol:        cmp.Or(r.GetString("currency_symbol"), Defaults.CurrencySymbol),
		TransferMax:           cmp.Or(int64(r.GetInt("transfer_max")), Defaults.TransferMax),
		TransferDailyMax:      cmp.Or(int64(r.GetInt("transfer_daily_max")), Defaults.TransferDailyMax),
		PacketMax:             cmp.Or(int64(r.GetInt("packet_max")), Defaults.PacketMax),

		MomentsVideoMaxMB:       cmp.Or(r.GetInt("moments_video_max_mb"), Defaults.MomentsVideoMaxMB),
		MomentsVideoMaxSeconds:  cmp.Or(r.GetInt("moments_video_max_seconds"), Defaults.MomentsVideoMaxSeconds),
		ChannelsVideoMaxMB:      cmp.Or(r.GetInt("channels_video_max_mb"), Defaults.ChannelsVideoMaxMB),
		ChannelsVideoMaxSeconds: cmp.Or(r.GetInt("channels_video_max_seconds"), Defaults.ChannelsVideoMaxSeconds),

		OASubscriptionPerDay: cmp.Or(r.GetInt("oa_subscription_per_day"), Defaults.OASubscriptionPerDay),
		OAServicePerMonth:    cmp.Or(r.GetInt("oa_service_per_month"), Defaults.OAServicePerMonth),
	}, nil
}

// ErrSingleRow is returned when someone tries to add or delete a settings row.
var ErrSingleRow = errors.New("the community has exactly one settings row: edit it instead")

// Register keeps the cache fresh and the settings collection to one row.
func Register(app core.App) {
	invalidate := func(e *core.RecordEvent) error {
		app.Store().Remove(storeKey)
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(CollectionName).BindFunc(invalidate)
	app.OnRecordCreate(CollectionName).BindFunc(func(e *core.RecordEvent) error {
		if e.Record.Id != pb_migrations.SettingsRecordID {
			return ErrSingleRow
		}
		return e.Next()
	})
	app.OnRecordDelete(CollectionName).BindFunc(func(e *core.RecordEvent) error {
		return ErrSingleRow
	})
}
