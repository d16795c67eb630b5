package chat

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
)

// VisibleMessage is a message of convID the member can see (sent after
// they joined or cleared the chat, not deleted for them), or a not-found
// problem.
func (s *Service) VisibleMessage(memberID, convID, messageID string) (Message, error) {
	r, _, err := visibleMessage(s.app, memberID, convID, messageID)
	if err != nil {
		return Message{}, err
	}
	return r.message(), nil
}

// SavedMessage is one of a member's favourites.
type SavedMessage struct {
	ID     string
	Sender string // the sender's name
	Kind   string
	Text   string
	Media  *Attachment
	Card   *Card
	At     time.Time
}

// favouritesShown caps the favourites page.
const favouritesShown = 200

// Favourites are the member's saved messages, newest first.
func (s *Service) Favourites(memberID string) ([]SavedMessage, error) {
	recs, err := s.app.FindRecordsByFilter(FavouritesCollection, "owner = {:o}", "-created", favouritesShown, 0, dbx.Params{"o": memberID})
	if err != nil {
		return nil, fmt.Errorf("load favourites: %w", err)
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.GetString("sender"))
	}
	names, err := accounts.Names(s.app, ids)
	if err != nil {
		return nil, fmt.Errorf("load senders: %w", err)
	}
	out := make([]SavedMessage, 0, len(recs))
	for _, r := range recs {
		var meta messageMeta
		if err := json.Unmarshal([]byte(r.GetString("meta")), &meta); err != nil {
			meta = messageMeta{} // a text saved without meta: nothing more to show
		}
		out = append(out, SavedMessage{ID: r.Id, Sender: accounts.ShownName("", "", names[r.GetString("sender")]), Kind: r.GetString("kind"),
			Text: r.GetString("text"), Media: meta.Media, Card: meta.Card, At: r.GetDateTime("created").Time()})
	}
	return out, nil
}

// OwnFavourite is one of the member's favourites (a not-found problem for
// anyone else's).
func (s *Service) OwnFavourite(memberID, favID string) (*core.Record, error) {
	r, err := s.app.FindRecordById(FavouritesCollection, favID)
	if err != nil || r.GetString("owner") != memberID {
		return nil, NotFound()
	}
	return r, nil
}

// DeleteFavourite removes one of the member's favourites.
func (s *Service) DeleteFavourite(memberID, favID string) error {
	r, err := s.OwnFavourite(memberID, favID)
	if err != nil {
		return err
	}
	if err := s.app.Delete(r); err != nil {
		return fmt.Errorf("delete favourite: %w", err)
	}
	return nil
}

// NameOf is a member's display name as everyone sees it (no remark, no
// group nickname), "" for no member.
func (s *Service) NameOf(memberID string) string {
	names, err := accounts.Names(s.app, []string{memberID})
	if err != nil {
		return "" // shown as no name, as for a member who is gone
	}
	return accounts.ShownName("", "", names[memberID])
}
