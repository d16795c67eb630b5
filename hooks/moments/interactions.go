package moments

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/problem"
)

// CommentMax is the longest comment, in characters.
const CommentMax = 500

// Like makes memberID like a post they can see (again: nothing new) and
// tells its author.
func (s *Service) Like(memberID, postID string) error {
	v, err := s.viewerOf(memberID)
	if err != nil {
		return err
	}
	post, err := s.visiblePost(v, postID)
	if err != nil {
		return err
	}
	at := s.now().Format(types.DefaultDateLayout)
	added := false
	err = s.app.RunInTransaction(func(txApp core.App) error {
		res, err := txApp.DB().NewQuery(`INSERT INTO moments_likes (id, post, member, created) VALUES ({:id}, {:p}, {:m}, {:at})
			ON CONFLICT (post, member) DO NOTHING`).
			Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "p": postID, "m": memberID, "at": at}).Execute()
		if err != nil {
			return fmt.Errorf("insert like: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("count like: %w", err)
		}
		if n == 0 { // liked already
			return nil
		}
		added = true
		if post.Author == memberID {
			return nil
		}
		return addNote(txApp, post.Author, memberID, postID, NoteLike, "", at)
	})
	if err != nil {
		return err
	}
	if added && post.Author != memberID {
		s.pushNotes([]string{post.Author})
	}
	s.postChanged(postID, false, memberID, post.Author)
	return nil
}

// Unlike takes memberID's like back (and its notification).
func (s *Service) Unlike(memberID, postID string) error {
	v, err := s.viewerOf(memberID)
	if err != nil {
		return err
	}
	post, err := s.visiblePost(v, postID)
	if err != nil {
		return err
	}
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := txApp.DB().NewQuery(`DELETE FROM moments_likes WHERE post = {:p} AND member = {:m}`).
			Bind(dbx.Params{"p": postID, "m": memberID}).Execute(); err != nil {
			return fmt.Errorf("delete like: %w", err)
		}
		_, err := txApp.DB().NewQuery(`DELETE FROM moments_notifications WHERE post = {:p} AND actor = {:m} AND kind = 'like'`).
			Bind(dbx.Params{"p": postID, "m": memberID}).Execute()
		if err != nil {
			return fmt.Errorf("delete like notification: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.pushNotes([]string{post.Author})
	s.postChanged(postID, false, memberID, post.Author)
	return nil
}

// CommentInput is a comment, or a reply to one (ReplyTo: the comment
// answered).
type CommentInput struct {
	Text    string
	ReplyTo string
}

// AddComment adds memberID's comment to a post they can see. A reply
// answers a comment memberID can see on the same post; its author is told
// ("B replied to you"), and the post's author is told of every comment.
func (s *Service) AddComment(memberID, postID string, in CommentInput) (Comment, error) {
	in.Text = strings.TrimSpace(in.Text)
	switch {
	case in.Text == "":
		return Comment{}, problem.Invalid("text", "moments.comment_empty", nil)
	case utf8.RuneCountInString(in.Text) > CommentMax:
		return Comment{}, problem.Invalid("text", "profile.too_long", map[string]any{"max": CommentMax})
	case problem.HasNUL(in.Text):
		return Comment{}, problem.Invalid("text", "errors.nul_byte", nil)
	}
	v, err := s.viewerOf(memberID)
	if err != nil {
		return Comment{}, err
	}
	post, err := s.visiblePost(v, postID)
	if err != nil {
		return Comment{}, err
	}
	replyTo := ""
	if in.ReplyTo != "" {
		if replyTo, err = s.replyTarget(v, postID, in.ReplyTo); err != nil {
			return Comment{}, err
		}
	}
	now := s.now()
	at := now.Format(types.DefaultDateLayout)
	c := Comment{ID: core.GenerateDefaultRandomId(), Author: memberID, ReplyTo: replyTo, Text: in.Text, At: now}
	var told []string
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := txApp.DB().NewQuery(`INSERT INTO moments_comments (id, post, author, reply_to, text, created)
			VALUES ({:id}, {:p}, {:a}, {:r}, {:t}, {:at})`).
			Bind(dbx.Params{"id": c.ID, "p": postID, "a": memberID, "r": replyTo, "t": in.Text, "at": at}).Execute(); err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		if replyTo != "" {
			if err := addNote(txApp, replyTo, memberID, postID, NoteReply, c.ID, at); err != nil {
				return err
			}
			told = append(told, replyTo)
		}
		if post.Author != memberID && post.Author != replyTo {
			if err := addNote(txApp, post.Author, memberID, postID, NoteComment, c.ID, at); err != nil {
				return err
			}
			told = append(told, post.Author)
		}
		return nil
	})
	if err != nil {
		return Comment{}, err
	}
	s.pushNotes(told)
	s.postChanged(postID, false, memberID, post.Author)
	return c, nil
}

// replyTarget is the author of commentID when v may see that comment on
// postID; answering oneself is a plain comment ("").
func (s *Service) replyTarget(v viewer, postID, commentID string) (string, error) {
	var author string
	err := s.app.DB().NewQuery(`SELECT author FROM moments_comments WHERE id = {:c} AND post = {:p}`).
		Bind(dbx.Params{"c": commentID, "p": postID}).Row(&author)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound()
	}
	if err != nil {
		return "", fmt.Errorf("load comment: %w", err)
	}
	if author == v.id {
		return "", nil
	}
	if tie, ok := v.circle[author]; !ok || tie.ChatOnly {
		return "", notFound()
	}
	return author, nil
}

// DeleteComment removes a comment: its author may, and so may the post's
// author (any comment on their post). Anything else is moments.not_found.
func (s *Service) DeleteComment(memberID, commentID string) error {
	var row struct {
		Post       string `db:"post"`
		Author     string `db:"author"`
		PostAuthor string `db:"post_author"`
	}
	err := s.app.DB().NewQuery(`SELECT c.post AS post, c.author AS author, p.author AS post_author FROM moments_comments c
		JOIN moments_posts p ON p.id = c.post AND p.taken_down = 0 WHERE c.id = {:c}`).
		Bind(dbx.Params{"c": commentID}).One(&row)
	if errors.Is(err, sql.ErrNoRows) || err == nil && row.Author != memberID && row.PostAuthor != memberID {
		return notFound()
	}
	if err != nil {
		return fmt.Errorf("load comment: %w", err)
	}
	var told []string
	err = s.app.RunInTransaction(func(txApp core.App) error {
		if err := txApp.DB().NewQuery(`SELECT member FROM moments_notifications WHERE comment = {:c}`).
			Bind(dbx.Params{"c": commentID}).Column(&told); err != nil {
			return fmt.Errorf("find comment notifications: %w", err)
		}
		if _, err := txApp.DB().NewQuery(`DELETE FROM moments_notifications WHERE comment = {:c}`).
			Bind(dbx.Params{"c": commentID}).Execute(); err != nil {
			return fmt.Errorf("delete comment notifications: %w", err)
		}
		if _, err := txApp.DB().NewQuery(`DELETE FROM moments_comments WHERE id = {:c}`).
			Bind(dbx.Params{"c": commentID}).Execute(); err != nil {
			return fmt.Errorf("delete comment: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.pushNotes(told)
	s.postChanged(row.Post, false, memberID, row.Author, row.PostAuthor)
	return nil
}
