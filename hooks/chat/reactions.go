package chat

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Reactions members can put on a message.
var Reactions = []string{"👍", "❤️", "😂", "😮", "😢", "🙏"}

// React toggles the member's emoji reaction on a message they can see and
// tells everyone in the chat the message's reactions now.
func (s *Service) React(memberID, convID, messageID, emoji string) (map[string][]string, error) {
	if !slices.Contains(Reactions, emoji) {
		return nil, problem.New(http.StatusBadRequest, "errors.bad_request")
	}
	var out map[string][]string
	err := s.app.RunInTransaction(func(txApp core.App) error {
		m, err := memberOf(txApp, memberID, convID)
		if err != nil {
			return err
		}
		if m.Kind == KindDirect {
			if err := checkDirect(txApp, memberID, convID); err != nil {
				return err
			}
		}
		var n int
		if err := txApp.DB().NewQuery("SELECT COUNT(*) FROM messages WHERE id = {:id} AND conversation = {:c} AND seq > {:from} AND recalled = 0 AND kind != 'system'").
			Bind(dbx.Params{"id": messageID, "c": convID, "from": max(m.JoinedSeq, m.Cleared)}).Row(&n); err != nil {
			return err
		}
		if n == 0 {
			return NotFound()
		}
		params := dbx.Params{"msg": messageID, "m": memberID, "e": emoji}
		res, err := txApp.DB().NewQuery("DELETE FROM message_reactions WHERE message = {:msg} AND member = {:m} AND emoji = {:e}").Bind(params).Execute()
		if err != nil {
			return err
		}
		gone, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if gone == 0 {
			params["id"] = core.GenerateDefaultRandomId()
			if _, err := txApp.DB().NewQuery("INSERT INTO message_reactions (id, message, member, emoji, created) VALUES ({:id}, {:msg}, {:m}, {:e}, strftime('%Y-%m-%d %H:%M:%fZ'))").
				Bind(params).Execute(); err != nil {
				return fmt.Errorf("add reaction: %w", err)
			}
		}
		all, err := reactionsOf(txApp, []string{messageID})
		out = all[messageID]
		return err
	})
	if err != nil {
		return nil, err
	}
	s.publish(convID, Frame{T: "reactions", C: convID, MID: messageID, Reactions: out})
	return out, nil
}

type reactionRow struct {
	Message string `db:"message"`
	Member  string `db:"member"`
	Emoji   string `db:"emoji"`
	Created string `db:"created"`
}

// reactionsSQL loads the reactions of the messages whose parameter
// holders are given, through the (message, member, emoji) index.
func reactionsSQL(holders []string) string {
	return "SELECT message, member, emoji, created FROM message_reactions WHERE message IN (" + strings.Join(holders, ",") + ")"
}

// reactionsOf loads the reactions of messages: id → emoji → member ids.
func reactionsOf(app core.App, ids []string) (map[string]map[string][]string, error) {
	out := map[string]map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	params := dbx.Params{}
	holders := make([]string, len(ids))
	for i, id := range ids {
		k := fmt.Sprintf("m%d", i)
		params[k] = id
		holders[i] = "{:" + k + "}"
	}
	var rows []reactionRow
	if err := app.DB().NewQuery(reactionsSQL(holders)).Bind(params).All(&rows); err != nil {
		return nil, fmt.Errorf("load reactions: %w", err)
	}
	// Oldest first, sorted here: the index gives them by message, and a
	// page's few reactions need no temporary B-tree in SQLite.
	slices.SortStableFunc(rows, func(a, b reactionRow) int { return strings.Compare(a.Created, b.Created) })
	for _, r := range rows {
		if out[r.Message] == nil {
			out[r.Message] = map[string][]string{}
		}
		out[r.Message][r.Emoji] = append(out[r.Message][r.Emoji], r.Member)
	}
	return out, nil
}
