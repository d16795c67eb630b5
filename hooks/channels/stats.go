package channels

import (
	"fmt"

	"github.com/pocketbase/dbx"
)

// StatsDays is how many days the creator's stats show.
const StatsDays = 30

// Day is one day of a channel's stats.
type Day struct {
	Day       string `json:"day"` // YYYY-MM-DD, UTC
	Views     int    `json:"views"`
	Followers int    `json:"followers"` // at the end of the day
	Followed  int    `json:"followed"`
	Lost      int    `json:"unfollowed"`
}

// Stats are a channel's last StatsDays days, oldest first, with its
// totals now.
type Stats struct {
	Channel Channel `json:"channel"`
	Days    []Day   `json:"days"`
	Views   int     `json:"views"` // over the days shown
}

// StatsOf is memberID's own channel's stats (no one else's).
func (s *Service) StatsOf(memberID string) (Stats, error) {
	ch, err := s.ChannelOf(memberID, memberID)
	if err != nil {
		return Stats{}, err
	}
	now := s.now()
	first := now.AddDate(0, 0, -(StatsDays - 1)).Format("2006-01-02")
	var rows []struct {
		Day        string `db:"day"`
		Views      int    `db:"views"`
		Followed   int    `db:"followed"`
		Unfollowed int    `db:"unfollowed"`
	}
	err = s.app.DB().NewQuery(`SELECT day, views, followed, unfollowed FROM channels_daily WHERE channel = {:c} AND day >= {:d}`).
		Bind(dbx.Params{"c": ch.ID, "d": first}).All(&rows)
	if err != nil {
		return Stats{}, fmt.Errorf("read stats: %w", err)
	}
	byDay := map[string]int{}
	for i, r := range rows {
		byDay[r.Day] = i
	}
	out := Stats{Channel: ch, Days: make([]Day, StatsDays)}
	followers := ch.Followers // walking back from today: yesterday's end is today's end less today's change
	for i := StatsDays - 1; i >= 0; i-- {
		day := now.AddDate(0, 0, i-(StatsDays-1)).Format("2006-01-02")
		d := Day{Day: day, Followers: followers}
		if j, ok := byDay[day]; ok {
			d.Views, d.Followed, d.Lost = rows[j].Views, rows[j].Followed, rows[j].Unfollowed
		}
		followers = max(0, followers-d.Followed+d.Lost)
		out.Days[i] = d
		out.Views += d.Views
	}
	return out, nil
}
