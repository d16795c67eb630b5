package chat_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

// TestHistoryQueriesUseTheIndex: a history page never sorts (no temporary
// B-tree) and never scans the messages table.
func TestHistoryQueriesUseTheIndex(t *testing.T) {
	app := testapp.New(t)
	params := dbx.Params{"c": "c", "after": 0, "floor": 0, "before": 100, "n": 50, "me": "m"}
	for name, q := range chat.HistorySQL {
		var plan []struct {
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(params).All(&plan); err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, p := range plan {
			all = append(all, p.Detail)
		}
		text := strings.Join(all, "; ")
		t.Logf("%s: %s", name, text)
		if strings.Contains(text, "TEMP B-TREE") || strings.Contains(text, "SCAN messages") || !strings.Contains(text, "idx_messages_conv_seq") {
			t.Errorf("history %s plan: %s", name, text)
		}
	}
}
