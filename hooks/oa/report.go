package oa

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"

	"plaza/hooks/reports"
)

// ReportAccount files a report about an approved account into the
// moderators' one queue (hooks/reports); a superuser rejects it in /_/
// (status), which hides it everywhere.
func (s *Service) ReportAccount(reporterID, accountID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	a, err := s.AccountByID(reporterID, accountID)
	if err != nil || a.Status != StatusApproved || reporterID == "" {
		return notFound()
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindOAAccount, Person: a.Owner, Ref: a.ID,
		Excerpt: a.Name + ": " + a.Description}, in)
}

// ReportArticle files a report about a published article the reporter
// can read; a superuser deletes it in /_/.
func (s *Service) ReportArticle(reporterID, articleID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	if err := s.readable(reporterID, articleID); err != nil {
		return err
	}
	a, err := s.Article(reporterID, articleID)
	if err != nil {
		return err
	}
	owner, err := s.AccountByID(reporterID, a.Account)
	if err != nil {
		return err
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindOAArticle, Person: owner.Owner, Ref: a.ID,
		Excerpt: a.Title + ": " + a.Digest}, in)
}

// ReportComment files a report about a comment the reporter can see (a
// shown one, or on an account they run).
func (s *Service) ReportComment(reporterID, commentID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	var c struct {
		Article string `db:"article"`
		Author  string `db:"author"`
		Text    string `db:"text"`
		Shown   bool   `db:"shown"`
	}
	err := s.app.DB().NewQuery(`SELECT article, author, text, shown FROM oa_comments WHERE id = {:c}`).
		Bind(dbx.Params{"c": commentID}).One(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound()
	}
	if err != nil {
		return fmt.Errorf("load comment: %w", err)
	}
	a, err := s.Article(reporterID, c.Article)
	if err != nil || reporterID == "" || (!c.Shown && !a.Operator) {
		return notFound()
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindOAComment, Person: c.Author, Ref: commentID, Excerpt: c.Text}, in)
}
