package channels

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"

	"plaza/hooks/problem"
)

// followFewChannels is where the Following feed stops reading each
// followed channel's posts (and merging them) and walks every post newest
// first instead, checking the channel (Service.followFew).
const followFewChannels = 50

// page runs a page query (asking n+1 rows) and completes the posts; key
// gives a row's cursor key.
func (s *Service) page(viewerID, q string, params dbx.Params, n int, key func(postRow) string) (Page, error) {
	var rows []postRow
	if err := s.app.DB().NewQuery(q).Bind(params).All(&rows); err != nil {
		return Page{}, fmt.Errorf("read posts: %w", err)
	}
	out := Page{Posts: []Post{}}
	if len(rows) > n {
		last := rows[n-1]
		out.Next = key(last) + "|" + last.ID
		rows = rows[:n]
	}
	posts, err := s.complete(viewerID, rows)
	if err != nil {
		return Page{}, err
	}
	out.Posts = posts
	return out, nil
}

func byPosted(r postRow) string { return r.Posted }

func timeParams(c cursor, n int) dbx.Params { return dbx.Params{"bk": c.key, "bid": c.id, "n": n + 1} }

// ChannelPosts is a channel's posts, newest first (public).
func (s *Service) ChannelPosts(viewerID, handle, after string, limit int) (Page, error) {
	ch, err := s.ByHandle("", handle)
	if err != nil {
		return Page{}, err
	}
	c, err := parseCursor(after, false)
	if err != nil {
		return Page{}, err
	}
	n := pageLimit(limit)
	params := timeParams(c, n)
	params["ch"] = ch.ID
	q := `SELECT ` + postColumns + `, '' AS at FROM channels_posts p INDEXED BY idx_channels_posts_channel_posted JOIN channels c ON c.id = p.channel
		WHERE p.channel = {:ch} AND p.taken_down = 0 AND (p.posted, p.id) < ({:bk}, {:bid})
		ORDER BY p.posted DESC, p.id DESC LIMIT {:n}`
	return s.page(viewerID, q, params, n, byPosted)
}

// Following is the posts of the channels memberID follows, newest first.
func (s *Service) Following(memberID, after string, limit int) (Page, error) {
	c, err := parseCursor(after, false)
	if err != nil {
		return Page{}, err
	}
	var follows int
	if err := s.app.DB().NewQuery(`SELECT count(*) FROM channels_follows WHERE member = {:m}`).Bind(dbx.Params{"m": memberID}).Row(&follows); err != nil {
		return Page{}, fmt.Errorf("count follows: %w", err)
	}
	n := pageLimit(limit)
	params := timeParams(c, n)
	params["m"] = memberID
	q := followingManySQL
	if follows <= s.followFew {
		q = followingFewSQL
	}
	return s.page(memberID, q, params, n, byPosted)
}

// followingManySQL is the Following page of a member who follows many
// channels: every post newest first, each checked against their follows
// by one probe of idx_channels_follows_member_channel, stopping at n+1.
// (An IN list of the follows was built anew for every page: 1,000 rows.)
const followingManySQL = `SELECT ` + postColumns + `, '' AS at FROM channels_posts p INDEXED BY idx_channels_posts_posted
	JOIN channels c ON c.id = p.channel
	WHERE EXISTS (SELECT 1 FROM channels_follows f WHERE f.member = {:m} AND f.channel = p.channel)
	AND p.taken_down = 0 AND (p.posted, p.id) < ({:bk}, {:bid})
	ORDER BY p.posted DESC, p.id DESC LIMIT {:n}`

// followingFewSQL is the same page for a member who follows few: each
// followed channel's posts newest first, and of each only those not older
// than its own (n+1)-th newest (the scalar subquery, one short walk of
// idx_channels_posts_channel_posted a channel), so a channel with
// thousands of posts adds n+1 rows to sort, not thousands.
const followingFewSQL = `SELECT ` + postColumns + `, '' AS at FROM channels_follows f
	JOIN channels_posts p INDEXED BY idx_channels_posts_channel_posted ON p.channel = f.channel
	JOIN channels c ON c.id = p.channel
	WHERE f.member = {:m} AND p.taken_down = 0 AND (p.posted, p.id) < ({:bk}, {:bid})
	AND p.posted >= coalesce((SELECT q.posted FROM channels_posts q INDEXED BY idx_channels_posts_channel_posted
		WHERE q.channel = f.channel AND q.taken_down = 0 AND (q.posted, q.id) < ({:bk}, {:bid})
		ORDER BY q.posted DESC, q.id DESC LIMIT 1 OFFSET {:n} - 1), '')
	ORDER BY p.posted DESC, p.id DESC LIMIT {:n}`

