package moments

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// Post is one post as a viewer sees it: only the likes and comments of
// the viewer and the viewer's friends.
type Post struct {
	ID         string      `json:"id"`
	Author     string      `json:"author"`
	Text       string      `json:"text"`
	Location   string      `json:"location"`
	Visibility string      `json:"visibility"` // told to the author only ("" for others)
	Reminds    []string    `json:"reminds"`    // members reminded whom the viewer may see
	MediaKind  string      `json:"media_kind"` // "photo", "video" or ""
	Media      []Media     `json:"media"`
	Posted     time.Time   `json:"posted"`
	Likes      []string    `json:"likes"` // members, oldest first
	Liked      bool        `json:"liked"` // the viewer likes it
	Comments   []Comment   `json:"comments"`
	Share      *SharedCard `json:"share"` // a shared card (a Channels post), or null
}

// Media is one photo or video of a post.
type Media struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	DurationMs int    `json:"duration_ms,omitempty"`
	HasPoster  bool   `json:"-"`
}

// Comment is one comment or reply ("B replied to C": ReplyTo is C).
type Comment struct {
	ID      string    `json:"id"`
	Author  string    `json:"author"`
	ReplyTo string    `json:"reply_to,omitempty"`
	Text    string    `json:"text"`
	At      time.Time `json:"at"`
}

// Page is a page of posts, newest first; Next is the cursor of the next
// page ("" at the end).
type Page struct {
	Posts []Post `json:"items"`
	Next  string `json:"next"`
}

// Limits of a page.
const (
	PageDefault = 10
	PageMax     = 50
)

type postRow struct {
	ID         string `db:"id"`
	Author     string `db:"author"`
	Text       string `db:"text"`
	Location   string `db:"location"`
	Visibility string `db:"visibility"`
	Reminds    string `db:"reminds"`
	MediaKind  string `db:"media_kind"`
	Posted     string `db:"posted"`
	Share      string `db:"share"`
}

const postColumns = `p.id, p.author, p.text, p.location, p.visibility, COALESCE(p.reminds, '[]') AS reminds, p.media_kind, p.posted,
	COALESCE(p.share, 'null') AS share`

// cursor is where a page starts: after (posted, id), newest first.
type cursor struct{ posted, id string }

func parseCursor(c string) (cursor, error) {
	if c == "" {
		return cursor{posted: "9999", id: ""}, nil
	}
	posted, id, ok := strings.Cut(c, "|")
	if !ok || len(posted) != len(types.DefaultDateLayout) || id == "" {
		return cursor{}, errBadCursor()
	}
	return cursor{posted, id}, nil
}

// errBadCursor refuses a page cursor this package did not make.
func errBadCursor() error { return problem.Invalid("after", "errors.bad_request", nil) }

// beforeSQL keeps posts strictly after the cursor in (posted DESC, id DESC).
const beforeSQL = `(p.posted, p.id) < ({:bp}, {:bid})`

func pageLimit(n int) int {
	if n <= 0 {
		return PageDefault
	}
	return min(n, PageMax)
}

// Feed is the viewer's feed: their own posts and those of friends they
// may see and have not hidden, newest first.
func (s *Service) Feed(viewerID, after string, limit int) (Page, error) {
	v, err := s.viewerOf(viewerID)
	if err != nil {
		return Page{}, err
	}
	c, err := parseCursor(after)
	if err != nil {
		return Page{}, err
	}
	n := pageLimit(limit)
	params := v.params()
	authors := v.feedAuthors()
	params["authors"], params["bp"], params["bid"], params["n"] = jsonList(authors), c.posted, c.id, n+1
	if len(authors) <= s.feedFew {
		return s.page(v, feedFewSQL, params, n)
	}
	return s.page(v, feedSQL, params, n)
}

// feedFewAuthors is where a feed stops walking the whole community's
// posts by time and reads its authors' posts instead (Service.feedFew).
const feedFewAuthors = 30

// feedSQL is a feed page for a viewer with many friends: SQLite walks
// every post newest first, checking each post's author against the set,
// and stops after n+1 matches. Left to itself, the planner may read every
// author's posts by author and sort them all once it has statistics
// (TestFeedQueriesUseTheIndex), which at 500 friends is 100,000 rows.
const feedSQL = `SELECT ` + postColumns + ` FROM moments_posts p INDEXED BY idx_moments_posts_posted
	LEFT JOIN moments_settings s ON s.member = p.author
	WHERE p.author IN (SELECT value FROM json_each({:authors})) AND ` + beforeSQL + `
	AND p.taken_down = 0 AND (p.author = {:v} OR (` + friendPostSQL + `))
	ORDER BY p.posted DESC, p.id DESC LIMIT {:n}`

