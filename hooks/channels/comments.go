package channels

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// CommentMax is the longest comment, in characters.
const CommentMax = 500

// Comment is a top-level comment with its replies (one level: a reply to
// a reply belongs to the same top-level comment and names whom it
// answers).
type Comment struct {
	ID      string    `json:"id"`
	Author  string    `json:"author"`
	ReplyTo string    `json:"reply_to"` // the member answered, "" for none
	Text    string    `json:"text"`
	Pinned  bool      `json:"pinned"`
	At      time.Time `json:"at"`
	Replies []Comment `json:"replies,omitempty"`
}

// CommentPage is a page of a post's top-level comments (pinned first,
// then oldest first) with all their replies.
type CommentPage struct {
	Comments []Comment `json:"comments"`
	Next     string    `json:"next"`
}

type commentRow struct {
	ID      string `db:"id"`
	Author  string `db:"author"`
	Parent  string `db:"parent"`
	ReplyTo string `db:"reply_to"`
	Text    string `db:"text"`
	Pinned  bool   `db:"pinned"`
	At      string `db:"at"`
}

func (r commentRow) comment() (Comment, error) {
	t, err := types.ParseDateTime(r.At)
	if err != nil {
		return Comment{}, fmt.Errorf("comment %s time: %w", r.ID, err)
	}
	return Comment{ID: r.ID, Author: r.Author, ReplyTo: r.ReplyTo, Text: r.Text, Pinned: r.Pinned, At: t.Time()}, nil
}

// Comments is a page of a post's comments (public, like the post).
func (s *Service) Comments(postID, after string, limit int) (CommentPage, error) {
	if err := s.visible(postID); err != nil {
		return CommentPage{}, err
	}
	c, err := parseCursor(after, false)
	if err != nil {
		return CommentPage{}, err
	}
	n := pageLimit(limit)
	top, err := s.topComments(postID, c, after == "", n+1)
	if err != nil {
		return CommentPage{}, err
	}
	out := CommentPage{Comments: []Comment{}}
	if len(top) > n {
		last := top[n-1]
		out.Next = last.At + "|" + last.ID
		if last.Pinned { // the page held only pinned ones: the rest start at the oldest
			out.Next = beforeAll + "|" + last.ID
		}
		top = top[:n]
	}
	ids := make([]string, len(top))
	index := map[string]int{}
	for i, r := range top {
		cm, err := r.comment()
		if err != nil {
			return CommentPage{}, err
		}
		out.Comments = append(out.Comments, cm)
		ids[i], index[r.ID] = r.ID, i
	}
	if len(ids) == 0 {
		return out, nil
	}
	var replies []commentRow
	err = s.app.DB().NewQuery(`SELECT id, author, parent, reply_to, text, pinned, at FROM channels_comments
		WHERE parent IN (SELECT value FROM json_each({:ids})) ORDER BY at, id`).Bind(dbx.Params{"ids": jsonList(ids)}).All(&replies)
	if err != nil {
		return CommentPage{}, fmt.Errorf("read replies: %w", err)
	}
	for _, r := range replies {
		cm, err := r.comment()
		if err != nil {
			return CommentPage{}, err
		}
		i := index[r.Parent]
		out.Comments[i].Replies = append(out.Comments[i].Replies, cm)
	}
	return out, nil
}

// topComments are up to n top-level comments of a post: on the first
// page the pinned ones first (idx_channels_comments_pinned holds only
// those), then the others oldest first after c, read in the order of
// idx_channels_comments_post_at so SQLite stops at n however long the
// thread (docs/PERFORMANCE.md, "Channels").
func (s *Service) topComments(postID string, c cursor, first bool, n int) ([]commentRow, error) {
	var top []commentRow
	if first {
		err := s.app.DB().NewQuery(`SELECT id, author, parent, reply_to, text, pinned, at FROM channels_comments
			INDEXED BY idx_channels_comments_pinned WHERE post = {:p} AND pinned = 1 AND parent = '' ORDER BY at, id LIMIT {:n}`).
			Bind(dbx.Params{"p": postID, "n": n}).All(&top)
		if err != nil {
			return nil, fmt.Errorf("read pinned comments: %w", err)
		}
		c = cursor{}
	}
	if len(top) >= n {
		return top, nil
	}
	var rest []commentRow
	err := s.app.DB().NewQuery(`SELECT id, author, parent, reply_to, text, pinned, at FROM channels_comments
		INDEXED BY idx_channels_comments_post_at WHERE post = {:p} AND parent = '' AND pinned = 0 AND (at, id) > ({:bk}, {:bid})
		ORDER BY at, id LIMIT {:n}`).
		Bind(dbx.Params{"p": postID, "bk": c.key, "bid": c.id, "n": n - len(top)}).All(&rest)
	if err != nil {
		return nil, fmt.Errorf("read comments: %w", err)
	}
	return append(top, rest...), nil
}

// visible is nil for a post anyone may see (it exists and was not taken
// down), else channels.not_found: loadPost's answer without reading the
// post.
func (s *Service) visible(postID string) error {
	var n int
	if err := s.app.DB().NewQuery(`SELECT count(*) FROM channels_posts WHERE id = {:p} AND taken_down = 0`).
		Bind(dbx.Params{"p": postID}).Row(&n); err != nil {
		return fmt.Errorf("find post: %w", err)
	}
	if n == 0 {
		return notFound()
	}
	return nil
}

// beforeAll is a comment cursor's time before every comment's: the next
// page after a first page of pinned comments only.
const beforeAll = "0000-00-00 00:00:00.000Z"

