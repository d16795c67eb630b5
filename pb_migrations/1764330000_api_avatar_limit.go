package pb_migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(apiAvatarLimitUp, apiAvatarLimitDown)
}

// apiAvatarLimitLabel limits avatar uploads over the JSON API as the page's
// "POST /me/avatar" rule does (20 a minute): each upload decodes an image.
const apiAvatarLimitLabel = "POST /api/plaza/me/avatar"

func apiAvatarLimitUp(app core.App) error {
	s := app.Settings()
	if slices.ContainsFunc(s.RateLimits.Rules, func(r core.RateLimitRule) bool { return r.Label == apiAvatarLimitLabel }) {
		return nil
	}
	s.RateLimits.Rules = append([]core.RateLimitRule{{Label: apiAvatarLimitLabel, MaxRequests: 20, Duration: 60}}, s.RateLimits.Rules...)
	return app.Save(s)
}

func apiAvatarLimitDown(app core.App) error {
	s := app.Settings()
	s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(r core.RateLimitRule) bool { return r.Label == apiAvatarLimitLabel })
	return app.Save(s)
}
