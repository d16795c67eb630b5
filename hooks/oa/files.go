package oa

import (
	"github.com/pocketbase/pocketbase/core"
)

// The pictures of accounts and articles are protected files: the pages
// serve them after these reads said the viewer may see them (an account
// that is not approved, or an article not published, shows nothing).

// AvatarRecord is the record holding the avatar of the account handle as
// viewerID ("" signed out) may see it, or nil when it has none; an
// account the viewer may not see is oa.not_found.
func (s *Service) AvatarRecord(viewerID, handle string) (*core.Record, error) {
	a, err := s.AccountFor(viewerID, handle)
	if err != nil {
		return nil, err
	}
	if !a.HasAvatar {
		return nil, nil
	}
	rec, err := s.app.FindRecordById("oa_accounts", a.ID)
	if err != nil {
		return nil, notFound()
	}
	return rec, nil
}

// CoverRecord is the record holding the cover of the article articleID of
// the account handle as viewerID may see it, or nil when it has none; an
// article the viewer may not read (a draft to anyone but its account's
// operators) is oa.not_found.
func (s *Service) CoverRecord(viewerID, handle, articleID string) (*core.Record, error) {
	a, err := s.Article(viewerID, articleID)
	if err != nil {
		return nil, err
	}
	acct, err := s.AccountByID(viewerID, a.Account)
	if err != nil || acct.Handle != handle {
		return nil, notFound()
	}
	if !a.HasCover {
		return nil, nil
	}
	rec, err := s.app.FindRecordById("oa_articles", a.ID)
	if err != nil {
		return nil, notFound()
	}
	return rec, nil
}

// WebhookURL is the account's webhook address ("" for none), for its
// owner only (the console's form; SetWebhook changes it).
func (s *Service) WebhookURL(ownerID, accountID string) (string, error) {
	if _, err := s.owned(ownerID, accountID); err != nil {
		return "", err
	}
	rec, err := s.app.FindRecordById("oa_accounts", accountID)
	if err != nil {
		return "", notFound()
	}
	return rec.GetString("webhook_url"), nil
}