// CommentInput is a new comment, or a reply to one (ReplyTo: a comment id).
type CommentInput struct {
	Text    string
	ReplyTo string
}

// AddComment adds memberID's comment or reply to a post.
func (s *Service) AddComment(memberID, postID string, in CommentInput) (Comment, error) {
	text := strings.TrimSpace(in.Text)
	switch {
	case text == "":
		return Comment{}, problem.Invalid("text", "validation_required", nil)
	case utf8.RuneCountInString(text) > CommentMax:
		return Comment{}, problem.Invalid("text", "profile.too_long", map[string]any{"max": CommentMax})
	case problem.HasNUL(text):
		return Comment{}, problem.Invalid("text", "errors.nul_byte", nil)
	}
	post, err := s.loadPost(postID, false)
	if err != nil {
		return Comment{}, err
	}
	row := commentRow{ID: core.GenerateDefaultRandomId(), Author: memberID, Text: text, At: s.now().Format(types.DefaultDateLayout)}
	err = s.app.RunInTransaction(func(tx core.App) error {
		if err := notCut(tx, memberID, post.Owner); err != nil {
			return err
		}
		if in.ReplyTo != "" {
			var to commentRow
			err := tx.DB().NewQuery(`SELECT id, author, parent FROM channels_comments WHERE id = {:c} AND post = {:p}`).
				Bind(dbx.Params{"c": in.ReplyTo, "p": postID}).One(&to)
			if errors.Is(err, sql.ErrNoRows) {
				return problem.Invalid("reply_to", "channels.not_found", nil)
			}
			if err != nil {
				return fmt.Errorf("load comment: %w", err)
			}
			if err := notCut(tx, memberID, to.Author); err != nil {
				return err
			}
			row.Parent, row.ReplyTo = to.ID, to.Author
			if to.Parent != "" { // one level: a reply to a reply joins its thread
				row.Parent = to.Parent
			}
		}
		_, err := tx.DB().NewQuery(`INSERT INTO channels_comments (id, post, author, parent, reply_to, text, pinned, at)
			VALUES ({:id}, {:p}, {:a}, {:parent}, {:r}, {:t}, 0, {:at})`).
			Bind(dbx.Params{"id": row.ID, "p": postID, "a": memberID, "parent": row.Parent, "r": row.ReplyTo, "t": text, "at": row.At}).Execute()
		if err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		if _, err := tx.DB().NewQuery(`UPDATE channels_posts SET comments = comments + 1 WHERE id = {:p}`).Bind(dbx.Params{"p": postID}).Execute(); err != nil {
			return fmt.Errorf("count comment: %w", err)
		}
		return rescore(tx, postID)
	})
	if err != nil {
		return Comment{}, err
	}
	s.postChanged(postID, memberID)
	return row.comment()
}

// commentOf loads a comment with its post's owner.
func (s *Service) commentOf(commentID string) (commentRow, postRow, error) {
	var c struct {
		commentRow
		Post string `db:"post"`
	}
	err := s.app.DB().NewQuery(`SELECT id, author, parent, reply_to, text, pinned, at, post FROM channels_comments WHERE id = {:c}`).
		Bind(dbx.Params{"c": commentID}).One(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return commentRow{}, postRow{}, notFound()
	}
	if err != nil {
		return commentRow{}, postRow{}, fmt.Errorf("load comment: %w", err)
	}
	p, err := s.loadPost(c.Post, false)
	return c.commentRow, p, err
}

// DeleteComment removes a comment (with its replies): its author's own,
// or any comment on the creator's post.
func (s *Service) DeleteComment(memberID, commentID string) error {
	c, p, err := s.commentOf(commentID)
	if err != nil {
		return err
	}
	if c.Author != memberID && p.Owner != memberID {
		return notFound()
	}
	defer s.postChanged(p.ID, memberID)
	return s.app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().NewQuery(`DELETE FROM channels_comments WHERE id = {:c} OR parent = {:c}`).Bind(dbx.Params{"c": commentID}).Execute()
		if err != nil {
			return fmt.Errorf("delete comment: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("count deleted: %w", err)
		}
		if _, err := tx.DB().NewQuery(`UPDATE channels_posts SET comments = max(comments - {:n}, 0) WHERE id = {:p}`).
			Bind(dbx.Params{"n": n, "p": p.ID}).Execute(); err != nil {
			return fmt.Errorf("count comments: %w", err)
		}
		return rescore(tx, p.ID)
	})
}

// PinComment pins (or unpins) a top-level comment on the creator's post;
// pinning one unpins the others.
func (s *Service) PinComment(memberID, commentID string, pin bool) error {
	c, p, err := s.commentOf(commentID)
	if err != nil {
		return err
	}
	if p.Owner != memberID {
		return notFound()
	}
	if c.Parent != "" {
		return problem.New(http.StatusBadRequest, "channels.pin_reply")
	}
	defer s.postChanged(p.ID, memberID)
	return s.app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().NewQuery(`UPDATE channels_comments SET pinned = 0 WHERE post = {:p} AND pinned = 1`).
			Bind(dbx.Params{"p": p.ID}).Execute(); err != nil {
			return fmt.Errorf("unpin: %w", err)
		}
		if !pin {
			return nil
		}
		_, err := tx.DB().NewQuery(`UPDATE channels_comments SET pinned = 1 WHERE id = {:c}`).Bind(dbx.Params{"c": commentID}).Execute()
		if err != nil {
			return fmt.Errorf("pin: %w", err)
		}
		return nil
	})
}
