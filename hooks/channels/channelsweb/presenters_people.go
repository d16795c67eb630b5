package channelsweb

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/channels"
	"plaza/hooks/contacts"
	views "plaza/views/channels"
)

// pageNames resolves member ids to how one viewer names them: the remark
// they gave a friend, else the member's name (accounts.ShownName). A
// visitor sees members' own names.
type pageNames map[string]views.Person

func pageNamesFor(app core.App, viewerID string, ids []string) (pageNames, error) {
	out := pageNames{}
	if len(ids) == 0 {
		return out, nil
	}
	members, err := accounts.Faces(app, ids)
	if err != nil {
		return nil, err
	}
	remarks := map[string]string{}
	if viewerID != "" {
		if remarks, err = contacts.RemarksFor(app, viewerID, ids); err != nil {
			return nil, err
		}
	}
	for id, m := range members {
		name := accounts.ShownName(remarks[id], "", m.DisplayName())
		out[id] = views.Person{ID: id, Name: name, Avatar: m.AvatarURL("96x96"), Initial: m.Initial()}
	}
	return out, nil
}

// of is the Person of id (a bare one for a member who has gone).
func (p pageNames) of(id string) views.Person {
	if x, ok := p[id]; ok {
		return x
	}
	return views.Person{ID: id, Name: "?", Initial: "?"}
}

// pageComments are a page of comments for the viewer on post p; next is
// the post's page, where their forms return.
func pageComments(e *core.RequestEvent, p channels.Post, list []channels.Comment) ([]views.Comment, error) {
	var ids []string
	for _, c := range list {
		ids = append(ids, c.Author, c.ReplyTo)
		for _, r := range c.Replies {
			ids = append(ids, r.Author, r.ReplyTo)
		}
	}
	pp, err := pageNamesFor(e.App, pageViewer(e), uniqueIDs(ids))
	if err != nil {
		return nil, err
	}
	out := make([]views.Comment, 0, len(list))
	for _, c := range list {
		v := pageComment(e, pp, p, c, true)
		for _, r := range c.Replies {
			v.Replies = append(v.Replies, pageComment(e, pp, p, r, false))
		}
		out = append(out, v)
	}
	return out, nil
}

func pageComment(e *core.RequestEvent, pp pageNames, p channels.Post, c channels.Comment, top bool) views.Comment {
	me := pageViewer(e)
	v := views.Comment{ID: c.ID, PostID: p.ID, Author: pp.of(c.Author), Text: c.Text, Pinned: c.Pinned,
		AtISO: c.At.UTC().Format(time.RFC3339), Date: c.At.UTC().Format("2006-01-02"),
		CanDelete: me != "" && (c.Author == me || p.Channel.Mine), CanPin: top && p.Channel.Mine,
		CanReport: me != "" && c.Author != me, CanReply: me != "", Next: channels.PostPath(p.Channel.Handle, p.ID)}
	if c.ReplyTo != "" && !top {
		r := pp.of(c.ReplyTo)
		v.ReplyTo = &r
	}
	if me != "" {
		v.Ago = agoText(e, c.At)
	}
	return v
}

// uniqueIDs drops empty and repeated ids.
func uniqueIDs(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
