package chat

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"plaza/hooks/contacts"
	"plaza/hooks/problem"
)

// Limits of group texts, in characters.
const (
	AnnouncementMax = 2000
	AliasMax        = 40
)

// Prefs are a member's own settings for a chat.
type Prefs struct {
	Pinned bool
	Muted  bool
}

// SetPrefs pins or mutes a chat for the member.
func (s *Service) SetPrefs(memberID, convID string, p Prefs) error {
	return s.updateMine(memberID, convID, "pinned = {:pinned}, muted = {:muted}", dbx.Params{"pinned": p.Pinned, "muted": p.Muted})
}

// Hide removes a chat from the member's list until a new message arrives.
func (s *Service) Hide(memberID, convID string) error {
	return s.updateMine(memberID, convID, "hidden = 1", nil)
}

// MarkUnread puts a dot on a chat the member wants to come back to.
func (s *Service) MarkUnread(memberID, convID string) error {
	return s.updateMine(memberID, convID, "marked_unread = 1", nil)
}

// ClearHistory hides every message so far from the member (only them).
func (s *Service) ClearHistory(memberID, convID string) error {
	return s.updateMine(memberID, convID, "cleared_seq = (SELECT last_seq FROM conversations WHERE id = {:c}), "+
		"last_read_seq = (SELECT last_seq FROM conversations WHERE id = {:c})", nil)
}

// PrefsUpdate changes some of a member's own settings for a chat; nil
// fields stay as they are.
type PrefsUpdate struct {
	Pinned, Muted *bool
	Alias         *string
}

// SavePrefs applies a PrefsUpdate (the info page's form and PATCH
// /api/plaza/chats/{id}/prefs): every field is checked before anything is
// written.
func (s *Service) SavePrefs(memberID, convID string, u PrefsUpdate) error {
	var alias string
	if u.Alias != nil {
		alias = strings.TrimSpace(*u.Alias)
		if utf8.RuneCountInString(alias) > AliasMax {
			return problem.Invalid("alias", "profile.too_long", map[string]any{"max": AliasMax})
		}
	}
	var set []string
	params := dbx.Params{}
	if u.Pinned != nil {
		set, params["pinned"] = append(set, "pinned = {:pinned}"), *u.Pinned
	}
	if u.Muted != nil {
		set, params["muted"] = append(set, "muted = {:muted}"), *u.Muted
	}
	if u.Alias != nil {
		set, params["alias"] = append(set, "alias = {:alias}"), alias
	}
	if len(set) == 0 {
		_, err := memberOf(s.app, memberID, convID)
		return err
	}
	return s.updateMine(memberID, convID, strings.Join(set, ", "), params)
}

// SetAlias sets the member's name in a group.
func (s *Service) SetAlias(memberID, convID, alias string) error {
	return s.SavePrefs(memberID, convID, PrefsUpdate{Alias: &alias})
}

// updateMine runs "UPDATE conversation_members SET <set>" on the member's own
// row. The row is named by {:c} (the conversation, which set may also use)
// and {:me}; dbx binds one map per query, so a caller's parameter under
// either name would silently change which row is written or what is written
// (a "{:m}" for muted once stored the member id in muted): it is refused.
func (s *Service) updateMine(memberID, convID, set string, params dbx.Params) error {
	if _, err := memberOf(s.app, memberID, convID); err != nil {
		return err
	}
	if params == nil {
		params = dbx.Params{}
	}
	for _, reserved := range []string{"c", "me"} {
		if _, taken := params[reserved]; taken {
			return fmt.Errorf("update chat settings: parameter {:%s} is reserved", reserved)
		}
	}
	params["c"], params["me"] = convID, memberID
	_, err := s.app.DB().NewQuery("UPDATE conversation_members SET " + set + " WHERE conversation = {:c} AND member = {:me}").
		Bind(params).Execute()
	if err != nil {
		return fmt.Errorf("update chat settings: %w", err)
	}
	return nil
}

// groupAction runs f in a transaction after checking that the actor is in
// the group with one of the roles (any role when none are given), then
// stores and delivers the system notice f returns ("" for none).
func (s *Service) groupAction(actorID, convID string, roles []string, f func(txApp core.App) (string, error)) error {
	var notice Message
	err := s.app.RunInTransaction(func(txApp core.App) error {
		m, err := memberOf(txApp, actorID, convID)
		if err != nil {
			return err
		}
		if m.Kind != KindGroup {
			return NotFound()
		}
		if len(roles) > 0 && !slices.Contains(roles, m.Role) {
			return problem.New(http.StatusForbidden, "chat.admins_only")
		}
		code, err := f(txApp)
		if err != nil || code == "" {
			return err
		}
		notice, err = systemMessage(txApp, convID, code, s.clock())
		return err
	})
	if err == nil && notice.ID != "" {
		s.publish(convID, Frame{T: "msg", C: convID, M: &notice})
	}
	return err
}

