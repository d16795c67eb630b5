package channelsweb

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// Presenters turn what the domain returned (already filtered by its
// rules: a taken-down post never reaches them) into the views' models:
// member names by the viewer's remark rule, addresses, captions cut into
// text and hashtags. They never filter.

// pageViewer is the signed-in member's id, "" for a visitor.
func pageViewer(e *core.RequestEvent) string {
	if m := web.Member(e); m != nil {
		return m.Id
	}
	return ""
}

// signInFor is a visitor's way to sign in and come back to next; "" for
// a member (who acts instead).
func signInFor(e *core.RequestEvent, next string) string {
	if pageViewer(e) != "" {
		return ""
	}
	return "/login?next=" + url.QueryEscape(next)
}

// channelHref is a channel's public page.
func channelHref(handle string) string { return "/c/" + url.PathEscape(handle) }

// mediaHref is where a media file is served: v is "", "thumb", "medium"
// or "poster".
func mediaHref(id, v string) string {
	if v == "" {
		return channels.MediaPath(id)
	}
	return channels.MediaPath(id) + "?v=" + v
}

// letterOf is the letter on a picture-less avatar.
func letterOf(name string) string {
	for _, r := range name {
		return string(unicode.ToUpper(r))
	}
	return "?"
}

// pageChannel is a channel for the views; next is where its follow form
// returns without script.
func pageChannel(e *core.RequestEvent, c channels.Channel, next string) views.Channel {
	href := channelHref(c.Handle)
	v := views.Channel{Handle: c.Handle, Name: c.Name, Bio: c.Bio, Verified: c.Verified, Followers: c.Followers, Posts: c.Posts,
		Initial: letterOf(c.Name), URL: href, Feed: href + "/feed.atom", Following: c.Following, Mine: c.Mine,
		SignIn: signInFor(e, href), Next: next}
	if c.HasAvatar {
		v.Avatar = href + "/avatar"
	}
	return v
}

// pagePost is one post for the viewer; next is the page its forms return
// to without script.
func pagePost(e *core.RequestEvent, pp pageNames, p channels.Post, next string) views.Post {
	href := channels.PostPath(p.Channel.Handle, p.ID)
	out := views.Post{ID: p.ID, URL: href, Channel: pageChannel(e, p.Channel, next), Caption: captionSpans(p.Caption, p.Tags),
		Text: p.Caption, Location: p.Location, Video: p.MediaKind == "video", PostedISO: p.Posted.UTC().Format(time.RFC3339),
		Date: p.Posted.UTC().Format("2006-01-02"), Edited: p.Edited, Likes: p.Likes, Comments: p.Comments, Views: p.Views,
		Liked: p.Liked, Favourited: p.Favourited, Mine: p.Channel.Mine, SignIn: signInFor(e, href), Next: next}
	if pageViewer(e) != "" {
		out.Ago = agoText(e, p.Posted)
	}
	for i, m := range p.Media {
		v := views.Media{ID: m.ID, Kind: m.Kind, Width: m.Width, Height: m.Height, Mime: m.Mime, URL: mediaHref(m.ID, ""),
			Thumb: mediaHref(m.ID, "thumb"), Medium: mediaHref(m.ID, "medium"),
			Alt: web.T(e, "channels.photo_alt", map[string]any{"name": p.Channel.Name, "n": i + 1, "total": len(p.Media)})}
		if m.HasPoster {
			v.Poster = mediaHref(m.ID, "poster")
		}
		v.Length = clipLength(m.DurationMs)
		out.Media = append(out.Media, v)
	}
	out.FriendsLine = friendsLine(e, pp, p.FriendsLiked)
	return out
}

// pagePosts are a page of posts for the viewer, with the names of the
// friends who like them.
func pagePosts(e *core.RequestEvent, posts []channels.Post, next string) ([]views.Post, error) {
	var ids []string
	for _, p := range posts {
		if len(p.FriendsLiked) > 0 {
			ids = append(ids, p.FriendsLiked[0])
		}
	}
	pp, err := pageNamesFor(e.App, pageViewer(e), ids)
	if err != nil {
		return nil, err
	}
	out := make([]views.Post, 0, len(posts))
	for _, p := range posts {
		out = append(out, pagePost(e, pp, p, next))
	}
	return out, nil
}

// friendsLine is "♥ by Alice", or "♥ by Alice and 2 friends": the latest
// friend who likes the post as the viewer names them.
func friendsLine(e *core.RequestEvent, pp pageNames, friends []string) string {
	if len(friends) == 0 {
		return ""
	}
	name := pp.of(friends[0]).Name
	if len(friends) == 1 {
		return web.T(e, "channels.liked_by_one", map[string]any{"name": name})
	}
	return web.T(e, "channels.liked_by_more", map[string]any{"name": name, "count": len(friends) - 1})
}

// pageTiles are posts as grid tiles.
func pageTiles(e *core.RequestEvent, posts []channels.Post) []views.Tile {
	out := make([]views.Tile, 0, len(posts))
	for _, p := range posts {
		t := views.Tile{URL: channels.PostPath(p.Channel.Handle, p.ID), Alt: clipText(p.Caption, 120), Video: p.MediaKind == "video",
			Count: len(p.Media), Likes: p.Likes}
		if t.Alt == "" {
			t.Alt = web.T(e, "channels.post_by", map[string]any{"name": p.Channel.Name})
		}
		if len(p.Media) > 0 {
			t.Thumb = mediaHref(p.Media[0].ID, "thumb")
			t.Length = clipLength(p.Media[0].DurationMs)
		}
		out = append(out, t)
	}
	return out
}

// length is a video's duration as "1:05" ("" for none).
func clipLength(ms int) string {
	if ms <= 0 {
		return ""
	}
	s := (ms + 500) / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// captionSpans cuts a caption into text and hashtags by the domain's rule
// (channels.Tags: '#' then letters, digits or '_', not after one of
// those); a hashtag links to its page when the post is indexed under it.
func captionSpans(caption string, tags []string) []views.Span {
	indexed := map[string]bool{}
	for _, t := range tags {
		indexed[t] = true
	}
	var out []views.Span
	rs := []rune(caption)
	start := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] != '#' || (i > 0 && captionTagRune(rs[i-1])) {
			continue
		}
		j := i + 1
		for j < len(rs) && captionTagRune(rs[j]) {
			j++
		}
		tag := strings.ToLower(string(rs[i+1 : j]))
		if j == i+1 || !indexed[tag] {
			continue
		}
		if i > start {
			out = append(out, views.Span{Text: string(rs[start:i])})
		}
		out = append(out, views.Span{Text: string(rs[i:j]), Tag: tag})
		start, i = j, j-1
	}
	if start < len(rs) {
		out = append(out, views.Span{Text: string(rs[start:])})
	}
	return out
}

func captionTagRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

// ago is a time as a member is shown it: "just now", "5 minutes ago", "3
// hours ago", "Yesterday", "4 days ago"; "" after a week (the date shows,
// in the viewer's zone).
func agoText(e *core.RequestEvent, t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return web.T(e, "moments.just_now")
	case d < time.Hour:
		return web.T(e, "moments.minutes_ago", map[string]any{"count": int(d / time.Minute)})
	case d < 24*time.Hour:
		return web.T(e, "moments.hours_ago", map[string]any{"count": int(d / time.Hour)})
	case d < 48*time.Hour:
		return web.T(e, "moments.yesterday")
	case d < 7*24*time.Hour:
		return web.T(e, "moments.days_ago", map[string]any{"count": int(d / (24 * time.Hour))})
	}
	return ""
}
