package chat_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

// TestHistoryQueriesUseTheIndex: every query of a history page (membership,
// the page itself, its quoted messages, its reactions) and the sender's
// read-position and un-hide updates is served by its index: no sort (no
// temporary B-tree), no table scan. Checked on an empty database and again
// on one with a big conversation and SQLite's statistics (ANALYZE), where
// the planner once preferred the (conversation, seq) index for quotes and
// walked the whole conversation.
func TestHistoryQueriesUseTheIndex(t *testing.T) {
	app := testapp.New(t)
	params := dbx.Params{"c": "c", "m": "m", "after": 0, "floor": 0, "before": 100, "n": 50, "me": "m",
		"q0": "a", "q1": "b", "q2": "c", "m0": "a", "m1": "b", "m2": "c", "id": "x", "seq": 1}
	check := func(when string) {
		for _, q := range chat.PlanSQL {
			var plan []struct {
				Detail string `db:"detail"`
			}
			if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q.SQL).Bind(params).All(&plan); err != nil {
				t.Fatalf("%s: %v", q.Name, err)
			}
			var all []string
			for _, p := range plan {
				all = append(all, p.Detail)
			}
			text := strings.Join(all, "; ")
			t.Logf("%s, %s: %s", when, q.Name, text)
			if strings.Contains(text, "TEMP B-TREE") || strings.Contains(text, "SCAN ") || !strings.Contains(text, q.Index) {
				t.Errorf("%s, %s: want %s without a scan or sort, plan: %s", when, q.Name, q.Index, text)
			}
		}
	}
	check("empty")

	// A 1:1 chat of 20,000 messages, replies, reactions and hidden ones
	// among them, 2,000 other chats, and the statistics a long-running
	// database has.
	ann := testapp.CreateMember(t, app, "ann_plan")
	bo := testapp.CreateMember(t, app, "bo_plan")
	conv := createGroupDirect(t, app, []string{ann.Id, bo.Id})
	err := app.RunInTransaction(func(tx core.App) error {
		for i := 1; i <= 20_000; i++ {
			reply := ""
			if i%5 == 0 {
				reply = fmt.Sprintf("p%014d", i-3)
			}
			if _, err := tx.DB().NewQuery(`INSERT INTO messages (id, conversation, seq, sender, client_id, kind, text, reply_to, meta, recalled, created, updated)
				VALUES ({:id}, {:c}, {:seq}, {:s}, '', 'text', 'plan', {:r}, 'null', 0, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')`).
				Bind(dbx.Params{"id": fmt.Sprintf("p%014d", i), "c": conv, "seq": i, "s": ann.Id, "r": reply}).Execute(); err != nil {
				return err
			}
			if i%7 == 0 {
				if _, err := tx.DB().NewQuery(`INSERT INTO message_reactions (id, message, member, emoji, created) VALUES ({:id}, {:m}, {:who}, '👍', '2026-01-01 00:00:00.000Z')`).
					Bind(dbx.Params{"id": fmt.Sprintf("r%014d", i), "m": fmt.Sprintf("p%014d", i), "who": bo.Id}).Execute(); err != nil {
					return err
				}
			}
		}
		for i := 0; i < 2_000; i++ {
			id := fmt.Sprintf("x%014d", i)
			if _, err := tx.DB().NewQuery("INSERT INTO conversations (id, kind) VALUES ({:id}, 'direct')").Bind(dbx.Params{"id": id}).Execute(); err != nil {
				return err
			}
			for k, who := range []string{ann.Id, bo.Id} {
				if _, err := tx.DB().NewQuery("INSERT INTO conversation_members (id, conversation, member, role) VALUES ({:id}, {:c}, {:m}, 'member')").
					Bind(dbx.Params{"id": fmt.Sprintf("y%013d%d", i, k), "c": id, "m": who}).Execute(); err != nil {
					return err
				}
			}
			if _, err := tx.DB().NewQuery("INSERT INTO message_hides (id, member, message) VALUES ({:id}, {:m}, {:msg})").
				Bind(dbx.Params{"id": fmt.Sprintf("z%014d", i), "m": ann.Id, "msg": fmt.Sprintf("p%014d", i*9+1)}).Execute(); err != nil {
				return err
			}
		}
		_, err := tx.DB().NewQuery("ANALYZE").Execute()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	params["c"], params["m"], params["me"] = conv, ann.Id, ann.Id
	check("20,000 messages, analysed")
}
