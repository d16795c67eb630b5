package moments

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/pocketbase/tools/types"
)

// NewPosts tells whether friends posted since memberID last looked at the
// feed, and who posted last (the Discover dot shows their avatar).
func (s *Service) NewPosts(memberID string) (latestAuthor string, err error) {
	v, err := s.viewerOf(memberID)
	if err != nil {
		return "", err
	}
	prefs, err := s.settingsOf(memberID)
	if err != nil {
		return "", err
	}
	params := v.params()
	params["authors"], params["seen"] = jsonList(v.feedAuthors()), ""
	if !prefs.FeedSeen.IsZero() {
		params["seen"] = prefs.FeedSeen.UTC().Format(types.DefaultDateLayout)
	}
	err = s.app.DB().NewQuery(`SELECT p.author FROM moments_posts p LEFT JOIN moments_settings s ON s.member = p.author
		WHERE +p.author IN (SELECT value FROM json_each({:authors})) AND p.author != {:v} AND p.posted > {:seen}
		AND p.taken_down = 0 AND ` + friendPostSQL + ` ORDER BY p.posted DESC LIMIT 1`).Bind(params).Row(&latestAuthor)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find new posts: %w", err)
	}
	return latestAuthor, nil
}

// MarkFeedSeen records that memberID looked at their feed now (the
// Discover dot goes out).
func (s *Service) MarkFeedSeen(memberID string) error {
	return s.setSetting(memberID, "feed_seen", s.now().Format(types.DefaultDateLayout))
}
