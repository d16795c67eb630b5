package channels

import (
	"github.com/pocketbase/pocketbase/core"
)

// MediaFor is the media record of a post anyone may see now (not taken
// down); anything else is channels.not_found.
func (s *Service) MediaFor(mediaID string) (*core.Record, error) {
	rec, err := s.app.FindRecordById("channels_media", mediaID)
	if err != nil {
		return nil, notFound()
	}
	if _, err := s.loadPost(rec.GetString("post"), false); err != nil {
		return nil, err
	}
	return rec, nil
}
