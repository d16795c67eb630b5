// Package channels renders Channels' pages: the public channel, post and
// hashtag pages (signed out too, with Open Graph tags), the members' feed
// with its Following, Friends and Popular tabs, their own channel, the
// compose form, stats drawn as SVG, search, favourites and sharing a post
// into a chat. The handlers in hooks/channels/channelsweb build these
// models; views never decide who sees what (the domain did).
package channels

import (
	"plaza/views/charts"
	"plaza/views/layout"
)

// Meta is what a public page says about itself in its head: the title
// and description, and its Open Graph and Twitter card tags. Every URL is
// absolute.
type Meta struct {
	Title       string
	Description string
	URL         string // the page's own address
	Type        string // og:type: "profile", "article", "video.other", "website"
	Image       string // a picture of the page ("" for none)
	Video       string // a video post's video
	VideoType   string // its MIME type
	VideoWidth  int
	VideoHeight int
	Feed        string // the page's Atom feed ("" for none)
	FeedTitle   string
	Site        string // the community's name
}

// Card is the twitter:card kind: a player for a video, a large picture
// otherwise.
func (m Meta) Card() string {
	if m.Video != "" {
		return "player"
	}
	return "summary_large_image"
}

// Channel is a channel's profile as a page shows it.
type Channel struct {
	Handle    string
	Name      string
	Bio       string
	Verified  bool
	Followers int
	Posts     int
	Avatar    string // its picture's URL, "" for the initial
	Initial   string
	URL       string // its public page
	Feed      string // its Atom feed
	Following bool   // the viewer follows it
	Mine      bool   // the viewer owns it
	SignIn    string // a signed-out viewer's way to sign in and come back; "" for a member
	Next      string // where the follow form returns without script
}

// Person is a member as the viewer names them (comments, "♥ by").
type Person struct {
	ID      string
	Name    string
	Avatar  string
	Initial string
}

// Span is a piece of a caption: text, or a #hashtag linking to its page.
type Span struct {
	Text string
	Tag  string // the hashtag's page when this span is a hashtag
}

// Media is one photo or the video of a post.
type Media struct {
	ID     string
	Kind   string // "photo" or "video"
	Width  int
	Height int
	URL    string // the full photo, or the video
	Thumb  string // a square 360 px picture
	Medium string // 720 px wide
	Poster string // a video's poster frame
	Mime   string
	Alt    string
	Length string // a video's duration, "0:42"
}

// Post is one post as the viewer sees it.
type Post struct {
	ID          string
	URL         string // its public page
	Channel     Channel
	Caption     []Span
	Text        string // the caption as plain text
	Location    string
	Video       bool
	Media       []Media
	PostedISO   string // RFC 3339, UTC
	Date        string // YYYY-MM-DD (UTC; the page shows it in the viewer's zone)
	Ago         string // "5 minutes ago" for a member ("" for older posts and signed out)
	Edited      bool
	Likes       int
	Comments    int
	Views       int // shown to the owner only
	Liked       bool
	Favourited  bool
	FriendsLine string // "♥ by Alice and 2 friends", "" for none
	Mine        bool
	SignIn      string // signed out: where each action leads; "" for a member
	Next        string // where an action's form returns without script
}

// Tile is a post in a grid (a channel's page, a hashtag's page).
type Tile struct {
	URL    string
	Thumb  string // "" for a post without a picture
	Alt    string
	Video  bool
	Count  int    // photos
	Length string // a video's duration
	Likes  int
}

// Grid is a page of tiles and the address of the next.
type Grid struct {
	Tiles []Tile
	More  string
}

// Profile is a channel's public page.
type Profile struct {
	Channel Channel
	Grid    Grid
	Flash   layout.Flash
}

// TagPage is a hashtag's public page.
type TagPage struct {
	Tag  string
	Feed string
	Grid Grid
}

// Comment is a comment or a reply as the viewer sees it.
type Comment struct {
	ID        string
	PostID    string
	Author    Person
	ReplyTo   *Person // a reply names whom it answers
	Text      string
	Pinned    bool
	AtISO     string
	Date      string
	Ago       string
	CanDelete bool // its author, or the post's creator
	CanPin    bool // the post's creator, on a top-level comment
	CanReport bool // a member who did not write it
	CanReply  bool // a member
	Replies   []Comment
	Next      string // where its forms return without script
}

// PostPage is a post's public page: the post, its comments (pinned
// first) and the comment form.
type PostPage struct {
	Post      Post
	Comments  []Comment
	More      string // the next page of comments
	ReplyTo   string // the comment being answered (?reply=), without script
	ReplyName string
	Text      string // a refused comment's text, to try again
	Error     string // a refused action's message
	Flash     layout.Flash
}

// CommentPage is a page of comments (infinite scroll).
type CommentPage struct {
	Comments []Comment
	More     string
}

// Feed is the members' Channels page: its tabs and a page of posts.
type Feed struct {
	Tab        string // "following", "friends", "popular"
	Cards      Cards
	HasChannel bool
	Flash      layout.Flash
}

// Cards is a page of post cards and the address of the next.
type Cards struct {
	Posts []Post
	More  string
}

// Favourites is the posts the member saved.
type Favourites struct {
	Cards Cards
}

// Search is the search page and what it found.
type Search struct {
	Query    string
	Channels []Channel
	Posts    Grid
	Searched bool
}

// ProfileForm opens a channel or edits it.
type ProfileForm struct {
	Create  bool
	Handle  string
	Name    string
	Bio     string
	Avatar  string // the current picture's URL
	Initial string
	MaxName int
	MaxBio  int
	Errors  []layout.FieldError
	Flash   layout.Flash
}

// Mine is the member's own channel page: its profile, the tools and the
// posts.
type Mine struct {
	Channel Channel
	Grid    Grid
	Flash   layout.Flash
}

// Compose is the new-post form.
type Compose struct {
	Caption    string
	Location   string
	MaxCaption int
	MaxPhotos  int
	VideoMB    int
	Errors     []layout.FieldError
	Flash      layout.Flash
}

// EditCaption is the caption form of a post.
type EditCaption struct {
	Post       Post
	Caption    string
	MaxCaption int
	Errors     []layout.FieldError
}

// Pick is a chat to share a post into.
type Pick struct {
	ID      string
	Label   string
	Avatar  string
	Initial string
}

// Share picks the chats to send a post into.
type Share struct {
	Post  Post
	Token string // the form's one-time id
	Chats []Pick
	Max   int
	Error string
}

// Stats is a creator's 30 days.
type Stats struct {
	Channel   Channel
	Followers int // now
	Posts     int
	Views     int // over the days shown
	Gained    int // followers gained over the days shown
	Lost      int
	ViewsBy   charts.Chart
	FollowBy  charts.Chart
	Days      []StatDay
}

// StatDay is one row of the stats table.
type StatDay struct {
	Day       string
	Views     int
	Followers int
}
