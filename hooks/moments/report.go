package moments

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"

	"plaza/hooks/reports"
)

// ReportPost files a report about a post the reporter can see, into the
// moderators' one queue (hooks/reports). A superuser takes a post down in
// /_/ (moments_posts.taken_down): from then on it is gone from every door.
func (s *Service) ReportPost(reporterID, postID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	v, err := s.viewerOf(reporterID)
	if err != nil {
		return err
	}
	p, err := s.visiblePost(v, postID)
	if err != nil {
		return err
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindMomentsPost, Person: p.Author, Ref: p.ID, Excerpt: p.Text}, in)
}

// ReportComment files a report about a comment the reporter can see (on a
// post they can see, by themselves or a friend). A superuser removes a
// comment by deleting it in /_/.
func (s *Service) ReportComment(reporterID, commentID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	v, err := s.viewerOf(reporterID)
	if err != nil {
		return err
	}
	var c struct {
		Post   string `db:"post"`
		Author string `db:"author"`
		Text   string `db:"text"`
	}
	err = s.app.DB().NewQuery(`SELECT post, author, text FROM moments_comments WHERE id = {:c}`).Bind(dbx.Params{"c": commentID}).One(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound()
	}
	if err != nil {
		return fmt.Errorf("load comment: %w", err)
	}
	if _, err := s.visiblePost(v, c.Post); err != nil {
		return err
	}
	if tie, ok := v.circle[c.Author]; c.Author != v.id && (!ok || tie.ChatOnly) {
		return notFound()
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindMomentsComment, Person: c.Author, Ref: commentID, Excerpt: c.Text}, in)
}
