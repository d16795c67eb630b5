package momentsweb

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/moments"
)

// Person is a member as the viewer knows them: the remark they gave a
// friend, else the member's name.
type Person struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Avatar string `json:"avatar"` // thumbnail URL, "" without an avatar
}

// people resolves member ids to Persons for one viewer, in two queries.
type people map[string]Person

func peopleFor(app core.App, viewerID string, ids []string) (people, error) {
	members, err := accounts.Members(app, ids)
	if err != nil {
		return nil, err
	}
	remarks, err := contacts.RemarksFor(app, viewerID, ids)
	if err != nil {
		return nil, err
	}
	out := make(people, len(members))
	for id, m := range members {
		out[id] = Person{ID: id, Name: accounts.ShownName(remarks[id], "", m.DisplayName()), Avatar: m.AvatarURL("96x96")}
	}
	return out, nil
}

// of is the Person of id (a bare one for a member who has gone).
func (p people) of(id string) Person {
	if x, ok := p[id]; ok {
		return x
	}
	return Person{ID: id}
}

// idsIn are every member a page of posts names.
func idsIn(posts []moments.Post, extra ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, id := range extra {
		add(id)
	}
	for _, p := range posts {
		add(p.Author)
		for _, id := range p.Reminds {
			add(id)
		}
		for _, id := range p.Likes {
			add(id)
		}
		for _, c := range p.Comments {
			add(c.Author)
			add(c.ReplyTo)
		}
	}
	return out
}

// PostJSON is a post in the JSON API.
type PostJSON struct {
	ID         string        `json:"id"`
	Author     Person        `json:"author"`
	Text       string        `json:"text"`
	Location   string        `json:"location"`
	Visibility string        `json:"visibility,omitempty"` // the author's own posts only
	Reminds    []Person      `json:"reminds"`
	Media      []MediaJSON   `json:"media"`
	Posted     time.Time     `json:"posted"`
	Likes      []Person      `json:"likes"`
	Liked      bool          `json:"liked"`
	Comments   []CommentJSON `json:"comments"`
	// Share is a card the post shares (a Channels post): type, ref, title,
	// sub, img, link, and state ("gone" once its object was taken down).
	Share *moments.SharedCard `json:"share"`
}

// MediaJSON is one photo or video of a post, with the URLs that serve it
// to those who may see the post.
type MediaJSON struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Width      int    `json:"width"`
	Height     int    `json:"height"`
	DurationMs int    `json:"duration_ms,omitempty"`
	URL        string `json:"url"`
	Thumb      string `json:"thumb"`
	Poster     string `json:"poster,omitempty"`
}

// CommentJSON is a comment or a reply.
type CommentJSON struct {
	ID      string    `json:"id"`
	Author  Person    `json:"author"`
	ReplyTo *Person   `json:"reply_to"`
	Text    string    `json:"text"`
	At      time.Time `json:"at"`
}

// mediaURL is where Moments serves a media file (checked on every fetch).
func mediaURL(id, variant string) string {
	if variant == "" {
		return "/moments/media/" + id
	}
	return "/moments/media/" + id + "?v=" + variant
}

func (pp people) post(p moments.Post) PostJSON {
	out := PostJSON{ID: p.ID, Author: pp.of(p.Author), Text: p.Text, Location: p.Location, Visibility: p.Visibility,
		Posted: p.Posted, Liked: p.Liked, Reminds: []Person{}, Media: []MediaJSON{}, Likes: []Person{}, Comments: []CommentJSON{},
		Share: p.Share}
	for _, id := range p.Reminds {
		out.Reminds = append(out.Reminds, pp.of(id))
	}
	for _, m := range p.Media {
		j := MediaJSON{ID: m.ID, Kind: m.Kind, Width: m.Width, Height: m.Height, DurationMs: m.DurationMs,
			URL: mediaURL(m.ID, ""), Thumb: mediaURL(m.ID, "thumb")}
		if m.HasPoster {
			j.Poster = mediaURL(m.ID, "poster")
		}
		out.Media = append(out.Media, j)
	}
	for _, id := range p.Likes {
		out.Likes = append(out.Likes, pp.of(id))
	}
	for _, c := range p.Comments {
		out.Comments = append(out.Comments, pp.comment(c))
	}
	return out
}

func (pp people) comment(c moments.Comment) CommentJSON {
	j := CommentJSON{ID: c.ID, Author: pp.of(c.Author), Text: c.Text, At: c.At}
	if c.ReplyTo != "" {
		r := pp.of(c.ReplyTo)
		j.ReplyTo = &r
	}
	return j
}

// postsJSON resolves a page of posts for the viewer.
func postsJSON(app core.App, viewerID string, posts []moments.Post, extra ...string) ([]PostJSON, people, error) {
	pp, err := peopleFor(app, viewerID, idsIn(posts, extra...))
	if err != nil {
		return nil, nil, err
	}
	out := make([]PostJSON, 0, len(posts))
	for _, p := range posts {
		out = append(out, pp.post(p))
	}
	return out, pp, nil
}
