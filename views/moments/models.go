// Package moments renders Moments' pages: the feed with its cover, one
// post, the compose form, an album, the notification list and the
// settings. The handlers in hooks/moments/momentsweb build these models;
// views never decide who sees what (the domain did).
package moments

import "plaza/views/layout"

// Person is a member as the viewer names them (their remark rule).
type Person struct {
	ID      string
	Name    string
	Avatar  string // thumbnail URL, "" without one
	Initial string
}

// Media is one photo or the video of a post.
type Media struct {
	ID     string
	Kind   string // "photo" or "video"
	Width  int
	Height int
	URL    string // the full photo, or the video
	Thumb  string
	Poster string // a video's poster frame
	Alt    string // "Photo 2 of 4"
	Length string // a video's duration, "0:42"
}

// Comment is one comment or reply as the viewer sees it.
type Comment struct {
	ID        string
	Author    Person
	ReplyTo   *Person // "B replied to C"
	Text      string
	CanDelete bool // its author, or the post's author
	Mine      bool // the viewer wrote it (others may report it)
}

// Post is one post with the likes and comments the viewer may see.
type Post struct {
	ID         string
	Author     Person
	Text       string
	Location   string
	Visibility string // the author's own posts only: "all", "private", "include", "exclude"
	Mine       bool
	Reminds    []Person
	Media      []Media
	Video      bool
	PostedISO  string // RFC 3339, UTC
	Ago        string // "5 minutes ago" ("" for old posts: the date shows)
	DateUTC    string // the date as a fallback without script
	Likes      []Person
	Liked      bool
	Comments   []Comment
	Next       string // where a form goes back to without script (this page)
	ReplyTo    string // the comment being answered (?reply=), without script
	ReplyName  string
	Error      string // a refused action's message, under the post
	Share      *Shared
}

// Shared is another module's card inside a post (a Channels post).
type Shared struct {
	Label string // the module's name ("Channels")
	Title string
	Sub   string
	Image string
	Link  string
	Gone  bool // its object was taken down or deleted
}

// GridClass is the photo grid of n photos: one large, four in 2×2, else
// three columns.
func GridClass(n int) string {
	switch n {
	case 1:
		return "grid grid-cols-1 max-w-60"
	case 2, 4:
		return "grid grid-cols-2 gap-1 max-w-44"
	default:
		return "grid grid-cols-3 gap-1 max-w-64"
	}
}

// Header is the cover at the top of the feed and of an album.
type Header struct {
	Owner Person
	Cover string // the cover photo URL, "" for the plain background
	Mine  bool
}

// Feed is the Moments feed.
type Feed struct {
	Header Header
	Posts  []Post
	More   string // URL of the next page's fragment, "" at the end
	Unread int    // unread notifications
	Flash  layout.Flash
}

// Page is a fragment of posts (infinite scroll).
type Page struct {
	Posts []Post
	More  string
}

// AlbumDay is one post in an album, by day.
type AlbumDay struct {
	Post   Post
	Day    string // "27" (UTC; moments.js redraws it in the viewer's zone)
	Month  string // "Nov"
	NewDay bool   // the first post of its day: the date shows
	Thumb  string // the first photo's thumb
	Count  int    // photos
}

// Album is a member's posts by day.
type Album struct {
	Header  Header
	Days    []AlbumDay
	More    string
	Limited bool   // "Only showing recent posts"
	Range   string // the owner's range, for the line's wording
}

// AlbumPage is a fragment of an album (infinite scroll).
type AlbumPage struct {
	Days []AlbumDay
	More string
}

// Note is one notification.
type Note struct {
	Kind    string // like, comment, reply, remind
	Actor   Person
	PostURL string
	Text    string
	At      string // RFC 3339
	Ago     string
	Unread  bool
}

// Notes is the notification list.
type Notes struct {
	Notes []Note
}

// Choice is a friend or a tag to tick on the compose form.
type Choice struct {
	ID      string
	Name    string
	Avatar  string
	Initial string
	Checked bool
}

// Compose is the new-post form.
type Compose struct {
	Text       string
	Location   string
	Visibility string
	Friends    []Choice // for members
	Tags       []Choice
	Reminds    []Choice
	Errors     []layout.FieldError
	Flash      layout.Flash
	MaxText    int
	MaxPhotos  int
	MaxReminds int
	VideoMB    int
	Share      *Shared // a card being shared (hidden fields carry its type and ref)
	ShareType  string
	ShareRef   string
}

// Settings is the Moments settings form.
type Settings struct {
	Range        string
	StrangersTen bool
	Cover        string
	Flash        layout.Flash
	Errors       []layout.FieldError
}
