package chat

import (
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"plaza/views/layout"
)

// rowTestID tells a chat's row from a folder's (tests and the crawl walk
// chats' rows).
func rowTestID(r Row) string {
	if r.Folder != "" {
		return "folder-row"
	}
	return "chat-row"
}

// rowHref is where a chat list row leads: the chat, or a folder's page.
func rowHref(r Row) templ.SafeURL {
	if r.Href != "" {
		return templ.SafeURL(r.Href)
	}
	return templ.SafeURL("/chats/" + r.ID)
}

func rowClass(r Row, active string) string {
	c := ""
	if r.ID == active && r.Folder == "" {
		c = "bg-page"
	}
	if r.Pinned {
		c += " bg-bar"
	}
	return c
}

func hiddenIf(b bool) string {
	if b {
		return "hidden"
	}
	return ""
}

func mineClass(mine bool) string {
	if mine {
		return "self-end flex-row-reverse"
	}
	return "self-start"
}

func bubbleClass(mine bool) string {
	if mine {
		return "bg-brand text-white"
	}
	return "bg-panel"
}

func mentionClass(mentioned bool) string {
	if mentioned {
		return "ring-2 ring-amber-400"
	}
	return ""
}

func initialOf(name string) string {
	for _, r := range name {
		return string(r)
	}
	return "#"
}

func canRemove(myRole, theirRole string) bool {
	return myRole == "owner" || (myRole == "admin" && theirRole == "member")
}

func roleKey(role string) string {
	if role == "owner" {
		return "chat.role_owner"
	}
	return "chat.role_admin"
}

var reasonKeys = map[string]string{
	"spam":       "chat.reason_spam",
	"harassment": "chat.reason_harassment",
	"fraud":      "chat.reason_fraud",
	"illegal":    "chat.reason_illegal",
	"other":      "chat.reason_other",
}

func reasonKey(r string) string { return reasonKeys[r] }

func fieldError(errs []layout.FieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

func chipClass(mine bool) string {
	if mine {
		return "border-brand text-brand bg-brand/10"
	}
	return "border-line bg-panel"
}

// thumbW and thumbH are a picture's thumbnail size (fits 240×240 CSS px),
// so the page does not jump while it loads.
func thumbW(m *Media) int {
	w, _ := fit(m.W, m.H, 240)
	return w
}

func thumbH(m *Media) int {
	_, h := fit(m.W, m.H, 240)
	return h
}

func fit(w, h, box int) (int, int) {
	if w <= 0 || h <= 0 {
		return box, box
	}
	if w <= box && h <= box {
		return w, h
	}
	if w >= h {
		return box, max(1, h*box/w)
	}
	return max(1, w*box/h), box
}

func joinNames(names []string) string {
	return strings.Join(names, ", ")
}

func collageGrid(n int) string {
	if n <= 4 {
		return "grid-cols-2 grid-rows-2"
	}
	return "grid-cols-3 grid-rows-3"
}

// searchURL is the search page for the same query and chat, another kind.
func searchURL(m Results, kind string) string {
	q := url.Values{}
	if m.Query != "" {
		q.Set("q", m.Query)
	}
	if m.ConvID != "" {
		q.Set("c", m.ConvID)
	}
	if kind != "" {
		q.Set("kind", kind)
	}
	return "/chats/search?" + q.Encode()
}

func kindName(kind string) string {
	if kind == "" {
		return "text"
	}
	return kind
}

func tabClass(active bool) string {
	if active {
		return "bg-brand text-white"
	}
	return "text-muted hover:bg-page"
}

// moneyCards are the wallet's card types, drawn in red-packet orange.
var moneyCards = map[string]bool{"redpacket": true, "transfer": true, "accepted": true, "returned": true, "aa": true}

// CardClass colours a card by its type (chat.js has the same rule).
func CardClass(cardType string) string {
	if moneyCards[cardType] {
		return "bg-[#fa9d3b] text-white"
	}
	return "bg-panel"
}
