// Package contacts renders the Contacts tab, person cards, New Friends,
// tags, the add-me QR code, the Scan page and the privacy settings.
package contacts

import "plaza/views/layout"

// Person is a member as a card shows them.
type Person struct {
	ID        string
	PlazaID   string
	Name      string // their own display name
	Label     string // what the viewer calls them (remark, else name)
	AvatarURL string
	Initial   string
	Region    string
	Signature string
}

// Entry is one row of a contact list.
type Entry struct {
	ID        string
	Label     string
	AvatarURL string
	Initial   string
}

// Section is one index letter's friends.
type Section struct {
	Letter  string
	Entries []Entry
}

// List is the Contacts tab's list pane.
type List struct {
	NewFriends int
	Starred    []Entry
	Sections   []Section
	Total      int
	Active     string // id or entry name highlighted
}

// TagChoice is a tag with whether it applies.
type TagChoice struct {
	ID      string
	Name    string
	Checked bool
}

// Card is a person's card with the actions that fit the relation.
type Card struct {
	Person
	Self     bool
	Friend   bool
	Blocked  bool
	Remark   string // the viewer's remark when friends
	Outgoing bool   // the viewer's request is pending
	// IncomingID is their pending request to the viewer ("" when none).
	IncomingID       string
	IncomingGreeting string
	// For the add form: how the viewer found them and the proof of it.
	Source          string
	Proof           string
	DefaultGreeting string
	Tags            []TagChoice
	Flash           layout.Flash
	Errors          []layout.FieldError
}

// RequestItem is one row of New Friends.
type RequestItem struct {
	ID       string
	Person   Person
	Greeting string
	Incoming bool
	Status   string // pending, accepted, ignored
	Expired  bool
}

// Edit is the remark / tags / permissions form for a friend.
type Edit struct {
	Person
	Remark     string
	Tags       []TagChoice
	Starred    bool
	ChatOnly   bool
	HideMine   bool
	HideTheirs bool
	Flash      layout.Flash
	Errors     []layout.FieldError
}

// TagRow is a tag with its friend count.
type TagRow struct {
	ID    string
	Name  string
	Count int
}

// Tags is the tag manager.
type Tags struct {
	Tags   []TagRow
	Flash  layout.Flash
	Errors []layout.FieldError
}

// Tag is one tag with its friends.
type Tag struct {
	ID      string
	Name    string
	Entries []Entry
	Flash   layout.Flash
	Errors  []layout.FieldError
}

// QR is the My QR code page.
type QR struct {
	Person
	ImageURL     string
	DownloadName string
	Flash        layout.Flash
}

// Scan is the Scan page.
type Scan struct {
	Flash layout.Flash
}

// Privacy is the privacy settings page.
type Privacy struct {
	FindByID     bool
	FindByEmail  bool
	FindByQR     bool
	FindByGroup  bool
	ShowTyping   bool
	ShowPresence bool
	ReadReceipts bool
	Blocked      []Entry
	Flash        layout.Flash
}
