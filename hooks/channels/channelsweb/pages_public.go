package channelsweb

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/channels"
	"plaza/hooks/web"
	views "plaza/views/channels"
)

// The public pages: a channel, a post, a hashtag. Visitors read them
// signed out (with a sign-in prompt where members act); a link to one
// previews anywhere by its Open Graph and Twitter card tags.

// Page sizes of the public pages.
const (
	gridPageSize    = 18 // tiles, six rows of three
	commentPageSize = 20 // top-level comments, with all their replies
)

// moreHref is the address of the page after next ("" at the end).
func moreHref(base, next string) string {
	if next == "" {
		return ""
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "after=" + url.QueryEscape(next)
}

// clipText cuts s to n characters with an ellipsis.
func clipText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// channelPage is GET /c/{handle}[?after=]: the channel's profile and its
// posts; htmx asks for the next tiles.
func (h handlers) channelPage(e *core.RequestEvent) error {
	after := e.Request.URL.Query().Get("after")
	me := pageViewer(e)
	ch, err := h.ch.ByHandle(me, e.Request.PathValue("handle"))
	if err != nil {
		return err
	}
	page, err := h.ch.ChannelPosts(me, ch.Handle, after, gridPageSize)
	if err != nil {
		return err
	}
	href := channelHref(ch.Handle)
	g := views.Grid{Tiles: pageTiles(e, page.Posts), More: moreHref(href, page.Next)}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.GridTiles(g))
	}
	body := views.ProfileView(views.Profile{Channel: pageChannel(e, ch, href), Grid: g})
	return publicScreen(e, ch.Name, "/channels", channelMeta(e, ch, page.Posts), body)
}

// channelMeta is what a channel's page says of itself to link previews.
func channelMeta(e *core.RequestEvent, ch channels.Channel, posts []channels.Post) views.Meta {
	href := channelHref(ch.Handle)
	m := views.Meta{Title: web.T(e, "channels.meta_channel_title", map[string]any{"name": ch.Name, "handle": ch.Handle}),
		Description: clipText(ch.Bio, 200), URL: web.SiteURL(e.App, href), Type: "profile",
		Feed: web.SiteURL(e.App, href+"/feed.atom"), FeedTitle: web.T(e, "channels.feed_of", map[string]any{"name": ch.Name})}
	if m.Description == "" {
		m.Description = web.T(e, "channels.meta_channel", map[string]any{"name": ch.Name, "count": ch.Posts})
	}
	switch {
	case ch.HasAvatar:
		m.Image = web.SiteURL(e.App, href+"/avatar")
	case len(posts) > 0 && len(posts[0].Media) > 0:
		m.Image = web.SiteURL(e.App, mediaHref(posts[0].Media[0].ID, "medium"))
	}
	return m
}

// postPage is GET /c/{handle}/p/{post}[?reply=][?after=]: the post with
// its first comments (a view queued: written within a second, off the
// request path); htmx asks for more comments.
func (h handlers) postPage(e *core.RequestEvent) error {
	p, err := h.ch.PostIn(pageViewer(e), e.Request.PathValue("handle"), e.Request.PathValue("post"))
	if err != nil {
		return err
	}
	if after := e.Request.URL.Query().Get("after"); web.IsHTMX(e) && after != "" {
		return h.moreComments(e, p, after)
	}
	if !p.Channel.Mine {
		viewer := channels.Viewer{MemberID: pageViewer(e), Addr: e.RealIP()}
		if err := h.ch.QueueView(viewer, p.ID); err != nil { // a view is not worth a broken page
			e.App.Logger().Warn("channels: count a view", "post", p.ID, "error", err.Error())
		}
	}
	v, err := h.postPageModel(e, p)
	if err != nil {
		return err
	}
	v.Flash = pageFlash(e, map[string]string{"saved": "channels.caption_saved"})
	return publicScreen(e, postTitle(e, p), channelHref(p.Channel.Handle), postMeta(e, p), views.PostPageView(v))
}

// postPageModel is a post's page for the viewer: the post, whether they
// follow its channel, its first comments and the comment being answered
// (?reply=).
func (h handlers) postPageModel(e *core.RequestEvent, p channels.Post) (views.PostPage, error) {
	me := pageViewer(e)
	if me != "" && !p.Channel.Mine {
		ch, err := h.ch.ByHandle(me, p.Channel.Handle)
		if err != nil {
			return views.PostPage{}, err
		}
		p.Channel.Following = ch.Following
	}
	cp, err := h.ch.Comments(p.ID, "", commentPageSize)
	if err != nil {
		return views.PostPage{}, err
	}
	comments, err := pageComments(e, p, cp.Comments)
	if err != nil {
		return views.PostPage{}, err
	}
	href := channels.PostPath(p.Channel.Handle, p.ID)
	posts, err := pagePosts(e, []channels.Post{p}, href)
	if err != nil {
		return views.PostPage{}, err
	}
	v := views.PostPage{Post: posts[0], Comments: comments, More: moreHref(href, cp.Next)}
	if reply := e.Request.URL.Query().Get("reply"); reply != "" && me != "" {
		for _, c := range comments {
			for _, x := range append([]views.Comment{c}, c.Replies...) {
				if x.ID == reply {
					v.ReplyTo, v.ReplyName = x.ID, x.Author.Name
				}
			}
		}
	}
	return v, nil
}

