package channelsweb

import (
	"net/url"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/channels"
	"plaza/hooks/contacts"
)

// The shapes of Channels' JSON API (docs/API.md, "Channels"): the
// domain's values plus the URLs that serve their pictures and pages, and
// members named as the viewer knows them.

// PersonJSON is a member as the viewer is shown them: the remark the
// viewer gave a friend, else the member's name (accounts.ShownName).
type PersonJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ChannelJSON is a channel's profile with its avatar's address ("" when
// it has none).
type ChannelJSON struct {
	channels.Channel
	Avatar string `json:"avatar"`
}

// MediaJSON is a post's photo or video with the URLs that serve it.
type MediaJSON struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	DurationMs int    `json:"duration_ms,omitempty"`
	Mime       string `json:"mime"`
	URL        string `json:"url"`
	Thumb      string `json:"thumb"`
	Poster     string `json:"poster,omitempty"` // a video's poster frame
}

// PostJSON is a post in the JSON API.
type PostJSON struct {
	ID           string       `json:"id"`
	URL          string       `json:"url"` // its public page
	Channel      ChannelJSON  `json:"channel"`
	Caption      string       `json:"caption"`
	Location     string       `json:"location"`
	Tags         []string     `json:"tags"`
	MediaKind    string       `json:"media_kind"`
	Media        []MediaJSON  `json:"media"`
	Posted       time.Time    `json:"posted"`
	Edited       bool         `json:"edited"`
	Likes        int          `json:"likes"`
	Comments     int          `json:"comments"`
	Views        int          `json:"views"`
	Liked        bool         `json:"liked"`
	Favourited   bool         `json:"favourited"`
	FriendsLiked []PersonJSON `json:"friends_liked"` // the viewer's friends who like it, latest first
}

// CommentJSON is a comment, with its replies when it is a top-level one.
type CommentJSON struct {
	ID      string        `json:"id"`
	Author  PersonJSON    `json:"author"`
	ReplyTo *PersonJSON   `json:"reply_to"` // the member answered, or null
	Text    string        `json:"text"`
	Pinned  bool          `json:"pinned"`
	At      time.Time     `json:"at"`
	Replies []CommentJSON `json:"replies"`
}

// channelJSON adds the avatar's address to a channel.
func channelJSON(c channels.Channel) ChannelJSON {
	out := ChannelJSON{Channel: c}
	if c.HasAvatar {
		out.Avatar = "/c/" + url.PathEscape(c.Handle) + "/avatar"
	}
	return out
}

// apiNames resolves member ids to the names one viewer is shown, in two
// queries.
type apiNames map[string]PersonJSON

func apiNamesFor(app core.App, viewerID string, ids []string) (apiNames, error) {
	ids = apiDistinct(ids)
	members, err := accounts.Members(app, ids)
	if err != nil {
		return nil, err
	}
	remarks := map[string]string{}
	if viewerID != "" {
		if remarks, err = contacts.RemarksFor(app, viewerID, ids); err != nil {
			return nil, err
		}
	}
	out := make(apiNames, len(members))
	for id, m := range members {
		out[id] = PersonJSON{ID: id, Name: accounts.ShownName(remarks[id], "", m.DisplayName())}
	}
	return out, nil
}

// of is the person of id (a bare one for a member who has gone).
func (n apiNames) of(id string) PersonJSON {
	if p, ok := n[id]; ok {
		return p
	}
	return PersonJSON{ID: id}
}

func apiDistinct(ids []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// postsJSON turns posts into their JSON for viewerID ("" signed out).
func postsJSON(app core.App, viewerID string, posts []channels.Post) ([]PostJSON, error) {
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.FriendsLiked...)
	}
	nn, err := apiNamesFor(app, viewerID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]PostJSON, 0, len(posts))
	for _, p := range posts {
		out = append(out, nn.post(p))
	}
	return out, nil
}

func (n apiNames) post(p channels.Post) PostJSON {
	out := PostJSON{ID: p.ID, URL: channels.PostPath(p.Channel.Handle, p.ID), Channel: channelJSON(p.Channel),
		Caption: p.Caption, Location: p.Location, Tags: p.Tags, MediaKind: p.MediaKind, Media: make([]MediaJSON, 0, len(p.Media)),
		Posted: p.Posted, Edited: p.Edited, Likes: p.Likes, Comments: p.Comments, Views: p.Views, Liked: p.Liked,
		Favourited: p.Favourited, FriendsLiked: make([]PersonJSON, 0, len(p.FriendsLiked))}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	for _, m := range p.Media {
		j := MediaJSON{ID: m.ID, Kind: m.Kind, Width: m.Width, Height: m.Height, DurationMs: m.DurationMs, Mime: m.Mime,
			URL: channels.MediaPath(m.ID), Thumb: channels.MediaPath(m.ID) + "?v=thumb"}
		if m.HasPoster {
			j.Poster = channels.MediaPath(m.ID) + "?v=poster"
		}
		out.Media = append(out.Media, j)
	}
	for _, id := range p.FriendsLiked {
		out.FriendsLiked = append(out.FriendsLiked, n.of(id))
	}
	return out
}

// commentsJSON turns comments (and their replies) into their JSON.
func commentsJSON(app core.App, viewerID string, list []channels.Comment) ([]CommentJSON, error) {
	var ids []string
	var collect func([]channels.Comment)
	collect = func(cs []channels.Comment) {
		for _, c := range cs {
			ids = append(ids, c.Author, c.ReplyTo)
			collect(c.Replies)
		}
	}
	collect(list)
	nn, err := apiNamesFor(app, viewerID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CommentJSON, 0, len(list))
	for _, c := range list {
		out = append(out, nn.comment(c))
	}
	return out, nil
}

func (n apiNames) comment(c channels.Comment) CommentJSON {
	j := CommentJSON{ID: c.ID, Author: n.of(c.Author), Text: c.Text, Pinned: c.Pinned, At: c.At, Replies: make([]CommentJSON, 0, len(c.Replies))}
	if c.ReplyTo != "" {
		r := n.of(c.ReplyTo)
		j.ReplyTo = &r
	}
	for _, r := range c.Replies {
		j.Replies = append(j.Replies, n.comment(r))
	}
	return j
}
