package oa

import (
	"net/url"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/module"
)

// DiscoverID names Official Accounts' Discover entry.
const DiscoverID = "oa"

// CardArticle is the chat card of a published article (ref: the article
// id): members share it into chats and Moments, and a service account's
// broadcast lands as one.
const CardArticle = "oa_article"

// AccountPath is an account's public profile page.
func AccountPath(handle string) string { return "/oa/" + url.PathEscape(handle) }

// AvatarPath is where an account's avatar is served.
func AvatarPath(handle string) string { return AccountPath(handle) + "/avatar" }

// ArticlePath is an article's public page.
func ArticlePath(handle, articleID string) string {
	return AccountPath(handle) + "/a/" + url.PathEscape(articleID)
}

// CoverPath is where an article's cover is served.
func CoverPath(handle, articleID string) string { return ArticlePath(handle, articleID) + "/cover" }

// register adds Official Accounts' Discover entry, its article card and
// the QR kind that follows an account (links.KindOfficialAccount) to the
// registry.
func (s *Service) register() {
	s.reg.AddDiscover(module.Entry{ID: DiscoverID, Owner: "oa", Label: "oa.title", Href: "/oa", Icon: "oa", Order: 30,
		Paths: []string{"/oa"}})
	s.reg.AddCard(module.CardType{Type: CardArticle, Owner: "oa", Label: "oa.card_label", Preview: "oa.preview_card",
		Build: s.buildCard, State: s.cardState, Forwardable: true, Moments: true})
}

// cardRow is what an article's card shows.
type cardRow struct {
	ID       string `db:"id"`
	Title    string `db:"title"`
	Digest   string `db:"digest"`
	HasCover bool   `db:"has_cover"`
	Handle   string `db:"handle"`
	Name     string `db:"name"`
}

// buildCard makes the chat card of an article anyone may read (registry's
// CardBuilder): its title, its account's name and digest, its cover; it
// opens the article's public page. A draft, or an article of an account
// not approved, has no card (oa.not_found).
func (s *Service) buildCard(txApp core.App, _, _, ref string) (*module.Card, error) {
	var row cardRow
	err := txApp.DB().NewQuery(`SELECT r.id, r.title, r.digest, (r.cover != '') AS has_cover, c.handle, c.name
		FROM oa_articles r JOIN oa_accounts c ON c.id = r.account AND c.status = 'approved'
		WHERE r.id = {:r} AND r.published_at > ''`).Bind(dbx.Params{"r": ref}).One(&row)
	if err != nil {
		return nil, notFound()
	}
	sub := row.Name
	if row.Digest != "" {
		sub = row.Name + " · " + clip(row.Digest, 80)
	}
	card := &module.Card{Type: CardArticle, Ref: row.ID, Title: row.Title, Sub: sub, Link: ArticlePath(row.Handle, row.ID)}
	if row.HasCover {
		card.Image = CoverPath(row.Handle, row.ID)
	}
	return card, nil
}

// cardState is "gone" once a carded article was deleted or its account is
// no longer approved: the card then shows its title only.
func (s *Service) cardState(app core.App, _, ref string) string {
	var n int
	err := app.DB().NewQuery(`SELECT count(*) FROM oa_articles r JOIN oa_accounts c ON c.id = r.account AND c.status = 'approved'
		WHERE r.id = {:r} AND r.published_at > ''`).Bind(dbx.Params{"r": ref}).Row(&n)
	if err != nil || n == 0 {
		return module.CardStateGone
	}
	return ""
}
