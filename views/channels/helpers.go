package channels

import (
	"context"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/invopop/ctxi18n/i18n"

	"plaza/views/layout"
)

// htmlLang is the document's language tag.
func htmlLang(lang string) string {
	if lang == "zh" {
		return "zh-Hans"
	}
	return "en"
}

// docTitle is a page's title with the community's name.
func docTitle(p layout.Page) string {
	if p.Title == "" {
		return p.Community
	}
	return p.Title + " · " + p.Community
}

// dim is a width or height attribute ("" when unknown).
func dim(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func itoa(n int) string { return strconv.Itoa(n) }

// postPath is where a member's action on a post posts.
func postPath(id, action string) string { return "/channels/p/" + url.PathEscape(id) + "/" + action }

// likeAction is where the like button posts: like, or take it back.
func likeAction(p Post) string {
	if p.Liked {
		return postPath(p.ID, "unlike")
	}
	return postPath(p.ID, "like")
}

// favouriteAction is where the favourite button posts.
func favouriteAction(p Post) string {
	if p.Favourited {
		return postPath(p.ID, "unfavourite")
	}
	return postPath(p.ID, "favourite")
}

// followAction is where the follow button posts.
func followAction(c Channel) string {
	base := "/c/" + url.PathEscape(c.Handle)
	if c.Following {
		return base + "/unfollow"
	}
	return base + "/follow"
}

// tagURL is a hashtag's page.
func tagURL(tag string) string { return "/channels/tag/" + url.PathEscape(tag) }

// commentsURL is the comments of a post's page.
func commentsURL(p Post) string { return p.URL + "#comments" }

// replyURL answers a comment without script.
func replyURL(c Comment, postURL string) string {
	return postURL + "?reply=" + url.QueryEscape(c.ID) + "#comment-form"
}

func commentPlaceholder(ctx context.Context, v PostPage) string {
	if v.ReplyName != "" {
		return i18n.T(ctx, "channels.reply_placeholder", i18n.M{"name": v.ReplyName})
	}
	return i18n.T(ctx, "channels.comment_placeholder")
}

func errorFor(errs []layout.FieldError, name string) string {
	for _, e := range errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// invalid marks a field with an error for screen readers.
func invalid(name string, errs []layout.FieldError) templ.Attributes {
	if errorFor(errs, name) == "" {
		return templ.Attributes{}
	}
	return templ.Attributes{"aria-invalid": "true", "aria-describedby": "e-" + name}
}

// pressed is aria-pressed for a toggle button.
func pressed(on bool) string {
	if on {
		return "true"
	}
	return "false"
}

// current marks the link of the page one is on.
func current(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"aria-current": "page"}
	}
	return templ.Attributes{}
}

// tabClass is a feed tab: the current one underlined.
func tabClass(on bool) string {
	if on {
		return "border-b-2 border-brand px-1 py-3 font-semibold text-ink"
	}
	return "border-b-2 border-transparent px-1 py-3 text-muted hover:text-ink"
}

// avatarClass is a channel's round picture of a size.
func avatarClass(size string) string {
	return "shrink-0 rounded-full object-cover bg-line " + size
}

func initialClass(size string) string {
	return "grid shrink-0 place-items-center rounded-full bg-brand font-semibold text-white " + size
}

// slides is the class of a post's photo strip: one photo fills it, more
// scroll sideways.
func slideClass(n int) string {
	if n == 1 {
		return "block w-full"
	}
	return "block w-full shrink-0 snap-center"
}

// followTarget is what the follow form's answer replaces: the channel's
// head on its page, else the form.
func followTarget(head bool) string {
	if head {
		return "#channel-head"
	}
	return "this"
}

// actionClass is a button of a post's action bar; on adds onClass (a
// liked heart is red).
func actionClass(on bool, onClass string) string {
	base := "flex items-center justify-center gap-1 rounded py-1.5 hover:bg-page"
	if on {
		return base + " " + onClass
	}
	return base + " text-ink"
}

// testidOf names a toggle by its state.
func testidOf(on bool, yes, no string) string {
	if on {
		return yes
	}
	return no
}

// commentPath is where a member's action on a comment posts.
func commentPath(id, action string) string {
	return "/channels/comments/" + url.PathEscape(id) + "/" + action
}

// pinAction pins a comment, or unpins it.
func pinAction(c Comment) string {
	if c.Pinned {
		return commentPath(c.ID, "unpin")
	}
	return commentPath(c.ID, "pin")
}

// profileAction is where the profile form posts.
func profileAction(create bool) string {
	if create {
		return "/channels/me"
	}
	return "/channels/me/edit"
}

// momentsShare is Moments' compose form with a post's card to share.
func momentsShare(postID string) string {
	return "/moments/new?share_type=channel_post&share_ref=" + url.QueryEscape(postID)
}
