package chat

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Search limits.
const (
	SearchMax      = 50  // results per search
	searchQueryMax = 100 // characters
)

// Hit is one message found by Search.
type Hit struct {
	Conversation string    `json:"c"`
	ID           string    `json:"id"`
	Seq          int64     `json:"seq"`
	Sender       string    `json:"sender"`
	Text         string    `json:"text"`
	At           time.Time `json:"at"`
}

// Search finds text messages containing query in the member's chats (or in
// one chat when convID is set), newest first. Only what the member may see
// is searched: their chats, from when they joined or last cleared, never
// recalled messages. Queries of 3+ characters use the FTS5 trigram index;
// shorter ones (most Chinese words are 2 characters, which a trigram index
// cannot match) fall back to a bounded LIKE scan of the member's chats.
func Search(app core.App, memberID, convID, query string) ([]Hit, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(query) > searchQueryMax {
		query = string([]rune(query)[:searchQueryMax])
	}
	params := dbx.Params{"me": memberID}
	scope := ""
	if convID != "" {
		if _, err := memberOf(app, memberID, convID); err != nil {
			return nil, err
		}
		scope = " AND m.conversation = {:c}"
		params["c"] = convID
	}
	visible := `JOIN conversation_members cm ON cm.conversation = m.conversation AND cm.member = {:me}
		WHERE m.kind = 'text' AND m.recalled = 0 AND m.seq > MAX(cm.joined_seq, cm.cleared_seq)` + scope
	var sql string
	if utf8.RuneCountInString(query) >= 3 {
		params["q"] = `"` + strings.ReplaceAll(query, `"`, `""`) + `"`
		sql = `SELECT m.conversation, m.id, m.seq, m.sender, m.text, m.created FROM messages_fts f
			JOIN messages m ON m.rowid = f.rowid ` + visible + ` AND messages_fts MATCH {:q}
			ORDER BY m.created DESC LIMIT {:n}`
	} else {
		params["like"] = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(query) + "%"
		sql = `SELECT m.conversation, m.id, m.seq, m.sender, m.text, m.created FROM messages m ` + visible +
			` AND m.text LIKE {:like} ESCAPE '\'
			ORDER BY m.created DESC LIMIT {:n}`
	}
	params["n"] = SearchMax
	var rows []struct {
		Conversation string `db:"conversation"`
		ID           string `db:"id"`
		Seq          int64  `db:"seq"`
		Sender       string `db:"sender"`
		Text         string `db:"text"`
		Created      string `db:"created"`
	}
	if err := app.DB().NewQuery(sql).Bind(params).All(&rows); err != nil {
		return nil, fmt.Errorf("search messages: %w", err)
	}
	out := make([]Hit, len(rows))
	for i, r := range rows {
		at, _ := time.Parse(dbTime, r.Created)
		out[i] = Hit{Conversation: r.Conversation, ID: r.ID, Seq: r.Seq, Sender: r.Sender, Text: r.Text, At: at}
	}
	return out, nil
}