// feedFewSQL is the same page for a viewer with few friends: each
// author's posts newest first, merged (a walk by time could cross the
// whole community's posts before finding ten of theirs).
const feedFewSQL = `SELECT ` + postColumns + ` FROM moments_posts p INDEXED BY idx_moments_posts_author_posted
	LEFT JOIN moments_settings s ON s.member = p.author
	WHERE p.author IN (SELECT value FROM json_each({:authors})) AND ` + beforeSQL + `
	AND p.taken_down = 0 AND (p.author = {:v} OR (` + friendPostSQL + `))
	ORDER BY p.posted DESC, p.id DESC LIMIT {:n}`

// albumSQL is an album page for a viewer with access a.
func albumSQL(a access) string {
	return `SELECT ` + postColumns + ` FROM moments_posts p LEFT JOIN moments_settings s ON s.member = p.author
		WHERE p.author = {:o} AND ` + beforeSQL + ` AND ` + postSQL(a) + `
		ORDER BY p.posted DESC, p.id DESC LIMIT {:n}`
}

// Album is ownerID's posts as the viewer may see them. Limited says the
// viewer sees only recent posts (the owner's range, or ten for a
// stranger), for WeChat's "only showing recent posts" line.
type Album struct {
	Page
	Owner   string `json:"owner"`
	Limited bool   `json:"limited"`
	Range   string `json:"range"` // the owner's "friends may see" setting, told to friends as the line's reason
}

// AlbumOf is ownerID's album as viewerID sees it: empty (not an error)
// for someone who may see nothing, so an album never tells why.
func (s *Service) AlbumOf(viewerID, ownerID, after string, limit int) (Album, error) {
	v, err := s.viewerOf(viewerID)
	if err != nil {
		return Album{}, err
	}
	a, err := s.accessTo(v, ownerID)
	if err != nil {
		return Album{}, err
	}
	c, err := parseCursor(after)
	if err != nil {
		return Album{}, err
	}
	album := Album{Owner: ownerID, Page: Page{Posts: []Post{}}}
	if a == accessNone {
		return album, nil
	}
	prefs, err := s.settingsOf(ownerID)
	if err != nil {
		return Album{}, err
	}
	switch a {
	case accessFriend:
		album.Range, album.Limited = prefs.Range, prefs.Range != RangeAll
	case accessStranger:
		album.Limited = true
	}
	n := pageLimit(limit)
	params := v.params()
	params["o"], params["bp"], params["bid"], params["n"] = ownerID, c.posted, c.id, n+1
	album.Page, err = s.page(v, albumSQL(a), params, n)
	return album, err
}

// PostFor is one post as viewerID sees it; a post they may not see is
// moments.not_found, exactly like one that does not exist.
func (s *Service) PostFor(viewerID, postID string) (Post, error) {
	v, err := s.viewerOf(viewerID)
	if err != nil {
		return Post{}, err
	}
	row, err := s.visiblePost(v, postID)
	if err != nil {
		return Post{}, err
	}
	posts, err := s.complete(v, []postRow{row})
	if err != nil {
		return Post{}, err
	}
	return posts[0], nil
}

// visiblePost loads one post if v may see it.
func (s *Service) visiblePost(v viewer, postID string) (postRow, error) {
	var author string
	err := s.app.DB().NewQuery(`SELECT author FROM moments_posts WHERE id = {:id}`).Bind(dbx.Params{"id": postID}).Row(&author)
	if errors.Is(err, sql.ErrNoRows) {
		return postRow{}, notFound()
	}
	if err != nil {
		return postRow{}, fmt.Errorf("load post: %w", err)
	}
	a, err := s.accessTo(v, author)
	if err != nil {
		return postRow{}, err
	}
	params := v.params()
	params["id"] = postID
	var row postRow
	err = s.app.DB().NewQuery(`SELECT ` + postColumns + ` FROM moments_posts p LEFT JOIN moments_settings s ON s.member = p.author
		WHERE p.id = {:id} AND ` + postSQL(a)).Bind(params).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return postRow{}, notFound()
	}
	if err != nil {
		return postRow{}, fmt.Errorf("load post: %w", err)
	}
	return row, nil
}

// CanSee reports whether viewerID may see postID (the file route asks).
func (s *Service) CanSee(viewerID, postID string) (bool, error) {
	v, err := s.viewerOf(viewerID)
	if err != nil {
		return false, err
	}
	_, err = s.visiblePost(v, postID)
	if err == nil {
		return true, nil
	}
	if p, ok := problem.As(err); ok && p.Key == "moments.not_found" {
		return false, nil
	}
	return false, err
}

// page runs a page query (asking n+1 rows) and completes the posts.
func (s *Service) page(v viewer, q string, params dbx.Params, n int) (Page, error) {
	var rows []postRow
	if err := s.app.DB().NewQuery(q).Bind(params).All(&rows); err != nil {
		return Page{}, fmt.Errorf("read posts: %w", err)
	}
	out := Page{Posts: []Post{}}
	if len(rows) > n {
		last := rows[n-1]
		out.Next = last.Posted + "|" + last.ID
		rows = rows[:n]
	}
	posts, err := s.complete(v, rows)
	if err != nil {
		return Page{}, err
	}
	out.Posts = posts
	return out, nil
}
