package oa

import (
	"plaza/views/charts"
	"plaza/views/layout"
)

// Nav is the console's header and its sections.
type Nav struct {
	Handle  string
	Name    string
	Base    string // the console's address
	Current string // articles, write, replies, menu, team, stats
	Owner   bool
}

// Console is the console's first page: the articles (drafts and
// published) and the broadcasts scheduled.
type Console struct {
	Nav        Nav
	Articles   []ArticleItem
	Broadcasts []BroadcastItem
	Quota      string
	Flash      layout.Flash
}

// BroadcastItem is a broadcast, sent or scheduled.
type BroadcastItem struct {
	ID     string
	Title  string
	Status string // its label
	ISO    string
	Date   string
	Cancel string // the cancel form's action ("" when it cannot be)
}

// Editor is the article form, new or an edit.
type Editor struct {
	Nav          Nav
	Action       string
	ID           string // "" for a new article
	Title        string
	Author       string
	Digest       string
	Body         string
	CommentsOpen bool
	Cover        string // the current cover ("" for none)
	Upload       string // where the image button uploads (JSON)
	Published    bool
	Broadcast    string // the broadcast form's action ("" once broadcast)
	Delete       string
	Comments     string // the comments' moderation
	View         string // the article's page
	Limits       EditorLimits
	Errors       []layout.FieldError
	Flash        layout.Flash
}

// EditorLimits are an article's limits the form states.
type EditorLimits struct {
	Title, Author, Digest, Body int
}

// Moderation is an article's comments for its operators.
type Moderation struct {
	Nav      Nav
	Back     string // this page, where its forms return
	Article  ArticleItem
	Comments []ModComment
	Flash    layout.Flash
}

// ModComment is a comment with its operators' forms.
type ModComment struct {
	Comment
	Show  string // the show/hide form's action
	Reply string // the reply form's action
}

// Replies is the auto-replies and the account's texts.
type Replies struct {
	Nav          Nav
	Rules        []Rule
	Keyword      string
	Match        string
	Reply        string
	Description  string
	Welcome      string
	DefaultReply string
	Errors       []layout.FieldError
	Flash        layout.Flash
}

// Rule is one keyword auto-reply.
type Rule struct {
	Keyword string
	Match   string // its label
	Reply   string
	Remove  string
}

// MenuEditor is the custom menu's form: fixed slots of buttons and items.
type MenuEditor struct {
	Nav     Nav
	Buttons []MenuSlot
	Errors  []string
	Flash   layout.Flash
}

// MenuSlot is a button's slot: its own action, or its items.
type MenuSlot struct {
	Label  string
	Action string // "", link, keyword
	Value  string
	Items  []MenuSlotItem
}

// MenuSlotItem is an item's slot.
type MenuSlotItem struct {
	Label  string
	Action string
	Value  string
}

// Team is the account's operators and its webhook (owner only).
type Team struct {
	Nav       Nav
	Operators []OperatorRow
	Webhook   string
	Secret    string // shown once, after the webhook was saved
	Errors    []layout.FieldError
	Flash     layout.Flash
}

// OperatorRow is one who runs the account.
type OperatorRow struct {
	Name    string
	PlazaID string
	Owner   bool
	Remove  string
}

// Stats is the account's 30 days and its articles' reads.
type Stats struct {
	Nav       Nav
	Followers int
	Gained    int
	Lost      int
	Reads     int
	FollowBy  charts.Chart
	ReadsBy   charts.Chart
	Articles  []ArticleReads
}

// ArticleReads is one article's reads as a bar.
type ArticleReads struct {
	Title string
	URL   string
	Reads int
	Likes int
	Wows  int
	Width int // the bar's width, a percentage of the most read
}