// moreComments answers htmx's ask for the next page of a post's comments.
func (h handlers) moreComments(e *core.RequestEvent, p channels.Post, after string) error {
	cp, err := h.ch.Comments(p.ID, after, commentPageSize)
	if err != nil {
		return err
	}
	comments, err := pageComments(e, p, cp.Comments)
	if err != nil {
		return err
	}
	more := moreHref(channels.PostPath(p.Channel.Handle, p.ID), cp.Next)
	return web.Render(e, http.StatusOK, views.CommentRows(views.CommentPage{Comments: comments, More: more}))
}

// postTitle is a post's page title: the channel and the caption's start.
func postTitle(e *core.RequestEvent, p channels.Post) string {
	if p.Caption == "" {
		return web.T(e, "channels.post_by", map[string]any{"name": p.Channel.Name})
	}
	return p.Channel.Name + ": " + clipText(p.Caption, 60)
}

// postMeta is what a post's page says of itself to link previews: its
// picture (a video's poster frame) and, for a video, the video.
func postMeta(e *core.RequestEvent, p channels.Post) views.Meta {
	href := channels.PostPath(p.Channel.Handle, p.ID)
	feed := channelHref(p.Channel.Handle) + "/feed.atom"
	m := views.Meta{Title: postTitle(e, p), Description: clipText(p.Caption, 200), URL: web.SiteURL(e.App, href), Type: "article",
		Feed: web.SiteURL(e.App, feed), FeedTitle: web.T(e, "channels.feed_of", map[string]any{"name": p.Channel.Name})}
	if m.Description == "" {
		m.Description = web.T(e, "channels.post_by", map[string]any{"name": p.Channel.Name})
	}
	if len(p.Media) == 0 {
		return m
	}
	first := p.Media[0]
	if p.MediaKind != "video" {
		m.Image = web.SiteURL(e.App, mediaHref(first.ID, "medium"))
		return m
	}
	m.Type, m.Video, m.VideoType = "video.other", web.SiteURL(e.App, mediaHref(first.ID, "")), first.Mime
	m.VideoWidth, m.VideoHeight = first.Width, first.Height
	if first.HasPoster {
		m.Image = web.SiteURL(e.App, mediaHref(first.ID, "medium"))
	}
	return m
}

// tagOf is the hashtag a path names, lower-case, without its '#'.
func tagOf(e *core.RequestEvent) (string, error) {
	tag := strings.ToLower(strings.TrimPrefix(e.Request.PathValue("tag"), "#"))
	if tag == "" || utf8.RuneCountInString(tag) > channels.TagMax {
		return "", web.Fail(e, http.StatusNotFound, "errors.not_found")
	}
	return tag, nil
}

// tagPage is GET /channels/tag/{tag}[?after=]: the posts carrying #tag,
// newest first.
func (h handlers) tagPage(e *core.RequestEvent) error {
	tag, err := tagOf(e)
	if tag == "" {
		return err
	}
	after := e.Request.URL.Query().Get("after")
	page, err := h.ch.Tagged(pageViewer(e), tag, after, gridPageSize)
	if err != nil {
		return err
	}
	href := "/channels/tag/" + url.PathEscape(tag)
	g := views.Grid{Tiles: pageTiles(e, page.Posts), More: moreHref(href, page.Next)}
	if web.IsHTMX(e) && after != "" {
		return web.Render(e, http.StatusOK, views.GridTiles(g))
	}
	m := views.Meta{Title: "#" + tag, Description: web.T(e, "channels.meta_tag", map[string]any{"tag": tag}),
		URL: web.SiteURL(e.App, href), Type: "website", Feed: web.SiteURL(e.App, href+"/feed.atom"), FeedTitle: "#" + tag}
	if len(page.Posts) > 0 && len(page.Posts[0].Media) > 0 {
		m.Image = web.SiteURL(e.App, mediaHref(page.Posts[0].Media[0].ID, "medium"))
	}
	return publicScreen(e, "#"+tag, "/channels", m, views.TagView(views.TagPage{Tag: tag, Feed: href + "/feed.atom", Grid: g}))
}
