package mpdemo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/miniprograms/mpclient"
)

// Option is one answer of the poll.
type Option struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Local string `json:"local"`
	Emoji string `json:"emoji"`
	Votes int    `json:"votes"`
}

// Question is the Community Poll's question, in English and Chinese.
var Question = [2]string{"What should the community garden plant next spring?", "明年春天社区花园种什么？"}

// Options are the poll's answers.
var Options = []Option{
	{ID: "sunflowers", Label: "Sunflowers", Local: "向日葵", Emoji: "🌻"},
	{ID: "tomatoes", Label: "Tomatoes", Local: "番茄", Emoji: "🍅"},
	{ID: "herbs", Label: "Herbs", Local: "香草", Emoji: "🌿"},
}

// LaunchMaxAge is how old launch parameters the poll accepts may be.
const LaunchMaxAge = time.Hour

// Results are the poll's counts.
type Results struct {
	Question string   `json:"question"`
	Local    string   `json:"local"`
	Options  []Option `json:"options"`
	Total    int      `json:"total"`
	Voted    *string  `json:"voted"` // the caller's choice, when the caller is known
}

// Results counts the votes.
func (s *Servers) Results() (Results, error) {
	var rows []struct {
		Choice string `db:"choice"`
		N      int    `db:"n"`
	}
	if err := s.app.DB().NewQuery(`SELECT choice, COUNT(*) AS n FROM mpdemo_votes GROUP BY choice`).All(&rows); err != nil {
		return Results{}, fmt.Errorf("count votes: %w", err)
	}
	out := Results{Question: Question[0], Local: Question[1], Options: make([]Option, len(Options))}
	copy(out.Options, Options)
	for _, r := range rows {
		for i := range out.Options {
			if out.Options[i].ID == r.Choice {
				out.Options[i].Votes = r.N
				out.Total += r.N
			}
		}
	}
	return out, nil
}

// Vote records the member's vote: the login code says who (by openid),
// one vote per openid (a second is 409 demo.already_voted, with the first
// choice in data.choice). The choice is checked before the code is spent.
func (s *Servers) Vote(ctx context.Context, code, choice string) (Results, error) {
	if !validChoice(choice) {
		return Results{}, refuse(http.StatusBadRequest, "demo.bad_choice", "Pick one of the answers.")
	}
	c, _, err := s.client(Poll)
	if err != nil {
		return Results{}, err
	}
	sess, err := s.login(ctx, c, code)
	if err != nil {
		return Results{}, err
	}
	res, err := s.app.DB().NewQuery(`INSERT INTO mpdemo_votes (id, openid, choice, created) VALUES ({:id}, {:o}, {:c}, {:at})
		ON CONFLICT (openid) DO NOTHING`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "o": sess.OpenID, "c": choice, "at": stamp(s.now())}).Execute()
	if err != nil {
		return Results{}, fmt.Errorf("save vote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		first, _ := s.voteOf(sess.OpenID)
		e := refuse(http.StatusConflict, "demo.already_voted", "You already voted.")
		if first != nil {
			e.Data["choice"] = *first
		}
		return Results{}, e
	}
	out, err := s.Results()
	out.Voted = &choice
	return out, err
}

// Me is the poll's answer on opening, with no login: the launch
// parameters the host gave the bundle (its query string, verified with
// the AppSecret) say who opened it, and the answer is that member's vote
// (nil if none).
func (s *Servers) Me(launch string) (*string, error) {
	c, secret, err := s.client(Poll)
	if err != nil {
		return nil, err
	}
	values, err := url.ParseQuery(strings.TrimPrefix(launch, "#"))
	bad := refuse(http.StatusUnauthorized, "demo.launch_bad", "The launch parameters are not Plaza's for this app.")
	if err != nil {
		return nil, bad
	}
	l, err := mpclient.VerifyLaunch(secret, values, s.now(), LaunchMaxAge)
	if errors.Is(err, mpclient.ErrLaunchExpired) {
		return nil, refuse(http.StatusUnauthorized, "demo.launch_expired", "Open the app again.")
	}
	if err != nil || l.AppID != c.AppID() {
		return nil, bad
	}
	return s.voteOf(l.OpenID)
}

func (s *Servers) voteOf(openid string) (*string, error) {
	var choice string
	err := s.app.DB().NewQuery(`SELECT choice FROM mpdemo_votes WHERE openid = {:o}`).Bind(dbx.Params{"o": openid}).Row(&choice)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read vote: %w", err)
	}
	return &choice, nil
}

func validChoice(id string) bool {
	for _, o := range Options {
		if o.ID == id {
			return true
		}
	}
	return false
}
