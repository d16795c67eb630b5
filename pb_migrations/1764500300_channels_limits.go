package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(channelsLimitsUp, channelsLimitsDown)
}

// channelsLimits are Channels' rate limits (per client, PocketBase's
// limiter; docs/SECURITY.md §10): its actions and shares, its search,
// and its public pages and post reads, which count views.
var channelsLimits = []core.RateLimitRule{
	{Label: "POST /channels/", MaxRequests: 60, Duration: 60},
	{Label: "POST /c/", MaxRequests: 60, Duration: 60},
	{Label: "POST /api/plaza/channels/", MaxRequests: 60, Duration: 60},
	{Label: "PATCH /api/plaza/channels/", MaxRequests: 60, Duration: 60},
	{Label: "DELETE /api/plaza/channels/", MaxRequests: 60, Duration: 60},
	{Label: "GET /channels/search", MaxRequests: 30, Duration: 60},
	{Label: "GET /api/plaza/channels/search", MaxRequests: 30, Duration: 60},
	{Label: "GET /c/", MaxRequests: 1200, Duration: 60}, // pages and avatars: a feed shows many
	{Label: "GET /api/plaza/channels/posts/", MaxRequests: 1200, Duration: 60},
}

func channelsLimitsUp(app core.App) error {
	s := app.Settings()
	s.RateLimits.Rules = append(s.RateLimits.Rules, channelsLimits...)
	return app.Save(s)
}

func channelsLimitsDown(app core.App) error {
	s := app.Settings()
	drop := map[string]bool{}
	for _, r := range channelsLimits {
		drop[r.Label] = true
	}
	kept := s.RateLimits.Rules[:0]
	for _, r := range s.RateLimits.Rules {
		if !drop[r.Label] {
			kept = append(kept, r)
		}
	}
	s.RateLimits.Rules = kept
	return app.Save(s)
}
