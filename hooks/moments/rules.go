package moments

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// The one rule of who sees what in Moments. Every read (feed, album, one
// post, likes, comments, notifications, badges, files) goes through a
// viewer made here and the SQL below, so every door shows the same thing.

// Visibility of a post.
const (
	VisibleAll     = "all"     // every friend
	VisiblePrivate = "private" // the author only
	VisibleInclude = "include" // only the chosen friends (and tags, expanded when posted)
	VisibleExclude = "exclude" // every friend but the chosen ones
)

// Ranges of "friends may see" (a member's setting for their own posts).
const (
	RangeAll      = "all"
	RangeHalfYear = "6m"
	RangeMonth    = "1m"
	RangeThreeDay = "3d"
)

// StrangerPosts is how many recent posts a stranger may see when the
// author allows it.
const StrangerPosts = 10

// viewer is the member looking and their friendships.
type viewer struct {
	id     string
	circle map[string]contacts.Tie
	now    time.Time
}

func (s *Service) viewerOf(memberID string) (viewer, error) {
	circle, err := s.circles.Of(s.app, memberID)
	if err != nil {
		return viewer{}, err
	}
	return viewer{id: memberID, circle: circle, now: s.now()}, nil
}

// access is what a viewer may see of one author's posts.
type access int

const (
	accessNone     access = iota
	accessSelf            // their own: everything not taken down
	accessFriend          // a friend: what visibility and range let in
	accessStranger        // not a friend, no block: ten posts if the author allows
)

// accessTo decides how v may look at ownerID's posts. A friend behind
// "chat only" (either side) or the owner's "don't let them see my
// Moments" sees nothing; so does anyone on either side of a block.
func (s *Service) accessTo(v viewer, ownerID string) (access, error) {
	if ownerID == v.id {
		return accessSelf, nil
	}
	if tie, ok := v.circle[ownerID]; ok {
		if tie.ChatOnly || tie.HiddenFrom {
			return accessNone, nil
		}
		return accessFriend, nil
	}
	blocked, err := contacts.Cut(s.app, v.id, ownerID)
	if err != nil || blocked {
		return accessNone, err
	}
	return accessStranger, nil
}

// feedAuthors are whose posts v's feed draws from: v and every friend not
// behind chat only, "don't let them see", or v's "hide their Moments".
func (v viewer) feedAuthors() []string {
	out := []string{v.id}
	for id, tie := range v.circle {
		if !tie.ChatOnly && !tie.HiddenFrom && !tie.HideTheirs {
			out = append(out, id)
		}
	}
	return out
}

// people are whose likes and comments v sees: v and v's friends (a
// friend behind "chat only" has no Moments with v either way).
func (v viewer) people() []string {
	out := []string{v.id}
	for id, tie := range v.circle {
		if !tie.ChatOnly {
			out = append(out, id)
		}
	}
	return out
}

// friendPostSQL lets a friend (not the author) see a post: not private,
// in its fixed audience, and within the author's range (s is the author's
// moments_settings row, LEFT JOINed). Its parameters are v and the three
// cut-off times (cutoffs).
const friendPostSQL = `p.visibility != 'private'
	AND (p.visibility = 'all'
		OR (p.visibility = 'include' AND EXISTS (SELECT 1 FROM moments_audience a WHERE a.post = p.id AND a.member = {:v}))
		OR (p.visibility = 'exclude' AND NOT EXISTS (SELECT 1 FROM moments_audience a WHERE a.post = p.id AND a.member = {:v})))
	AND p.posted >= CASE COALESCE(s.range, '') WHEN '6m' THEN {:cut6m} WHEN '1m' THEN {:cut1m} WHEN '3d' THEN {:cut3d} ELSE '' END`

// strangerPostSQL lets a stranger see a post: the author allows strangers
// ten posts and it is among their ten latest posts to all friends within
// their range.
var strangerPostSQL = `s.strangers_ten = 1 AND p.id IN (SELECT q.id FROM moments_posts q
	WHERE q.author = p.author AND q.visibility = 'all' AND q.taken_down = 0
	AND q.posted >= CASE COALESCE(s.range, '') WHEN '6m' THEN {:cut6m} WHEN '1m' THEN {:cut1m} WHEN '3d' THEN {:cut3d} ELSE '' END
	ORDER BY q.posted DESC, q.id DESC LIMIT ` + strconv.Itoa(StrangerPosts) + `)`

// postSQL is the rule for one post p by an author v has access a to (the
// SELECT around it LEFT JOINs moments_settings s ON s.member = p.author).
func postSQL(a access) string {
	switch a {
	case accessSelf:
		return "p.taken_down = 0"
	case accessFriend:
		return "p.taken_down = 0 AND " + friendPostSQL
	case accessStranger:
		return "p.taken_down = 0 AND " + strangerPostSQL
	}
	return "0"
}

// params are the rule's parameters for v.
func (v viewer) params() dbx.Params {
	return dbx.Params{
		"v":     v.id,
		"cut6m": v.now.AddDate(0, -6, 0).Format(types.DefaultDateLayout),
		"cut1m": v.now.AddDate(0, -1, 0).Format(types.DefaultDateLayout),
		"cut3d": v.now.AddDate(0, 0, -3).Format(types.DefaultDateLayout),
	}
}

// jsonList is ids as a JSON array, for json_each.
func jsonList(ids []string) string {
	b, err := json.Marshal(ids)
	if err != nil {
		panic(fmt.Sprintf("moments: marshal ids: %v", err)) // a []string always marshals
	}
	return string(b)
}

// notFound is Moments' one answer for a post or comment one may not see:
// the same as for one that does not exist.
func notFound() *problem.Problem { return problem.New(http.StatusNotFound, "moments.not_found") }
