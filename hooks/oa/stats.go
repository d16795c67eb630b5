package oa

import (
	"fmt"

	"github.com/pocketbase/dbx"
)

// StatsDays is how many days an account's stats show.
const StatsDays = 30

// Day is one day of an account's stats.
type Day struct {
	Day       string `json:"day"`       // YYYY-MM-DD, UTC
	Followers int    `json:"followers"` // at the end of the day
	Followed  int    `json:"followed"`
	Lost      int    `json:"unfollowed"`
	Reads     int    `json:"reads"`
}

// ArticleReads is one article's reads.
type ArticleReads struct {
	ID          string `json:"id" db:"id"`
	Title       string `json:"title" db:"title"`
	PublishedAt string `json:"published_at" db:"published_at"`
	Reads       int    `json:"reads" db:"reads"`
	Likes       int    `json:"likes" db:"likes"`
	Wows        int    `json:"wows" db:"wows"`
}

// Stats are an account's followers and reads over its last StatsDays
// days, oldest first, and its published articles' reads, newest first.
type Stats struct {
	Days     []Day          `json:"days"`
	Articles []ArticleReads `json:"articles"`
}

// Stats are accountID's stats, for one who runs it.
func (s *Service) Stats(memberID, accountID string) (Stats, error) {
	acct, err := s.console(memberID, accountID)
	if err != nil {
		return Stats{}, err
	}
	now := s.now()
	var rows []struct {
		Day        string `db:"day"`
		Followed   int    `db:"followed"`
		Unfollowed int    `db:"unfollowed"`
		Reads      int    `db:"reads"`
	}
	err = s.app.DB().NewQuery(`SELECT day, followed, unfollowed, reads FROM oa_daily WHERE account = {:a} AND day >= {:d}`).
		Bind(dbx.Params{"a": accountID, "d": now.AddDate(0, 0, -(StatsDays - 1)).Format("2006-01-02")}).All(&rows)
	if err != nil {
		return Stats{}, fmt.Errorf("read stats: %w", err)
	}
	byDay := map[string]int{}
	for i, r := range rows {
		byDay[r.Day] = i
	}
	out := Stats{Days: make([]Day, StatsDays)}
	followers := acct.Followers // walking back from today: yesterday's end is today's end less today's change
	for i := StatsDays - 1; i >= 0; i-- {
		d := Day{Day: now.AddDate(0, 0, i-(StatsDays-1)).Format("2006-01-02"), Followers: followers}
		if j, ok := byDay[d.Day]; ok {
			d.Followed, d.Lost, d.Reads = rows[j].Followed, rows[j].Unfollowed, rows[j].Reads
		}
		followers = max(0, followers-d.Followed+d.Lost)
		out.Days[i] = d
	}
	err = s.app.DB().NewQuery(`SELECT id, title, published_at, reads, likes, wows FROM oa_articles
		WHERE account = {:a} AND published_at > '' ORDER BY published_at DESC LIMIT {:n}`).
		Bind(dbx.Params{"a": accountID, "n": ListMax}).All(&out.Articles)
	if err != nil {
		return Stats{}, fmt.Errorf("read article stats: %w", err)
	}
	return out, nil
}
