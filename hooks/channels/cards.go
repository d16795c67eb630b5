package channels

import (
	"net/url"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/module"
)

// buildCard makes the chat card of a post anyone may see (registry's
// CardBuilder): its channel, caption and first picture; it opens the
// post's public page.
func (s *Service) buildCard(txApp core.App, _, _, ref string) (*module.Card, error) {
	var row postRow
	err := txApp.DB().NewQuery(`SELECT ` + postColumns + `, '' AS at FROM channels_posts p JOIN channels c ON c.id = p.channel
		WHERE p.id = {:p} AND p.taken_down = 0`).Bind(map[string]any{"p": ref}).One(&row)
	if err != nil {
		return nil, notFound()
	}
	var first string
	_ = txApp.DB().NewQuery(`SELECT id FROM channels_media WHERE post = {:p} ORDER BY position LIMIT 1`).
		Bind(map[string]any{"p": ref}).Row(&first) // a post without media has no picture
	card := &module.Card{Type: CardPost, Ref: ref, Title: row.Name, Sub: clip(row.Caption, 80),
		Link: PostPath(row.Handle, row.ID)}
	if first != "" {
		card.Image = MediaPath(first) + "?v=thumb"
	}
	return card, nil
}

// cardState is "gone" once a carded post was taken down or deleted: the
// card is drawn faded and opens a 404.
func (s *Service) cardState(app core.App, _, ref string) string {
	var n int
	if err := app.DB().NewQuery(`SELECT count(*) FROM channels_posts WHERE id = {:p} AND taken_down = 0`).
		Bind(map[string]any{"p": ref}).Row(&n); err != nil || n == 0 {
		return module.CardStateGone
	}
	return ""
}

// PostPath is a post's public address.
func PostPath(handle, postID string) string {
	return "/c/" + url.PathEscape(handle) + "/p/" + url.PathEscape(postID)
}

// MediaPath is where a post's photo or video is served.
func MediaPath(mediaID string) string { return "/channels/media/" + url.PathEscape(mediaID) }

// clip cuts s to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
