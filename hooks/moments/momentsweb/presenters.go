package momentsweb

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/moments"
	"plaza/hooks/web"
	views "plaza/views/moments"
)

// Presenters turn what the domain returned (already filtered by its
// rules) into the views' models: names by the viewer's remark rule
// (people.go), relative times in the viewer's language. They never filter.

func personView(p Person) views.Person {
	return views.Person{ID: p.ID, Name: p.Name, Avatar: p.Avatar, Initial: initialOf(p.Name)}
}

// initialOf is the letter on an avatar without a picture.
func initialOf(name string) string {
	for _, r := range name {
		return string(unicode.ToUpper(r))
	}
	return "?"
}

// postView is one post for the viewer; next is the page a form returns to
// without script.
func postView(e *core.RequestEvent, viewerID string, pp people, p moments.Post, next string) views.Post {
	j := pp.post(p)
	out := views.Post{ID: p.ID, Author: personView(j.Author), Text: p.Text, Location: p.Location, Visibility: p.Visibility,
		Mine: p.Author == viewerID, Liked: p.Liked, Video: p.MediaKind == "video", Next: next,
		PostedISO: p.Posted.UTC().Format(time.RFC3339), Ago: ago(e, p.Posted), DateUTC: p.Posted.UTC().Format("2006-01-02")}
	for _, r := range j.Reminds {
		out.Reminds = append(out.Reminds, personView(r))
	}
	if c := p.Share; c != nil {
		label := c.Type
		if t, ok := web.Registry(e).Card(c.Type); ok {
			label = web.T(e, t.Label)
		}
		out.Share = &views.Shared{Label: label, Title: c.Title, Sub: c.Sub, Image: c.Image, Link: c.Link, Gone: c.State != ""}
	}
	for i, m := range j.Media {
		v := views.Media{ID: m.ID, Kind: m.Kind, Width: m.Width, Height: m.Height, URL: m.URL, Thumb: m.Thumb, Poster: m.Poster,
			Alt: web.T(e, "moments.photo_alt", map[string]any{"name": j.Author.Name, "n": i + 1, "total": len(j.Media)})}
		if m.DurationMs > 0 {
			s := m.DurationMs / 1000
			v.Length = fmt.Sprintf("%d:%02d", s/60, s%60)
		}
		out.Media = append(out.Media, v)
	}
	for _, l := range j.Likes {
		out.Likes = append(out.Likes, personView(l))
	}
	for i, c := range j.Comments {
		cv := views.Comment{ID: c.ID, Author: personView(c.Author), Text: c.Text,
			CanDelete: p.Comments[i].Author == viewerID || p.Author == viewerID, Mine: p.Comments[i].Author == viewerID}
		if c.ReplyTo != nil {
			r := personView(*c.ReplyTo)
			cv.ReplyTo = &r
		}
		out.Comments = append(out.Comments, cv)
	}
	return out
}

// postViews are a page of posts for the viewer.
func postViews(e *core.RequestEvent, posts []moments.Post, next string) ([]views.Post, error) {
	me := e.Auth.Id
	pp, err := peopleFor(e.App, me, idsIn(posts, me))
	if err != nil {
		return nil, err
	}
	out := make([]views.Post, 0, len(posts))
	for _, p := range posts {
		out = append(out, postView(e, me, pp, p, next))
	}
	return out, nil
}

// ago is a time as Moments shows it: "just now", "5 minutes ago", "3
// hours ago", "Yesterday", "4 days ago"; "" after a week (the date shows).
func ago(e *core.RequestEvent, t time.Time) string {
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

// nextOf is the local page a form returns to: the form's "next", else
// fallback.
func nextOf(e *core.RequestEvent, fallback string) string {
	next := web.SafeNext(e.Request.FormValue("next"), fallback)
	if strings.HasPrefix(next, "/moments") {
		return next
	}
	return fallback
}
