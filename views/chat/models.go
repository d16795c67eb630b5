// Package chat renders the chat list and a conversation.
package chat

import "plaza/views/layout"

// Row is one chat in the list.
type Row struct {
	ID        string
	Title     string
	AvatarURL string
	Initial   string
	Preview   string
	When      string
	Unread    int64
	Mentioned bool // an unread message @-mentions the viewer
	Muted     bool
	Pinned    bool
	Group     bool
	Collage   []Face // a group's picture: up to nine members' faces
	Folder    string // a module's folder row (module.ChatFolder): its id
	Href      string // a folder row's link
	Dot       bool   // a folder row: something new (a dot, no count)
}

// Face is one member's picture (or initial) in a group's collage.
type Face struct {
	AvatarURL string
	Initial   string
}

// Bubble is one message in a conversation.
type Bubble struct {
	ID        string
	Seq       int64
	Mine      bool
	System    bool
	SenderID  string
	Href      string // where the avatar leads ("" : the sender's card, /u/<id>)
	Sender    string
	Name      string // the sender's name as the viewer knows them, also in 1:1 chats (Sender is "" there)
	AvatarURL string
	Initial   string
	Text      string
	Recalled  bool
	At        string // RFC 3339, formatted by the browser
	Quote     *Quote
	Mentioned bool // it @-mentions the viewer
	Read      bool // mine, and the 1:1 partner (who sends receipts) has read it
	Reactions []Chip
	Kind      string // text, image, file, card, system
	Media     *Media // image and file messages
	Card      *Card  // card messages
}

// Media is the picture or file of a message, served from /media/{ID}.
type Media struct {
	ID   string
	Name string
	Size string // for people ("2.4 MB")
	W, H int    // pictures
}

// Card is a card message: a typed box that opens Link.
type Card struct {
	Type      string
	Label     string // what kind of card, shown at its foot
	Title     string
	Sub       string
	Image     string
	Initial   string
	Link      string
	Ref       string // the object the card is about (live state updates find it by this)
	State     string // a money card's state as the viewer sees it ("" while it waits): accepted, returned, opened, all_claimed, expired
	StateText string // that state for people ("Opened")
}

// Chip is one emoji reaction on a message with its count.
type Chip struct {
	Emoji string
	Count int
	Mine  bool
}

// Quote is the quoted message shown above a reply.
type Quote struct {
	Sender string
	Text   string
}

// Conversation is an open chat.
type Conversation struct {
	Draft   string // the composer's text to start with (?text=: an Official Account's menu keyword)
	ID      string
	Title   string
	Group   bool
	Members int
	CanAll  bool   // the viewer may @All (group owner or admin)
	PeerID  string // the other member of a 1:1 chat
	// Presence of the 1:1 partner: Online, else LastSeen (RFC 3339) or ""
	// when hidden or unknown.
	Online   bool
	LastSeen string
	LastSeq  int64
	Bubbles  []Bubble
	People   []Person // members, so live messages show names and avatars
	Flash    string
	Emojis   []string // reactions on offer
	// Announcement is the group's announcement while the viewer has not
	// acknowledged it.
	Announcement string
	// ReadOnly is a service chat (Pay Notifications): no composer.
	ReadOnly bool
	// AccountHref is, in a chat with an Official Account, its profile:
	// the account's avatars lead there, and no money or contact card is
	// offered.
	AccountHref string
	// CardLabels names the card types other modules registered, for cards
	// that arrive live.
	CardLabels map[string]string
}

// Person is a member of the conversation as the viewer sees them.
type Person struct {
	ID        string
	Name      string
	AvatarURL string
	Initial   string
}

// Pick is a friend who can be ticked into a new group.
type Pick struct {
	ID        string
	Label     string
	AvatarURL string
	Initial   string
	Checked   bool
}

// NewGroup is the "start a group chat" form.
type NewGroup struct {
	Name    string
	Friends []Pick
	Error   string
}

// GroupQR is a group's join code page.
type GroupQR struct {
	ID       string
	Name     string
	ImageURL string
	Expires  string // RFC 3339
}

// JoinCard is what someone who scanned a group's code sees.
type JoinCard struct {
	ID      string
	Name    string
	Members int
	Proof   string // the scanned link, posted back to join
	Notice  string // e.g. "your request waits for approval"
}

// InfoMember is a member as the chat info page lists them.
type InfoMember struct {
	ID        string
	Name      string
	AvatarURL string
	Initial   string
	Role      string // owner, admin, member
}

// Info is the chat info page: members, group settings, my settings.
type Info struct {
	ID           string
	Title        string
	Group        bool
	Name         string
	Announcement string
	Alias        string
	MyID         string
	MyRole       string
	Pinned       bool
	Muted        bool
	Members      []InfoMember
	Invitable    []Pick
	Flash        string
	Notice       string // a success message

	InviteApproval bool          // new members wait for the owner or an admin
	Requests       []InfoRequest // waiting (shown to the owner and admins)
	// Who has read the announcement (owner and admins see it).
	AnnouncementRead    []string // names
	AnnouncementMembers int
}

// InfoRequest is an invitation waiting for approval.
type InfoRequest struct {
	ID      string
	Inviter string
	Invitee string
	Self    bool // joined by QR code: no one invited them
}

// Result is a found message with the part that matched.
type Result struct {
	ConvID string
	Chat   string
	Sender string
	Before string
	Match  string
	After  string
	Seq    int64
	At     string
	Media  *Media // image and file results
}

// Results is the chat history search page.
type Results struct {
	Query  string
	ConvID string // searching one chat
	Chat   string
	Kind   string // "" (text), image, file, link
	Items  []Result
}

// ReportForm asks why something is reported.
type ReportForm struct {
	Action  string // where the form posts
	Subject string // the message text or the person's name
	Reason  string
	Note    string
	Done    bool
	Errors  []layout.FieldError
	Back    string
}

// Forward picks the chats to forward some messages to.
type Forward struct {
	From     string
	Messages []string // ids
	Count    int      // messages to forward
	Token    string   // one-time form id
	Chats    []Pick
	Error    string
}

// History is a merged forward opened: the messages it carries.
type History struct {
	Title string
	Items []HistoryItem
}

// HistoryItem is one message of a merged forward.
type HistoryItem struct {
	Sender string
	Text   string
	At     string // RFC 3339
}

// Favourite is one saved message.
type Favourite struct {
	ID     string
	Sender string
	Kind   string
	Text   string
	Media  *Media // image and file: served from FileURL
	Card   *Card
	At     string
	// FileURL opens the saved picture or file.
	FileURL string
}

// CardPick chooses a friend whose contact card to send.
type CardPick struct {
	Conv    string
	Token   string // one-time form id
	Friends []Pick
	Error   string
}
