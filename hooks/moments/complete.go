package moments

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"
)

// A page's posts completed with what each viewer may see of them: media,
// likes and comments, read for the whole page at once.

// complete adds to each post its media and the likes and comments v may
// see, in three queries for the whole page.
func (s *Service) complete(v viewer, rows []postRow) ([]Post, error) {
	posts := make([]Post, len(rows))
	index := make(map[string]*Post, len(rows))
	ids := make([]string, len(rows))
	visible := map[string]bool{}
	for _, id := range v.people() {
		visible[id] = true
	}
	for i, r := range rows {
		p := Post{ID: r.ID, Author: r.Author, Text: r.Text, Location: r.Location, MediaKind: r.MediaKind,
			Media: []Media{}, Likes: []string{}, Comments: []Comment{}, Reminds: []string{}}
		if r.Author == v.id {
			p.Visibility = r.Visibility
		}
		var reminds []string
		if err := json.Unmarshal([]byte(r.Reminds), &reminds); err != nil {
			return nil, fmt.Errorf("post %s reminds: %w", r.ID, err)
		}
		for _, m := range reminds {
			if visible[m] {
				p.Reminds = append(p.Reminds, m)
			}
		}
		t, err := types.ParseDateTime(r.Posted)
		if err != nil {
			return nil, fmt.Errorf("post %s time: %w", r.ID, err)
		}
		p.Posted = t.Time()
		if p.Share, err = s.sharedCard(v.id, r.Share); err != nil {
			return nil, err
		}
		posts[i] = p
		index[r.ID] = &posts[i]
		ids[i] = r.ID
	}
	if len(rows) == 0 {
		return posts, nil
	}
	params := dbx.Params{"ids": jsonList(ids)}
	if err := s.addMedia(index, params); err != nil {
		return nil, err
	}
	if err := s.addLikes(v.id, index, params, visible); err != nil {
		return nil, err
	}
	return posts, s.addComments(index, params, visible)
}

func (s *Service) addMedia(index map[string]*Post, params dbx.Params) error {
	var media []struct {
		ID       string `db:"id"`
		Post     string `db:"post"`
		Kind     string `db:"kind"`
		Width    int    `db:"width"`
		Height   int    `db:"height"`
		Duration int    `db:"duration_ms"`
		Poster   string `db:"poster"`
	}
	err := s.app.DB().NewQuery(`SELECT id, post, kind, width, height, duration_ms, poster FROM moments_media
		WHERE post IN (SELECT value FROM json_each({:ids})) ORDER BY post, position`).Bind(params).All(&media)
	if err != nil {
		return fmt.Errorf("read media: %w", err)
	}
	for _, m := range media {
		p := index[m.Post]
		p.Media = append(p.Media, Media{ID: m.ID, Kind: m.Kind, Width: m.Width, Height: m.Height, DurationMs: m.Duration, HasPoster: m.Poster != ""})
	}
	return nil
}

// likeRow is one like as read for a page.
type likeRow struct {
	Post    string
	Member  string
	Created string
	ID      string
}

// addLikes adds the likes of visible people (viewerID's people). They are
// read by post and kept in Go:
// filtering by hundreds of people in SQL costs more than it saves
// (docs/PERFORMANCE.md, "Moments").
func (s *Service) addLikes(viewerID string, index map[string]*Post, params dbx.Params, visible map[string]bool) error {
	var joined []string // one column a like, as addComments reads
	err := s.app.DB().NewQuery(`SELECT post || char(31) || member || char(31) || created || char(31) || id FROM moments_likes
		WHERE post IN (SELECT value FROM json_each({:ids}))`).Bind(params).Column(&joined)
	if err != nil {
		return fmt.Errorf("read likes: %w", err)
	}
	likes := make([]likeRow, 0, len(joined))
	for _, j := range joined {
		f := strings.SplitN(j, "\x1f", 4)
		if len(f) != 4 {
			return fmt.Errorf("read likes: bad row %q", j)
		}
		if visible[f[1]] {
			likes = append(likes, likeRow{Post: f[0], Member: f[1], Created: f[2], ID: f[3]})
		}
	}
	slices.SortFunc(likes, func(a, b likeRow) int { return cmp.Or(cmp.Compare(a.Created, b.Created), cmp.Compare(a.ID, b.ID)) })
	for _, l := range likes {
		p := index[l.Post]
		p.Likes = append(p.Likes, l.Member)
		if l.Member == viewerID {
			p.Liked = true
		}
	}
	return nil
}

// commentRow is one comment as read for a page.
type commentRow struct {
	ID      string
	Post    string
	Author  string
	ReplyTo string
	Text    string
	Created string
}

// addComments adds the comments v may see: by v or v's friends, and a
// reply only when the member it answers is one v may see too (a reply
// never names a stranger to the viewer).
func (s *Service) addComments(index map[string]*Post, params dbx.Params, visible map[string]bool) error {
	// Each comment is read as one column, its fields joined by a unit
	// separator (no id or time holds one; the text, which may, comes
	// last): the driver's cost per column read is most of what a post
	// of many comments costs (docs/PERFORMANCE.md, "Moments").
	var joined []string
	err := s.app.DB().NewQuery(`SELECT id || char(31) || post || char(31) || author || char(31) || reply_to || char(31) || created || char(31) || text
		FROM moments_comments WHERE post IN (SELECT value FROM json_each({:ids})) ORDER BY post, created`).Bind(params).Column(&joined)
	if err != nil {
		return fmt.Errorf("read comments: %w", err)
	}
	comments := make([]commentRow, len(joined))
	for i, j := range joined {
		f := strings.SplitN(j, "\x1f", 6)
		if len(f) != 6 {
			return fmt.Errorf("read comments: bad row %q", j)
		}
		comments[i] = commentRow{ID: f[0], Post: f[1], Author: f[2], ReplyTo: f[3], Created: f[4], Text: f[5]}
	}
	// The index gives each post's comments by time; the id orders ties.
	slices.SortStableFunc(comments, func(a, b commentRow) int {
		return cmp.Or(cmp.Compare(a.Post, b.Post), cmp.Compare(a.Created, b.Created), cmp.Compare(a.ID, b.ID))
	})
	for _, c := range comments {
		if !visible[c.Author] || c.ReplyTo != "" && !visible[c.ReplyTo] {
			continue
		}
		at, err := types.ParseDateTime(c.Created)
		if err != nil {
			return fmt.Errorf("comment %s time: %w", c.ID, err)
		}
		p := index[c.Post]
		p.Comments = append(p.Comments, Comment{ID: c.ID, Author: c.Author, ReplyTo: c.ReplyTo, Text: c.Text, At: at.Time()})
	}
	return nil
}
