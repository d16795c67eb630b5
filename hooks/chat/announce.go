package chat

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/languages"
)

// postAnnouncement posts a new group announcement into the chat as WeChat
// does: a message from its author that @-mentions everyone, "@All" (in the
// author's language) followed by the text. Every member's chat list then
// shows "[@me]" until they read it.
func (s *Service) postAnnouncement(actorID, convID, text string) error {
	lang := ""
	if rec, err := s.app.FindRecordById(accounts.Collection, actorID); err == nil {
		lang = accounts.AsMember(rec).Language()
	}
	all := languages.Locale(lang).T("chat.mention_all")
	_, err := s.Send(actorID, convID, SendInput{ClientID: "announcement-" + core.GenerateDefaultRandomId(), Text: "@" + all + "\n" + text, All: true})
	return err
}
