package chat

import (
	"github.com/invopop/ctxi18n"
	"github.com/invopop/ctxi18n/i18n"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
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
	all := translate(lang, "chat.mention_all")
	_, err := s.Send(actorID, convID, SendInput{ClientID: "announcement-" + core.GenerateDefaultRandomId(), Text: "@" + all + "\n" + text, All: true})
	return err
}

// translate is key in lang (English when Plaza has no such language), for
// the few texts chat writes into messages rather than pages.
func translate(lang, key string) string {
	loc := ctxi18n.Get(i18n.Code(lang))
	if loc == nil {
		loc = ctxi18n.Get("en")
	}
	return loc.T(key)
}
