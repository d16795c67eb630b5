package channels

import (
	"plaza/hooks/reports"
)

// ReportPost files a report about a post into the moderators' one queue
// (hooks/reports). A superuser takes a post down in /_/
// (channels_posts.taken_down): from then on it is gone from every door.
func (s *Service) ReportPost(reporterID, postID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	p, err := s.loadPost(postID, false)
	if err != nil {
		return err
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindChannelsPost, Person: p.Owner, Ref: p.ID, Excerpt: p.Caption}, in)
}

// ReportComment files a report about a comment on a post anyone may see.
// A superuser removes a comment by deleting it in /_/.
func (s *Service) ReportComment(reporterID, commentID string, in reports.Input) error {
	if err := in.Check(); err != nil {
		return err
	}
	c, _, err := s.commentOf(commentID)
	if err != nil {
		return err
	}
	return reports.File(s.app, reporterID, reports.Subject{Kind: reports.KindChannelsComment, Person: c.Author, Ref: c.ID, Excerpt: c.Text}, in)
}
