package channels

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// Post is one post as a viewer sees it.
type Post struct {
	ID           string    `json:"id"`
	Channel      Channel   `json:"channel"`
	Caption      string    `json:"caption"`
	Location     string    `json:"location"`
	Tags         []string  `json:"tags"`
	MediaKind    string    `json:"media_kind"` // "photo" or "video"
	Media        []Media   `json:"media"`
	Posted       time.Time `json:"posted"`
	Edited       bool      `json:"edited"`
	Likes        int       `json:"likes"`
	Comments     int       `json:"comments"`
	Views        int       `json:"views"`
	Liked        bool      `json:"liked"`         // the viewer likes it
	Favourited   bool      `json:"favourited"`    // the viewer saved it
	FriendsLiked []string  `json:"friends_liked"` // the viewer's friends who like it, latest first
	At           string    `json:"-"`             // the feed's own order key (Friends: the latest friend's like)
}

// Media is one photo or video of a post.
type Media struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	DurationMs int    `json:"duration_ms,omitempty"`
	Mime       string `json:"mime"`
	HasPoster  bool   `json:"-"`
}

// Page is a page of posts; Next is the cursor of the next one ("" at the
// end).
type Page struct {
	Posts []Post `json:"posts"`
	Next  string `json:"next"`
}

// Page sizes.
const (
	PageDefault = 10
	PageMax     = 30
)

func pageLimit(n int) int {
	if n <= 0 {
		return PageDefault
	}
	return min(n, PageMax)
}

// postColumns are a post and its channel, for postRow.
const postColumns = `p.id, p.channel, p.caption, p.location, p.media_kind, p.likes, p.comments, p.views, p.hot, p.posted, p.edited,
	p.taken_down, c.owner, c.handle, c.name, c.verified, c.followers, c.posts, (c.avatar != '') AS has_avatar, c.bio`

type postRow struct {
	ID        string  `db:"id"`
	Channel   string  `db:"channel"`
	Caption   string  `db:"caption"`
	Location  string  `db:"location"`
	MediaKind string  `db:"media_kind"`
	Likes     int     `db:"likes"`
	Comments  int     `db:"comments"`
	Views     int     `db:"views"`
	Hot       float64 `db:"hot"`
	Posted    string  `db:"posted"`
	Edited    string  `db:"edited"`
	TakenDown bool    `db:"taken_down"`
	Owner     string  `db:"owner"`
	Handle    string  `db:"handle"`
	Name      string  `db:"name"`
	Verified  bool    `db:"verified"`
	Followers int     `db:"followers"`
	Posts     int     `db:"posts"`
	HasAvatar bool    `db:"has_avatar"`
	Bio       string  `db:"bio"`
	At        string  `db:"at"` // a feed's own order key, when it has one
}

// loadPost reads one post; a taken-down one only when withDown (its owner
// deleting it).
func (s *Service) loadPost(postID string, withDown bool) (postRow, error) {
	var row postRow
	err := s.app.DB().NewQuery(`SELECT ` + postColumns + `, '' AS at FROM channels_posts p JOIN channels c ON c.id = p.channel
		WHERE p.id = {:p}`).Bind(dbx.Params{"p": postID}).One(&row)
	if errors.Is(err, sql.ErrNoRows) || err == nil && row.TakenDown && !withDown {
		return postRow{}, notFound()
	}
	if err != nil {
		return postRow{}, fmt.Errorf("load post: %w", err)
	}
	return row, nil
}

// PostFor is one post as viewerID ("" signed out) sees it; a taken-down
// post is channels.not_found, like one that never was.
func (s *Service) PostFor(viewerID, postID string) (Post, error) {
	row, err := s.loadPost(postID, false)
	if err != nil {
		return Post{}, err
	}
	posts, err := s.complete(viewerID, []postRow{row})
	if err != nil {
		return Post{}, err
	}
	return posts[0], nil
}

// PostIn is PostFor for a post of the channel handle (its public address
// names both; another channel's post is not found there).
func (s *Service) PostIn(viewerID, handle, postID string) (Post, error) {
	p, err := s.PostFor(viewerID, postID)
	if err != nil {
		return Post{}, err
	}
	if p.Channel.Handle != strings.ToLower(handle) {
		return Post{}, notFound()
	}
	return p, nil
}

// complete turns rows into posts with their media, and, for a member,
// whether they like and saved each and which of their friends like it:
// a few queries for the whole page.
func (s *Service) complete(viewerID string, rows []postRow) ([]Post, error) {
	posts := make([]Post, len(rows))
	index := make(map[string]*Post, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		t, err := types.ParseDateTime(r.Posted)
		if err != nil {
			return nil, fmt.Errorf("post %s time: %w", r.ID, err)
		}
		tags := Tags(r.Caption)
		if tags == nil {
			tags = []string{}
		}
		posts[i] = Post{ID: r.ID, Caption: r.Caption, Location: r.Location, Tags: tags, MediaKind: r.MediaKind,
			Media: []Media{}, Posted: t.Time(), Edited: r.Edited != "", Likes: r.Likes, Comments: r.Comments, Views: r.Views,
			FriendsLiked: []string{}, At: r.At,
			Channel: Channel{ID: r.Channel, Owner: r.Owner, Handle: r.Handle, Name: r.Name, Bio: r.Bio, Verified: r.Verified,
				Followers: r.Followers, Posts: r.Posts, HasAvatar: r.HasAvatar, Mine: viewerID != "" && viewerID == r.Owner}}
		index[r.ID] = &posts[i]
		ids[i] = r.ID
	}
	if len(rows) == 0 {
		return posts, nil
	}
	params := dbx.Params{"ids": jsonList(ids), "v": viewerID}
	if err := s.addMedia(index, params); err != nil {
		return nil, err
	}
	if viewerID == "" {
		return posts, nil
	}
	if err := s.addMine(index, params); err != nil {
		return nil, err
	}
	return posts, s.addFriendLikes(viewerID, index, params)
}

