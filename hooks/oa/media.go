package oa

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// AddMedia stores an image for accountID's articles (cleaned of metadata,
// checked by content and size as every upload is), for one who runs it,
// and returns its address, MediaPath(account, id): the only images an
// article's HTML keeps.
func (s *Service) AddMedia(memberID, accountID string, f *filesystem.File) (string, error) {
	if _, err := s.console(memberID, accountID); err != nil {
		return "", err
	}
	clean, err := cleanImage(f, "image")
	if err != nil {
		return "", err
	}
	col, err := s.app.FindCachedCollectionByNameOrId("oa_media")
	if err != nil {
		return "", fmt.Errorf("oa_media collection: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Set("account", accountID)
	rec.Set("file", clean)
	if err := s.app.Save(rec); err != nil {
		return "", fmt.Errorf("save media: %w", err)
	}
	return MediaPath(accountID, rec.Id), nil
}

// MediaRecord is the record holding an approved account's uploaded image
// mediaID (for the route serving MediaPath), or oa.not_found.
func (s *Service) MediaRecord(accountID, mediaID string) (*core.Record, error) {
	rec, err := s.app.FindRecordById("oa_media", mediaID)
	if err != nil || rec.GetString("account") != accountID {
		return nil, notFound()
	}
	if _, err := s.AccountByID("", accountID); err != nil {
		return nil, err
	}
	return rec, nil
}
