package miniprograms

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"

	"plaza/hooks/reports"
)

// Live apps only, for members' lists.
const liveApps = `a.released != '' AND a.suspended = FALSE`

// Recent are the apps the member opened, most recent first.
func (s *Service) Recent(memberID string, limit int) ([]App, error) {
	return s.appsWhere(`JOIN mp_users u ON u.app = a.id WHERE u.member = {:m} AND u.last_used != '' AND `+liveApps+`
		ORDER BY u.last_used DESC LIMIT {:n}`, dbx.Params{"m": memberID, "n": limit})
}

// Starred are the member's "My Mini Programs", by name.
func (s *Service) Starred(memberID string) ([]App, error) {
	return s.appsWhere(`JOIN mp_users u ON u.app = a.id WHERE u.member = {:m} AND u.starred = TRUE AND `+liveApps+`
		ORDER BY a.name LIMIT 100`, dbx.Params{"m": memberID})
}

// IsStarred reports whether the member starred app a.
func (s *Service) IsStarred(memberID string, a App) (bool, error) {
	var n int
	err := s.app.DB().NewQuery(`SELECT COUNT(*) FROM mp_users WHERE app = {:a} AND member = {:m} AND starred = TRUE`).
		Bind(dbx.Params{"a": a.ID, "m": memberID}).Row(&n)
	return n > 0, err
}

// Star adds the app to (or takes it from) the member's "My Mini Programs".
func (s *Service) Star(memberID, appid string, on bool) error {
	a, err := s.Visible(memberID, appid)
	if err != nil {
		return err
	}
	u, err := s.UserOf(a, memberID)
	if err != nil {
		return err
	}
	_, err = s.app.DB().NewQuery(`UPDATE mp_users SET starred = {:s} WHERE id = {:id}`).Bind(dbx.Params{"s": on, "id": u.ID}).Execute()
	if err != nil {
		return fmt.Errorf("star app: %w", err)
	}
	return nil
}

// escapeLike escapes LIKE's wildcards (with \ as the escape).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Search finds live apps by name or description (any length: one Chinese
// character is a query), in one category when given, most used first.
func (s *Service) Search(query, category string, limit int) ([]App, error) {
	query = strings.TrimSpace(query)
	where := liveApps
	params := dbx.Params{"n": limit, "since": s.now().AddDate(0, 0, -7).Format(time.DateOnly)}
	if query != "" {
		where += ` AND (a.name LIKE {:q} ESCAPE '\' OR a.description LIKE {:q} ESCAPE '\')`
		params["q"] = "%" + escapeLike(query) + "%"
	}
	if category != "" {
		where += ` AND a.category = {:c}`
		params["c"] = category
	}
	return s.appsWhere(`WHERE `+where+` ORDER BY (SELECT COUNT(DISTINCT v.member) FROM mp_visits v WHERE v.app = a.id AND v.day >= {:since}) DESC,
		a.name LIMIT {:n}`, params)
}

// Popular are the live apps with the most members active this week.
func (s *Service) Popular(limit int) ([]App, error) {
	return s.Search("", "", limit)
}

// WeeklyActive counts each app's members active in the last 7 days.
func (s *Service) WeeklyActive(apps []App) (map[string]int, error) {
	out := map[string]int{}
	if len(apps) == 0 {
		return out, nil
	}
	ids := make([]any, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	var rows []struct {
		App string `db:"app"`
		N   int    `db:"n"`
	}
	err := s.app.DB().Select("app", "COUNT(DISTINCT member) AS n").From("mp_visits").
		Where(dbx.In("app", ids...)).AndWhere(dbx.NewExp("day >= {:since}", dbx.Params{"since": s.now().AddDate(0, 0, -7).Format(time.DateOnly)})).
		GroupBy("app").All(&rows)
	if err != nil {
		return nil, fmt.Errorf("count weekly active: %w", err)
	}
	for _, r := range rows {
		out[r.App] = r.N
	}
	return out, nil
}

// Report files a report about a live app into the moderators' queue.
func (s *Service) Report(reporterID, appid string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	a, err := s.Visible(reporterID, appid)
	if err != nil {
		return err
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindMiniProgram, Person: a.Developer, Ref: a.ID,
		Excerpt: a.Name + ": " + a.Description}, in)
}
