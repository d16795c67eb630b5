package miniprograms

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
)

// Day is one day of an app's console stats.
type Day struct {
	Day      string `json:"day" db:"day"`
	Active   int    `json:"active" db:"active"`     // members who opened it
	Orders   int    `json:"orders" db:"orders"`     // orders paid
	Received int64  `json:"received" db:"received"` // cents paid
}

// Stats are the app's last days (oldest first, every day present).
func (s *Service) Stats(memberID, appid string, days int) ([]Day, error) {
	a, err := s.Own(memberID, appid)
	if err != nil {
		return nil, err
	}
	today := s.now()
	from := today.AddDate(0, 0, 1-days).Format(time.DateOnly)
	byDay := map[string]*Day{}
	out := make([]Day, days)
	for i := range out {
		out[i].Day = today.AddDate(0, 0, i+1-days).Format(time.DateOnly)
		byDay[out[i].Day] = &out[i]
	}
	var active []Day
	if err := s.app.DB().NewQuery(`SELECT day, COUNT(*) AS active FROM mp_visits WHERE app = {:a} AND day >= {:f} GROUP BY day`).
		Bind(dbx.Params{"a": a.ID, "f": from}).All(&active); err != nil {
		return nil, fmt.Errorf("count active: %w", err)
	}
	for _, d := range active {
		if p := byDay[d.Day]; p != nil {
			p.Active = d.Active
		}
	}
	var paid []Day
	if err := s.app.DB().NewQuery(`SELECT substr(paid_at, 1, 10) AS day, COUNT(*) AS orders, SUM(amount) AS received FROM mp_orders
		WHERE app = {:a} AND paid_at >= {:f} GROUP BY substr(paid_at, 1, 10)`).Bind(dbx.Params{"a": a.ID, "f": from}).All(&paid); err != nil {
		return nil, fmt.Errorf("sum payments: %w", err)
	}
	for _, d := range paid {
		if p := byDay[d.Day]; p != nil {
			p.Orders, p.Received = d.Orders, d.Received
		}
	}
	return out, nil
}