func (s *Service) addMedia(index map[string]*Post, params dbx.Params) error {
	var rows []struct {
		ID       string `db:"id"`
		Post     string `db:"post"`
		Kind     string `db:"kind"`
		Width    int    `db:"width"`
		Height   int    `db:"height"`
		Duration int    `db:"duration_ms"`
		Mime     string `db:"mime"`
		Poster   string `db:"poster"`
	}
	err := s.app.DB().NewQuery(`SELECT id, post, kind, width, height, duration_ms, mime, poster FROM channels_media
		WHERE post IN (SELECT value FROM json_each({:ids})) ORDER BY post, position`).Bind(params).All(&rows)
	if err != nil {
		return fmt.Errorf("read media: %w", err)
	}
	for _, m := range rows {
		p := index[m.Post]
		p.Media = append(p.Media, Media{ID: m.ID, Kind: m.Kind, Width: m.Width, Height: m.Height, DurationMs: m.Duration,
			Mime: m.Mime, HasPoster: m.Poster != ""})
	}
	return nil
}

// addMine marks the posts the viewer likes and saved.
func (s *Service) addMine(index map[string]*Post, params dbx.Params) error {
	var rows []struct {
		Post string `db:"post"`
		Kind string `db:"kind"`
	}
	err := s.app.DB().NewQuery(`SELECT post, 'like' AS kind FROM channels_likes WHERE member = {:v} AND post IN (SELECT value FROM json_each({:ids}))
		UNION ALL SELECT post, 'fav' FROM channels_favourites WHERE member = {:v} AND post IN (SELECT value FROM json_each({:ids}))`).
		Bind(params).All(&rows)
	if err != nil {
		return fmt.Errorf("read likes: %w", err)
	}
	for _, r := range rows {
		if r.Kind == "like" {
			index[r.Post].Liked = true
		} else {
			index[r.Post].Favourited = true
		}
	}
	return nil
}

// friends are the members whose likes viewerID is shown: friends both
// ways, no block, not "chat only".
func (s *Service) friends(viewerID string) ([]string, error) {
	circle, err := s.circles.Of(s.app, viewerID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(circle))
	for id, tie := range circle {
		if !tie.ChatOnly {
			out = append(out, id)
		}
	}
	return out, nil
}

// addFriendLikes lists, for each post, the viewer's friends who like it,
// latest first ("♥ by Alice and 2 friends").
func (s *Service) addFriendLikes(viewerID string, index map[string]*Post, params dbx.Params) error {
	friends, err := s.friends(viewerID)
	if err != nil || len(friends) == 0 {
		return err
	}
	params["friends"] = jsonList(friends)
	var rows []struct {
		Post   string `db:"post"`
		Member string `db:"member"`
	}
	err = s.app.DB().NewQuery(`SELECT post, member FROM channels_likes WHERE post IN (SELECT value FROM json_each({:ids}))
		AND member IN (SELECT value FROM json_each({:friends})) ORDER BY at DESC, id DESC`).Bind(params).All(&rows)
	if err != nil {
		return fmt.Errorf("read friends' likes: %w", err)
	}
	for _, r := range rows {
		p := index[r.Post]
		p.FriendsLiked = append(p.FriendsLiked, r.Member)
	}
	return nil
}

// jsonList is ids as a JSON array, for json_each.
func jsonList(ids []string) string {
	b, err := json.Marshal(ids)
	if err != nil {
		panic(fmt.Sprintf("channels: marshal ids: %v", err)) // a []string always marshals
	}
	return string(b)
}

// cursor is where a page starts: after (key, id) in the feed's order,
// newest or highest first. Its text form is "key|id".
type cursor struct{ key, id string }

func parseCursor(c string, numeric bool) (cursor, error) {
	if c == "" {
		if numeric {
			return cursor{key: "1e300"}, nil
		}
		return cursor{key: "9999"}, nil
	}
	key, id, ok := strings.Cut(c, "|")
	if !ok || id == "" || len(id) > 15 {
		return cursor{}, problem.Invalid("after", "errors.bad_request", nil)
	}
	if numeric {
		if _, err := strconv.ParseFloat(key, 64); err != nil {
			return cursor{}, problem.Invalid("after", "errors.bad_request", nil)
		}
	} else if len(key) != len(types.DefaultDateLayout) {
		return cursor{}, problem.Invalid("after", "errors.bad_request", nil)
	}
	return cursor{key: key, id: id}, nil
}