var admins = []string{RoleOwner, RoleAdmin}

// checkGroupName and checkAnnouncement are the limits of a group's texts
// (already trimmed), named after their fields.
func checkGroupName(name string) error {
	if utf8.RuneCountInString(name) > GroupNameMax {
		return problem.Invalid("name", "profile.too_long", map[string]any{"max": GroupNameMax})
	}
	return nil
}

func checkAnnouncement(text string) error {
	if utf8.RuneCountInString(text) > AnnouncementMax {
		return problem.Invalid("announcement", "profile.too_long", map[string]any{"max": AnnouncementMax})
	}
	return nil
}

// Rename changes a group's name (owner and admins).
func (s *Service) Rename(actorID, convID, name string) error {
	name = strings.TrimSpace(name)
	if err := checkGroupName(name); err != nil {
		return err
	}
	return s.groupAction(actorID, convID, admins, func(txApp core.App) (string, error) {
		_, err := txApp.DB().NewQuery("UPDATE conversations SET name = {:n} WHERE id = {:c}").Bind(dbx.Params{"n": name, "c": convID}).Execute()
		return "renamed:" + actorID, err
	})
}

// SetAnnouncement sets a group's announcement (owner and admins).
func (s *Service) SetAnnouncement(actorID, convID, text string) error {
	text = strings.TrimSpace(text)
	if err := checkAnnouncement(text); err != nil {
		return err
	}
	err := s.groupAction(actorID, convID, admins, func(txApp core.App) (string, error) {
		// A new announcement is unread for everyone but its author.
		_, err := txApp.DB().NewQuery("UPDATE conversations SET announcement = {:a}, announcement_rev = announcement_rev + 1 WHERE id = {:c}").
			Bind(dbx.Params{"a": text, "c": convID}).Execute()
		if err == nil {
			_, err = txApp.DB().NewQuery("UPDATE conversation_members SET announcement_read_rev = (SELECT announcement_rev FROM conversations WHERE id = {:c}) WHERE conversation = {:c} AND member = {:m}").
				Bind(dbx.Params{"c": convID, "m": actorID}).Execute()
		}
		if text == "" {
			return "", err
		}
		return "announcement:" + actorID, err
	})
	if err != nil || text == "" {
		return err
	}
	return s.postAnnouncement(actorID, convID, text)
}

// Invite adds friends of the actor to a group (any member may invite).
// When the group asks for approval, a plain member's invitations wait for
// the owner or an admin instead (see NeedsApproval).
func (s *Service) Invite(actorID, convID string, friendIDs []string) error {
	_, err := s.InviteFriends(actorID, convID, friendIDs)
	return err
}

// InviteFriends is Invite, also telling whether the invitations wait for
// approval instead of adding the friends now.
func (s *Service) InviteFriends(actorID, convID string, friendIDs []string) (waiting bool, err error) {
	err = s.groupAction(actorID, convID, nil, func(txApp core.App) (string, error) {
		wait, err := NeedsApproval(txApp, actorID, convID)
		if err != nil {
			return "", err
		}
		waiting = wait
		g, err := groupStateOf(txApp, convID)
		if err != nil {
			return "", err
		}
		var added []string
		for _, id := range friendIDs {
			if _, err := memberOf(txApp, id, convID); err == nil || slices.Contains(added, id) {
				continue // already in
			}
			// A friend who blocked the actor (or whom the actor blocked)
			// cannot be invited, and is told apart from a stranger by nothing.
			ok, err := contacts.Reachable(txApp, id, actorID)
			if err != nil {
				return "", err
			}
			if !ok {
				return "", problem.Invalid("members", "chat.not_a_friend", nil)
			}
			if wait {
				if err := requestJoin(txApp, convID, actorID, id, s.clock()); err != nil {
					return "", err
				}
				continue
			}
			if g.Members+len(added) >= GroupMax {
				return "", problem.New(http.StatusConflict, "chat.group_full")
			}
			if err := addMember(txApp, convID, id, g.LastSeq); err != nil {
				return "", err
			}
			added = append(added, id)
		}
		if len(added) == 0 {
			return "", nil
		}
		return "invited:" + actorID + ":" + strings.Join(added, ","), nil
	})
	return waiting, err
}

