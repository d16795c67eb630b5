// Package layout holds Plaza's page frame: the HTML document, the app shell
// with its tabs and panes, and small shared components. Views take the view
// models below, never records or the app.
package layout

// Page is what every HTML document needs to know about the request.
type Page struct {
	Title     string // the page's own title; the community name is appended
	Lang      string // "en" or "zh"
	Theme     string // "", "light" or "dark" ("" follows the system)
	Community string // community name from the settings
}

// Viewer is the signed-in member as the shell shows them.
type Viewer struct {
	ID        string
	PlazaID   string
	Name      string
	AvatarURL string // thumbnail URL, "" when no avatar was uploaded
	Initial   string // shown when there is no avatar
}

// Tab names the shell's four main tabs.
type Tab string

// The shell's tabs, in order.
const (
	TabChats    Tab = "chats"
	TabContacts Tab = "contacts"
	TabDiscover Tab = "discover"
	TabMe       Tab = "me"
)

// Focus tells which pane a phone shows; wide screens show both.
type Focus string

// Pane focus values.
const (
	FocusList   Focus = "list"
	FocusDetail Focus = "detail"
)

// Shell describes one screen of the signed-in app.
type Shell struct {
	Page
	Viewer Viewer
	Tab    Tab
	Focus  Focus
	Back   string // URL of the back arrow on phones when Focus is detail
	Badges map[Tab]int
}

// FieldError is a message shown under a form field.
type FieldError struct {
	Field   string
	Message string
}

// Flash is a one-line notice shown at the top of a form.
type Flash struct {
	Kind    string // "error" or "ok"
	Message string
}