// Friends is the posts memberID's friends like, the latest liked first,
// each with the friends who like it ("♥ by Alice and 2 friends").
func (s *Service) Friends(memberID, after string, limit int) (Page, error) {
	c, err := parseCursor(after, false)
	if err != nil {
		return Page{}, err
	}
	friends, err := s.friends(memberID)
	if err != nil {
		return Page{}, err
	}
	n := pageLimit(limit)
	params := timeParams(c, n)
	params["friends"] = jsonList(friends)
	q := `SELECT ` + postColumns + `, l.at AS at FROM (SELECT post, max(at) AS at FROM channels_likes
			WHERE member IN (SELECT value FROM json_each({:friends})) GROUP BY post) l
		JOIN channels_posts p ON p.id = l.post JOIN channels c ON c.id = p.channel
		WHERE p.taken_down = 0 AND (l.at, p.id) < ({:bk}, {:bid})
		ORDER BY l.at DESC, p.id DESC LIMIT {:n}`
	return s.page(memberID, q, params, n, func(r postRow) string { return r.At })
}

// Popular is every channel's posts by their Popular score (Hot), highest
// first.
func (s *Service) Popular(viewerID, after string, limit int) (Page, error) {
	c, err := parseCursor(after, true)
	if err != nil {
		return Page{}, err
	}
	bk, _ := strconv.ParseFloat(c.key, 64) // parseCursor checked it
	n := pageLimit(limit)
	params := dbx.Params{"bk": bk, "bid": c.id, "n": n + 1}
	q := `SELECT ` + postColumns + `, '' AS at FROM channels_posts p INDEXED BY idx_channels_posts_hot JOIN channels c ON c.id = p.channel
		WHERE p.taken_down = 0 AND (p.hot, p.id) < ({:bk}, {:bid})
		ORDER BY p.hot DESC, p.id DESC LIMIT {:n}`
	return s.page(viewerID, q, params, n, func(r postRow) string { return strconv.FormatFloat(r.Hot, 'g', -1, 64) })
}

// Tagged is the posts carrying #tag, newest first (public).
func (s *Service) Tagged(viewerID, tag, after string, limit int) (Page, error) {
	c, err := parseCursor(after, false)
	if err != nil {
		return Page{}, err
	}
	n := pageLimit(limit)
	params := timeParams(c, n)
	params["tag"] = strings.ToLower(strings.TrimPrefix(tag, "#"))
	q := `SELECT ` + postColumns + `, '' AS at FROM channels_tags t JOIN channels_posts p ON p.id = t.post JOIN channels c ON c.id = p.channel
		WHERE t.tag = {:tag} AND p.taken_down = 0 AND (t.posted, t.post) < ({:bk}, {:bid})
		ORDER BY t.posted DESC, t.post DESC LIMIT {:n}`
	return s.page(viewerID, q, params, n, byPosted)
}

// Favourites is the posts memberID saved, the latest saved first.
func (s *Service) Favourites(memberID, after string, limit int) (Page, error) {
	c, err := parseCursor(after, false)
	if err != nil {
		return Page{}, err
	}
	n := pageLimit(limit)
	params := timeParams(c, n)
	params["m"] = memberID
	q := `SELECT ` + postColumns + `, f.at AS at FROM channels_favourites f JOIN channels_posts p ON p.id = f.post JOIN channels c ON c.id = p.channel
		WHERE f.member = {:m} AND p.taken_down = 0 AND (f.at, p.id) < ({:bk}, {:bid})
		ORDER BY f.at DESC, p.id DESC LIMIT {:n}`
	return s.page(memberID, q, params, n, func(r postRow) string { return r.At })
}

// SearchMax is the longest search, in characters.
const SearchMax = 64

// SearchResult is what a search finds: channels by name or handle, and
// posts by caption.
type SearchResult struct {
	Channels []Channel `json:"channels"`
	Posts    []Post    `json:"posts"`
}

// Search finds channels and posts matching q (at least one character;
// a plain substring match, so two-character Chinese words work).
func (s *Service) Search(viewerID, q string) (SearchResult, error) {
	q = strings.TrimSpace(q)
	out := SearchResult{Channels: []Channel{}, Posts: []Post{}}
	switch {
	case utf8.RuneCountInString(q) > SearchMax:
		return out, problem.Invalid("q", "profile.too_long", map[string]any{"max": SearchMax})
	case q == "":
		return out, nil
	}
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
	var chans []channelRow
	err := s.app.DB().NewQuery(`SELECT ` + channelColumns + ` FROM channels c
		WHERE lower(c.name) LIKE {:q} ESCAPE '\' OR c.handle LIKE {:q} ESCAPE '\' ORDER BY c.followers DESC LIMIT 20`).
		Bind(dbx.Params{"q": like}).All(&chans)
	if err != nil {
		return out, fmt.Errorf("search channels: %w", err)
	}
	for _, r := range chans {
		out.Channels = append(out.Channels, r.channel())
	}
	var rows []postRow
	err = s.app.DB().NewQuery(`SELECT ` + postColumns + `, '' AS at FROM channels_posts p JOIN channels c ON c.id = p.channel
		WHERE p.taken_down = 0 AND lower(p.caption) LIKE {:q} ESCAPE '\' ORDER BY p.hot DESC LIMIT 20`).
		Bind(dbx.Params{"q": like}).All(&rows)
	if err != nil {
		return out, fmt.Errorf("search posts: %w", err)
	}
	out.Posts, err = s.complete(viewerID, rows)
	return out, err
}
