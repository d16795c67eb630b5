// Package oa renders Official Accounts' pages: the directory and search,
// the accounts a member follows, an account's profile with its menu and
// articles (signed out too, with Open Graph tags), the public article
// page, applying and the member's own accounts, and the operators'
// console (articles, broadcasts, comments, auto-replies, menu, team and
// webhook, stats drawn as SVG). The handlers in hooks/oa/oaweb build these
// models; views never decide who sees what (the domain did).
package oa

import "plaza/views/layout"

// Meta is what a public page says about itself in its head: the title
// and description and its Open Graph and Twitter card tags. Every URL is
// absolute.
type Meta struct {
	Title       string
	Description string
	URL         string // the page's own address
	Type        string // og:type: "profile", "article", "website"
	Image       string // a picture of the page ("" for none)
	Site        string // the community's name
}

// Account is an Official Account as a page shows it.
type Account struct {
	Handle       string
	Name         string
	Description  string
	Category     string // its label
	Kind         string // its label
	Service      bool   // a service account (else subscription)
	URL          string
	Avatar       string // "" for none: Initial shows
	Initial      string
	Verified     bool
	Followers    int
	Following    bool
	Operator     bool   // the viewer runs it
	SignIn       string // a visitor's way to sign in and come back ("" for a member)
	Status       string // pending, approved, rejected (my accounts)
	RejectReason string
}

// Option is one choice of a select or a row of radios.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// Category is one of the directory's categories as a link.
type Category struct {
	Label   string
	URL     string
	Current bool
}

// Directory is Discover → Official Accounts: the categories, the search
// and the accounts found.
type Directory struct {
	Categories []Category
	Query      string
	Category   string // the chosen category's code ("" for all)
	Accounts   []Account
	Error      string
}

// AccountList is a plain list of accounts (the ones a member follows).
type AccountList struct {
	Accounts []Account
}

// Mine is the member's own accounts and the way to apply.
type Mine struct {
	Accounts []Account
	CanApply bool
	Flash    layout.Flash
}

// Apply is the application form.
type Apply struct {
	Handle      string
	Name        string
	Description string
	Categories  []Option
	Kinds       []Option
	Errors      []layout.FieldError
	Flash       layout.Flash
}

// MenuButton is a custom menu's button: a link of its own, or its items.
type MenuButton struct {
	Label    string
	Href     string // "" when it has items
	External bool   // a link out of Plaza (rel nofollow noopener)
	Items    []MenuItem
}

// MenuItem is one entry under a menu button.
type MenuItem struct {
	Label    string
	Href     string
	External bool
}

// ArticleItem is an article in a list.
type ArticleItem struct {
	ID        string
	Title     string
	Digest    string
	URL       string
	Cover     string // a small cover ("" for none)
	ISO       string // published (or written), RFC 3339
	Date      string // the same as a UTC date, before script
	Reads     int
	Likes     int
	Draft     bool
	Broadcast string // an operator's view: the broadcast's status label ("" for none)
	EditURL   string // an operator's view
}

// Profile is an account's page.
type Profile struct {
	Account   Account
	Menu      []MenuButton
	Articles  []ArticleItem
	ChatURL   string // "Message" ("" signed out)
	QR        string // the follow code's picture
	ReportURL string // "" signed out
	Console   string // the console, for one who runs it
	Flash     layout.Flash
}

// Comment is a reader's comment with the account's reply.
type Comment struct {
	ID        string
	Name      string
	Avatar    string
	Initial   string
	Text      string
	Reply     string
	ISO       string
	Date      string
	Shown     bool
	Mine      bool
	ReportURL string // "" for one's own, or signed out
}

// Article is an article's page.
type Article struct {
	ID           string
	Title        string
	Author       string
	URL          string
	Account      Account
	Cover        string
	HTML         string // the domain's sanitised HTML, shown as it is
	ISO          string
	Date         string
	Draft        bool
	Reads        int
	Likes        int
	Wows         int
	Liked        bool
	Wowed        bool
	CommentsOpen bool
	Comments     []Comment
	ShareURL     string // "" signed out
	MomentsURL   string
	ReportURL    string
	Text         string // a refused comment, to send again
	Error        string
	Flash        layout.Flash
}

// Share picks the chats to send an article into.
type Share struct {
	Article ArticleItem
	Account string
	Action  string
	Moments string
	Token   string // the form's one-time id
	Chats   []Pick
	Max     int
	Error   string
}

// Pick is a chat (or a friend without one) a share may go to.
type Pick struct {
	ID      string
	Label   string
	Avatar  string
	Initial string
}