// Remove takes a member out of a group: the owner may remove anyone, an
// admin only plain members.
func (s *Service) Remove(actorID, convID, targetID string) error {
	return s.groupAction(actorID, convID, admins, func(txApp core.App) (string, error) {
		actor, err := memberOf(txApp, actorID, convID)
		if err != nil {
			return "", err
		}
		target, err := memberOf(txApp, targetID, convID)
		if err != nil || targetID == actorID {
			return "", NotFound()
		}
		if target.Role == RoleOwner || (actor.Role == RoleAdmin && target.Role == RoleAdmin) {
			return "", problem.New(http.StatusForbidden, "chat.admins_only")
		}
		if _, err := txApp.DB().NewQuery("DELETE FROM conversation_members WHERE id = {:id}").Bind(dbx.Params{"id": target.ID}).Execute(); err != nil {
			return "", err
		}
		// Join links made before now cannot bring them back (join.go).
		if _, err := txApp.DB().NewQuery(`INSERT INTO group_removals (conversation, member, at) VALUES ({:c}, {:m}, {:at})
			ON CONFLICT (conversation, member) DO UPDATE SET at = excluded.at`).
			Bind(dbx.Params{"c": convID, "m": targetID, "at": s.clock().UTC().Format(types.DefaultDateLayout)}).Execute(); err != nil {
			return "", fmt.Errorf("record removal: %w", err)
		}
		return "removed:" + actorID + ":" + targetID, nil
	})
}

// SetAdmin makes a member an admin or a plain member again (owner only).
func (s *Service) SetAdmin(ownerID, convID, targetID string, admin bool) error {
	return s.groupAction(ownerID, convID, []string{RoleOwner}, func(txApp core.App) (string, error) {
		target, err := memberOf(txApp, targetID, convID)
		if err != nil || target.Role == RoleOwner {
			return "", NotFound()
		}
		role := RoleMember
		if admin {
			role = RoleAdmin
		}
		_, err = txApp.DB().NewQuery("UPDATE conversation_members SET role = {:r} WHERE id = {:id}").Bind(dbx.Params{"r": role, "id": target.ID}).Execute()
		return "", err
	})
}

// TransferOwnership hands the group to another member (owner only).
func (s *Service) TransferOwnership(ownerID, convID, targetID string) error {
	return s.groupAction(ownerID, convID, []string{RoleOwner}, func(txApp core.App) (string, error) {
		if _, err := memberOf(txApp, targetID, convID); err != nil || targetID == ownerID {
			return "", NotFound()
		}
		return "owner:" + targetID, transfer(txApp, convID, ownerID, targetID)
	})
}

func transfer(txApp core.App, convID, from, to string) error {
	_, err := txApp.DB().NewQuery(`UPDATE conversation_members SET role = CASE member WHEN {:to} THEN {:owner} ELSE {:member} END
		WHERE conversation = {:c} AND member IN ({:from}, {:to})`).
		Bind(dbx.Params{"c": convID, "from": from, "to": to, "owner": RoleOwner, "member": RoleMember}).Execute()
	if err != nil {
		return err
	}
	_, err = txApp.DB().NewQuery("UPDATE conversations SET owner = {:to} WHERE id = {:c}").Bind(dbx.Params{"c": convID, "to": to}).Execute()
	return err
}

// Leave takes the member out of a group. An owner who leaves hands the
// group to the longest-standing member.
func (s *Service) Leave(memberID, convID string) error {
	return s.groupAction(memberID, convID, nil, func(txApp core.App) (string, error) {
		me, err := memberOf(txApp, memberID, convID)
		if err != nil {
			return "", err
		}
		if me.Role == RoleOwner {
			var next string
			err := txApp.DB().NewQuery("SELECT member FROM conversation_members WHERE conversation = {:c} AND member != {:m} ORDER BY created, id LIMIT 1").
				Bind(dbx.Params{"c": convID, "m": memberID}).Row(&next)
			if err == nil {
				if err := transfer(txApp, convID, memberID, next); err != nil {
					return "", err
				}
			}
		}
		if _, err := txApp.DB().NewQuery("DELETE FROM conversation_members WHERE id = {:id}").Bind(dbx.Params{"id": me.ID}).Execute(); err != nil {
			return "", err
		}
		return "left:" + memberID, nil
	})
}
