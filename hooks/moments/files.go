package moments

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/media"
)

// MediaFor is the media record viewerID may fetch: one of a post they may
// see. Anything else is moments.not_found, as if it did not exist.
func (s *Service) MediaFor(viewerID, mediaID string) (*core.Record, error) {
	rec, err := s.app.FindRecordById("moments_media", mediaID)
	if err != nil {
		return nil, notFound()
	}
	ok, err := s.CanSee(viewerID, rec.GetString("post"))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound()
	}
	return rec, nil
}

// CoverFor is ownerID's cover photo record when viewerID may open their
// album at all (nil, nil when they have none).
func (s *Service) CoverFor(viewerID, ownerID string) (*core.Record, error) {
	v, err := s.viewerOf(viewerID)
	if err != nil {
		return nil, err
	}
	a, err := s.accessTo(v, ownerID)
	if err != nil {
		return nil, err
	}
	if a == accessNone {
		return nil, notFound()
	}
	rec, err := s.settingsRecord(ownerID)
	if err != nil || rec.IsNew() || rec.GetString("cover") == "" {
		return nil, err
	}
	return rec, nil
}

// SetCover replaces memberID's album cover with a cleaned photo.
func (s *Service) SetCover(memberID string, f *filesystem.File) error {
	p, err := media.CleanUpload(f, "cover")
	if err != nil {
		return err
	}
	clean, err := filesystem.NewFileFromBytes(p.Data, "cover"+p.Ext)
	if err != nil {
		return fmt.Errorf("cover file: %w", err)
	}
	rec, err := s.settingsRecord(memberID)
	if err != nil {
		return err
	}
	rec.Set("cover", clean)
	if err := s.app.Save(rec); err != nil {
		return fmt.Errorf("save cover: %w", err)
	}
	return nil
}
