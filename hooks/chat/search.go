package chat

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Search limits.
const (
	SearchMax      = 50  // results per search
	searchQueryMax = 100 // characters
)

// Hit is one message found by Search.
type Hit struct {
	Conversation string      `json:"c"`
	ID           string      `json:"id"`
	Seq          int64       `json:"seq"`
	Sender       string      `json:"sender"`
	Text         string      `json:"text"`
	Kind         string      `json:"kind"`
	Media        *Attachment `json:"media,omitempty"`
	At           time.Time   `json:"at"`
}

// What Search looks for.
const (
	SearchText   = ""      // text messages containing the query
	SearchImages = "image" // pictures (the query, if any, is ignored)
	SearchFiles  = "file"  // files, by name when there is a query
	SearchLinks  = "link"  // text messages with a link (and the query, if any)
)

// Search finds messages of a kind (SearchText, SearchImages, SearchFiles,
// SearchLinks) in the member's chats (or in one chat when convID is set),
// newest first; text and links must contain query, files' names too. Only what the member may see
// is searched: their chats, from when they joined or last cleared, never
// recalled messages. Queries of 3+ characters use the FTS5 trigram index;
// shorter ones (most Chinese words are 2 characters, which a trigram index
// cannot match) fall back to a bounded LIKE scan of the member's chats.
func Search(app core.App, memberID, convID, query, kind string) ([]Hit, error) {
	if problem.HasNUL(query) { // FTS5 and LIKE end a string at a NUL: a 500 before
		return nil, problem.Invalid("q", "errors.nul_byte", nil)
	}
	query = strings.TrimSpace(query)
	if kind == SearchImages {
		query = ""
	}
	if query == "" && (kind == SearchText || (kind != SearchImages && kind != SearchFiles && kind != SearchLinks)) {
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
	params["kind"] = "text"
	switch kind {
	case SearchImages, SearchFiles:
		params["kind"] = kind
	case SearchLinks:
		scope += ` AND (m.text LIKE '%http://%' OR m.text LIKE '%https://%')`
	}
	visible := `JOIN conversation_members cm ON cm.conversation = m.conversation AND cm.member = {:me}
		WHERE m.kind = {:kind} AND m.recalled = 0 AND m.seq > MAX(cm.joined_seq, cm.cleared_seq)` + scope +
		` AND NOT EXISTS (SELECT 1 FROM message_hides h WHERE h.member = {:me} AND h.message = m.id)`
	const columns = `SELECT m.conversation, m.id, m.seq, m.sender, m.text, m.kind, m.meta, m.created`
	var sql string
	if query == "" {
		sql = columns + ` FROM messages m ` + visible + ` ORDER BY m.created DESC LIMIT {:n}`
	} else if utf8.RuneCountInString(query) >= 3 {
		params["q"] = `"` + strings.ReplaceAll(query, `"`, `""`) + `"`
		sql = columns + ` FROM messages_fts f
			JOIN messages m ON m.rowid = f.rowid ` + visible + ` AND messages_fts MATCH {:q}
			ORDER BY m.created DESC LIMIT {:n}`
	} else {
		params["like"] = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(query) + "%"
		sql = columns + ` FROM messages m ` + visible +
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
		Kind         string `db:"kind"`
		Meta         string `db:"meta"`
		Created      string `db:"created"`
	}
	if err := app.DB().NewQuery(sql).Bind(params).All(&rows); err != nil {
		return nil, fmt.Errorf("search messages: %w", err)
	}
	out := make([]Hit, len(rows))
	for i, r := range rows {
		at := storedAt(r.Created)
		out[i] = Hit{Conversation: r.Conversation, ID: r.ID, Seq: r.Seq, Sender: r.Sender, Text: r.Text, Kind: r.Kind, At: at}
		var meta messageMeta
		if r.Kind != MsgText && json.Unmarshal([]byte(r.Meta), &meta) == nil {
			out[i].Media = meta.Media
		}
	}
	return out, nil
}

// Found is a search hit and its sender's name as the searcher sees them.
type Found struct {
	Hit
	SenderName string
}

// Find is Search for the search page: in one chat the member is in (a
// not-found problem for any other) or in all of theirs, each hit with its
// sender's name as the member sees them.
func (s *Service) Find(memberID, convID, query, kind string) ([]Found, error) {
	if convID != "" {
		if _, err := memberOf(s.app, memberID, convID); err != nil {
			return nil, err
		}
	}
	hits, err := Search(s.app, memberID, convID, query, kind)
	if err != nil {
		return nil, err
	}
	people := map[string]map[string]Person{} // by conversation
	out := make([]Found, 0, len(hits))
	for _, h := range hits {
		if people[h.Conversation] == nil {
			if people[h.Conversation], _, err = s.People(memberID, h.Conversation); err != nil {
				return nil, err
			}
		}
		out = append(out, Found{Hit: h, SenderName: people[h.Conversation][h.Sender].Name})
	}
	return out, nil
}
