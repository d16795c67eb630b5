package moments

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Notification kinds.
const (
	NoteLike    = "like"    // someone liked my post
	NoteComment = "comment" // someone commented on my post
	NoteReply   = "reply"   // someone replied to my comment
	NoteRemind  = "remind"  // someone reminded me of their post
)

// Note is one notification as its recipient sees it now: only while the
// actor is still their friend (no block, not chat only) and the post is
// still one they may see.
type Note struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	Actor   string    `json:"actor"`
	Post    string    `json:"post"`
	Comment string    `json:"comment,omitempty"`
	Text    string    `json:"text,omitempty"` // the comment's text
	At      time.Time `json:"at"`
	Unread  bool      `json:"unread"`
}

// NoteFrame is the socket frame telling a member's tabs their Moments
// notifications changed: {"t": "moments", "count": unread}.
type NoteFrame struct {
	T     string `json:"t"`
	Count int    `json:"count"`
}

// PostFrame tells a member's tabs that a post they may be showing changed
// (a like, a comment, private) — they fetch it again — or is gone:
// {"t": "moments_post", "id", "gone"}.
type PostFrame struct {
	T    string `json:"t"`
	ID   string `json:"id"`
	Gone bool   `json:"gone,omitempty"`
}

// postChanged tells the tabs of the members named (the actor, the post's
// author) that the post changed.
func (s *Service) postChanged(postID string, gone bool, memberIDs ...string) {
	seen := map[string]bool{}
	var ids []string
	for _, id := range memberIDs {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	s.push(ids, PostFrame{T: "moments_post", ID: postID, Gone: gone})
}

func addNote(txApp core.App, memberID, actorID, postID, kind, commentID, at string) error {
	_, err := txApp.DB().NewQuery(`INSERT INTO moments_notifications (id, member, actor, post, kind, comment, at)
		VALUES ({:id}, {:m}, {:a}, {:p}, {:k}, {:c}, {:at})`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "m": memberID, "a": actorID, "p": postID, "k": kind, "c": commentID, "at": at}).Execute()
	if err != nil {
		return fmt.Errorf("insert notification: %w", err)
	}
	return nil
}

// visibleNotesSQL selects the notifications v may see: by an actor among
// v's people, about a post v may still see (their own, or a friend's by
// the friend rule). Parameters: v.params() and {:people}, {:friends}.
const visibleNotesSQL = `FROM moments_notifications n
	JOIN moments_posts p ON p.id = n.post AND p.taken_down = 0
	LEFT JOIN moments_settings s ON s.member = p.author
	LEFT JOIN moments_comments c ON c.id = n.comment
	WHERE n.member = {:v} AND n.actor IN (SELECT value FROM json_each({:people})) AND (n.comment = '' OR c.id IS NOT NULL)
	AND (p.author = {:v} OR (p.author IN (SELECT value FROM json_each({:friends})) AND ` + friendPostSQL + `))`

// noteParams are visibleNotesSQL's parameters for v.
func (v viewer) noteParams() dbx.Params {
	params := v.params()
	var friends []string
	for id, tie := range v.circle {
		if !tie.ChatOnly && !tie.HiddenFrom {
			friends = append(friends, id)
		}
	}
	if friends == nil {
		friends = []string{}
	}
	params["people"], params["friends"] = jsonList(v.people()), jsonList(friends)
	return params
}

// NotesPageMax is the most notifications one page lists.
const NotesPageMax = 50

// Notifications are memberID's newest notifications they may see now,
// at most NotesPageMax before the time before ("" for the newest).
func (s *Service) Notifications(memberID string, before string) ([]Note, error) {
	v, err := s.viewerOf(memberID)
	if err != nil {
		return nil, err
	}
	prefs, err := s.settingsOf(memberID)
	if err != nil {
		return nil, err
	}
	params := v.noteParams()
	params["before"], params["n"] = "9999", NotesPageMax
	if before != "" {
		params["before"] = before
	}
	var rows []struct {
		ID      string `db:"id"`
		Kind    string `db:"kind"`
		Actor   string `db:"actor"`
		Post    string `db:"post"`
		Comment string `db:"comment"`
		Text    string `db:"text"`
		At      string `db:"at"`
	}
	err = s.app.DB().NewQuery(`SELECT n.id, n.kind, n.actor, n.post, n.comment, COALESCE(c.text, '') AS text, n.at ` + visibleNotesSQL + `
		AND n.at < {:before} ORDER BY n.at DESC, n.id DESC LIMIT {:n}`).Bind(params).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("read notifications: %w", err)
	}
	out := make([]Note, 0, len(rows))
	for _, r := range rows {
		at, err := types.ParseDateTime(r.At)
		if err != nil {
			return nil, fmt.Errorf("notification time: %w", err)
		}
		out = append(out, Note{ID: r.ID, Kind: r.Kind, Actor: r.Actor, Post: r.Post, Comment: r.Comment, Text: r.Text,
			At: at.Time(), Unread: prefs.NotesRead.IsZero() || at.Time().After(prefs.NotesRead)})
	}
	return out, nil
}

// UnreadCount is how many notifications memberID has not looked at (the
// badge on Discover and on Moments' entry).
func (s *Service) UnreadCount(app core.App, memberID string) (int, error) {
	v, err := s.viewerOf(memberID)
	if err != nil {
		return 0, err
	}
	prefs, err := s.settingsOf(memberID)
	if err != nil {
		return 0, err
	}
	params := v.noteParams()
	params["read"] = ""
	if !prefs.NotesRead.IsZero() {
		params["read"] = prefs.NotesRead.UTC().Format(types.DefaultDateLayout)
	}
	var n int
	if err := app.DB().NewQuery(`SELECT COUNT(*) ` + visibleNotesSQL + ` AND n.at > {:read}`).Bind(params).Row(&n); err != nil {
		return 0, fmt.Errorf("count notifications: %w", err)
	}
	return n, nil
}

// MarkNotesRead records that memberID has looked at their notifications,
// and tells their other tabs.
func (s *Service) MarkNotesRead(memberID string) error {
	if err := s.setSetting(memberID, "notes_read", s.now().Format(types.DefaultDateLayout)); err != nil {
		return err
	}
	s.pushNotes([]string{memberID})
	return nil
}

// pushNotes tells each member's tabs their new unread count.
func (s *Service) pushNotes(memberIDs []string) {
	if s.live == nil {
		return
	}
	for _, id := range memberIDs {
		n, err := s.UnreadCount(s.app, id)
		if err != nil {
			s.app.Logger().Warn("moments: count notifications", "member", id, "error", err.Error())
			continue
		}
		s.push([]string{id}, NoteFrame{T: "moments", Count: n})
	}
}
