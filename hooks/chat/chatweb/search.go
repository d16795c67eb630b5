package chatweb

import (
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/web"
	views "plaza/views/chat"
	"plaza/views/layout"
)

// Searching chat history.

func (s *site) searchPage(e *core.RequestEvent) error {
	me := web.Member(e)
	q := strings.TrimSpace(e.Request.URL.Query().Get("q"))
	convID := e.Request.URL.Query().Get("c")
	kind := e.Request.URL.Query().Get("kind")
	switch kind {
	case chat.SearchImages, chat.SearchFiles, chat.SearchLinks:
	default:
		kind = chat.SearchText
	}
	m := views.Results{Query: q, ConvID: convID, Kind: kind}
	hits, err := s.Find(me.Id, convID, q, kind)
	if err != nil {
		return err
	}
	rows, err := s.rows(e)
	if err != nil {
		return err
	}
	titles := map[string]string{}
	for _, r := range rows {
		titles[r.ID] = r.Title
	}
	if convID != "" {
		m.Chat = titles[convID]
	}
	for _, h := range hits {
		before, match, after := splitMatch(h.Text, q)
		m.Items = append(m.Items, views.Result{ConvID: h.Conversation, Chat: titles[h.Conversation], Sender: h.SenderName,
			Before: before, Match: match, After: after, Seq: h.Seq, At: h.At.Format(time.RFC3339), Media: mediaView(h.Media)})
	}
	return s.render(e, http.StatusOK, convID, layout.FocusDetail, func([]views.Row) templ.Component { return views.SearchResults(m) })
}

// splitMatch cuts text around the first case-insensitive occurrence of q,
// keeping some context before it.
func splitMatch(text, q string) (before, match, after string) {
	lower, lq := []rune(strings.ToLower(text)), []rune(strings.ToLower(q))
	runes := []rune(text)
	for i := 0; i+len(lq) <= len(lower) && len(lq) > 0; i++ {
		if string(lower[i:i+len(lq)]) == string(lq) {
			start := max(0, i-20)
			before = string(runes[start:i])
			if start > 0 {
				before = "…" + before
			}
			return before, string(runes[i : i+len(lq)]), string(runes[i+len(lq):])
		}
	}
	return "", "", text
}
