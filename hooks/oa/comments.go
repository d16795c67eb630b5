package oa

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Reactions a reader may leave on an article.
const (
	ReactionLike = "like"
	ReactionWow  = "wow"
)

// React sets (on) or clears memberID's like or wow on a published article.
func (s *Service) React(memberID, articleID, kind string, on bool) (Article, error) {
	if kind != ReactionLike && kind != ReactionWow {
		return Article{}, problem.Invalid("kind", "oa.bad_reaction", nil)
	}
	if err := s.readable(memberID, articleID); err != nil {
		return Article{}, err
	}
	counter := map[string]string{ReactionLike: "likes", ReactionWow: "wows"}[kind]
	params := dbx.Params{"id": core.GenerateDefaultRandomId(), "r": articleID, "m": memberID, "k": kind, "at": s.stamp()}
	err := s.app.RunInTransaction(func(tx core.App) error {
		q, delta := `INSERT INTO oa_reactions (id, article, member, kind, at) VALUES ({:id}, {:r}, {:m}, {:k}, {:at})
			ON CONFLICT (article, member, kind) DO NOTHING`, "+ 1"
		if !on {
			q, delta = `DELETE FROM oa_reactions WHERE article = {:r} AND member = {:m} AND kind = {:k}`, "- 1"
		}
		res, err := tx.DB().NewQuery(q).Bind(params).Execute()
		if err != nil {
			return fmt.Errorf("react: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = tx.DB().NewQuery(`UPDATE oa_articles SET ` + counter + ` = max(0, ` + counter + ` ` + delta + `) WHERE id = {:r}`).
			Bind(params).Execute()
		return err
	})
	if err != nil {
		return Article{}, err
	}
	return s.Article(memberID, articleID)
}

// readable is nil when memberID (a member) may read and react to
// articleID: published, on an approved account.
func (s *Service) readable(memberID, articleID string) error {
	if memberID == "" {
		return notFound()
	}
	a, err := s.Article(memberID, articleID)
	if err != nil {
		return err
	}
	if a.PublishedAt == "" {
		return notFound()
	}
	return nil
}

// Comment is a reader's comment on an article, with the operator's reply.
type Comment struct {
	ID     string `json:"id" db:"id"`
	Author string `json:"author" db:"author"`
	Text   string `json:"text" db:"text"`
	Shown  bool   `json:"shown" db:"shown"`
	Reply  string `json:"reply" db:"reply"`
	At     string `json:"at" db:"at"`
	Mine   bool   `json:"mine" db:"-"`
}

// Comment leaves memberID's comment on a published article whose comments
// are open. It shows to others once an operator chooses to show it.
func (s *Service) Comment(memberID, articleID, text string) (Comment, error) {
	text = strings.TrimSpace(text)
	p := &problem.Problem{Status: http.StatusBadRequest}
	if text == "" {
		p.Add("text", "validation_required", nil)
	}
	tooLong(p, "text", text, TextMax)
	if err := p.OrNil(); err != nil {
		return Comment{}, err
	}
	if err := s.readable(memberID, articleID); err != nil {
		return Comment{}, err
	}
	c := Comment{ID: core.GenerateDefaultRandomId(), Author: memberID, Text: text, At: s.stamp(), Mine: true}
	res, err := s.app.DB().NewQuery(`INSERT INTO oa_comments (id, article, author, text, shown, reply, replied_at, at)
		SELECT {:id}, id, {:m}, {:t}, 0, '', '', {:at} FROM oa_articles WHERE id = {:r} AND comments_open = 1`).
		Bind(dbx.Params{"id": c.ID, "m": memberID, "t": text, "at": c.At, "r": articleID}).Execute()
	if err != nil {
		return Comment{}, fmt.Errorf("comment: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Comment{}, problem.New(http.StatusForbidden, "oa.comments_closed")
	}
	return c, nil
}

// commentAccount is the account of commentID's article when memberID runs
// it.
func (s *Service) commentAccount(memberID, commentID string) error {
	var account []string
	if err := s.app.DB().NewQuery(`SELECT r.account FROM oa_comments c JOIN oa_articles r ON r.id = c.article WHERE c.id = {:c}`).
		Bind(dbx.Params{"c": commentID}).Column(&account); err != nil {
		return fmt.Errorf("find comment: %w", err)
	}
	if len(account) == 0 {
		return notFound()
	}
	_, err := s.console(memberID, account[0])
	return err
}

// ShowComment shows (or hides) a comment to every reader, for one who runs
// the article's account.
func (s *Service) ShowComment(memberID, commentID string, shown bool) error {
	if err := s.commentAccount(memberID, commentID); err != nil {
		return err
	}
	_, err := s.app.DB().NewQuery(`UPDATE oa_comments SET shown = {:s} WHERE id = {:c}`).
		Bind(dbx.Params{"s": shown, "c": commentID}).Execute()
	if err != nil {
		return fmt.Errorf("show comment: %w", err)
	}
	return nil
}

// ReplyComment sets the account's reply under a comment ("" removes it),
// for one who runs the article's account.
func (s *Service) ReplyComment(memberID, commentID, reply string) error {
	reply = strings.TrimSpace(reply)
	p := &problem.Problem{Status: http.StatusBadRequest}
	tooLong(p, "reply", reply, TextMax)
	if err := p.OrNil(); err != nil {
		return err
	}
	if err := s.commentAccount(memberID, commentID); err != nil {
		return err
	}
	at := s.stamp()
	if reply == "" {
		at = ""
	}
	_, err := s.app.DB().NewQuery(`UPDATE oa_comments SET reply = {:t}, replied_at = {:at} WHERE id = {:c}`).
		Bind(dbx.Params{"t": reply, "at": at, "c": commentID}).Execute()
	if err != nil {
		return fmt.Errorf("reply to comment: %w", err)
	}
	return nil
}

// Comments are an article's comments as viewerID sees them, oldest first:
// those shown, plus the viewer's own; those who run the account see all.
func (s *Service) Comments(viewerID, articleID string) ([]Comment, error) {
	a, err := s.Article(viewerID, articleID)
	if err != nil {
		return nil, err
	}
	where := `article = {:r} AND (shown = 1 OR author = {:v})`
	if a.Operator {
		where = `article = {:r}`
	}
	var out []Comment
	if err := s.app.DB().NewQuery(`SELECT id, author, text, shown, reply, at FROM oa_comments WHERE ` + where + ` ORDER BY at, id LIMIT 500`).
		Bind(dbx.Params{"r": articleID, "v": viewerID}).All(&out); err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	for i := range out {
		out[i].Mine = viewerID != "" && out[i].Author == viewerID
	}
	return out, nil
}
