package chatweb

import (
	"slices"
	"strings"
	"unicode"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/chat"
	"plaza/hooks/contacts"
)

// The "share into a chat" picker every module's share page shows (a
// Channels post, an article, a mini program): the member's chats that can
// take a card, then their friends with no 1:1 chat yet.

// SharePick is one choice of the picker. Modules' view models have the
// same fields, so a SharePick converts to theirs.
type SharePick struct {
	ID      string // a conversation id, or FriendPick + a friend's member id
	Label   string
	Avatar  string
	Initial string
}

// FriendPick prefixes the value of a friend without a 1:1 chat yet:
// sharing opens it (ShareInto).
const FriendPick = "friend:"

// ShareChoices are the member's chats that can take a card, in the chat
// list's order and named as the chat list names them, then their friends
// they have no chat with yet, by name. Plaza's own read-only chats and
// accounts' chats take nothing.
func ShareChoices(e *core.RequestEvent, cs *chat.Service) ([]SharePick, error) {
	me := e.Auth.Id
	list, faces, err := cs.ChatList(me)
	if err != nil {
		return nil, err
	}
	var out []SharePick
	withChat := map[string]bool{}
	for _, c := range list {
		pick := SharePick{ID: c.ID}
		switch c.Kind {
		case chat.KindDirect:
			f, ok := faces.People[c.Peer]
			if !ok {
				continue
			}
			withChat[c.Peer] = true
			pick.Label, pick.Avatar, pick.Initial = f.Name, f.AvatarURL, f.Initial
		case chat.KindGroup:
			pick.Label = cs.GroupTitle(me, c.ID, c.Name)
			pick.Initial = firstLetter(pick.Label)
		default:
			continue
		}
		out = append(out, pick)
	}
	friends, err := contacts.Friends(e.App, e.Auth)
	if err != nil {
		return nil, err
	}
	var more []SharePick
	for _, f := range friends {
		if withChat[f.Member.Id] {
			continue
		}
		m := accounts.AsMember(f.Member)
		more = append(more, SharePick{ID: FriendPick + f.Member.Id, Label: f.Label(), Avatar: m.AvatarURL("96x96"), Initial: m.Initial()})
	}
	slices.SortFunc(more, func(a, b SharePick) int { return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
	return append(out, more...), nil
}

// ShareInto is the conversation a picked value names, opening the 1:1
// chat with a friend picked as FriendPick + id (chat.OpenDirect).
func ShareInto(e *core.RequestEvent, picked string) (string, error) {
	if friend, ok := strings.CutPrefix(picked, FriendPick); ok {
		return chat.OpenDirect(e.App, e.Auth.Id, friend)
	}
	return picked, nil
}

// firstLetter is the letter on a picture-less chat.
func firstLetter(name string) string {
	for _, r := range name {
		return string(unicode.ToUpper(r))
	}
	return "?"
}
