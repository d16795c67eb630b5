package channelsweb

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/feeds"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/web"
)

// Atom feeds: a channel's (/c/{handle}/feed.atom) and a hashtag's
// (/channels/tag/{tag}/feed.atom), the latest posts with absolute links,
// so a feed reader can follow a channel without an account. They are
// public pages like the others: cached by ETag for visitors, and a
// taken-down post leaves them at once (every read filters it).

// atomEntries is how many posts a feed holds.
const atomEntries = 20

// atomType is the feeds' content type.
const atomType = "application/atom+xml; charset=utf-8"

// atomEmptyUpdated is the <updated> of a feed without posts (any fixed
// time: the body, and so its ETag, stays the same).
var atomEmptyUpdated = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// channelAtom is GET /c/{handle}/feed.atom.
func (h handlers) channelAtom(e *core.RequestEvent) error {
	ch, err := h.ch.ByHandle("", e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	page, err := h.ch.ChannelPosts("", ch.Handle, "", atomEntries)
	if err != nil {
		return err
	}
	href := channelHref(ch.Handle)
	f := &feeds.Feed{Title: web.T(e, "channels.feed_of", map[string]any{"name": ch.Name}), Description: ch.Bio,
		Link: &feeds.Link{Href: web.SiteURL(e.App, href)}, Author: &feeds.Author{Name: ch.Name}}
	return answerAtom(e, f, page.Posts)
}

// tagAtom is GET /channels/tag/{tag}/feed.atom.
func (h handlers) tagAtom(e *core.RequestEvent) error {
	tag, err := tagOf(e)
	if tag == "" {
		return err
	}
	page, err := h.ch.Tagged("", tag, "", atomEntries)
	if err != nil {
		return err
	}
	href := "/channels/tag/" + url.PathEscape(tag)
	f := &feeds.Feed{Title: "#" + tag, Description: web.T(e, "channels.meta_tag", map[string]any{"tag": tag}),
		Link: &feeds.Link{Href: web.SiteURL(e.App, href)}}
	return answerAtom(e, f, page.Posts)
}

// answerAtom fills f with posts and answers it as Atom: cached by ETag
// for visitors, not stored for members.
func answerAtom(e *core.RequestEvent, f *feeds.Feed, posts []channels.Post) error {
	f.Updated = atomEmptyUpdated
	for _, p := range posts {
		f.Add(atomEntry(e, p))
		if p.Posted.After(f.Updated) {
			f.Updated = p.Posted
		}
	}
	atom := (&feeds.Atom{Feed: f}).AtomFeed()
	atom.Id = f.Link.Href
	body, err := feeds.ToXML(atom)
	if err != nil {
		return fmt.Errorf("atom feed: %w", err)
	}
	if pageViewer(e) == "" {
		return web.AnswerCached(e, atomType, []byte(body))
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	e.Response.Header().Set("X-Content-Type-Options", "nosniff")
	return e.Blob(http.StatusOK, atomType, []byte(body))
}

// atomEntry is one post as a feed entry: the caption as its summary, the
// caption and the picture (or the poster frame, linking to the video) as
// its HTML content, and the video as an enclosure.
func atomEntry(e *core.RequestEvent, p channels.Post) *feeds.Item {
	href := web.SiteURL(e.App, channels.PostPath(p.Channel.Handle, p.ID))
	title := clipText(p.Caption, 80)
	if title == "" {
		title = web.T(e, "channels.post_by", map[string]any{"name": p.Channel.Name})
	}
	it := &feeds.Item{Title: title, Link: &feeds.Link{Href: href}, Id: href, Created: p.Posted, Updated: p.Posted,
		Author: &feeds.Author{Name: p.Channel.Name}, Description: html.EscapeString(p.Caption)}
	var content strings.Builder
	if p.Caption != "" {
		content.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p.Caption), "\n", "<br>") + "</p>")
	}
	if len(p.Media) > 0 {
		first := p.Media[0]
		picture := web.SiteURL(e.App, mediaHref(first.ID, "medium"))
		fmt.Fprintf(&content, `<p><a href="%s"><img src="%s" alt="%s"></a></p>`, html.EscapeString(href), html.EscapeString(picture),
			html.EscapeString(title))
		if p.MediaKind == "video" {
			it.Enclosure = &feeds.Enclosure{Url: web.SiteURL(e.App, mediaHref(first.ID, "")), Type: first.Mime}
		}
	}
	it.Content = content.String()
	return it
}
