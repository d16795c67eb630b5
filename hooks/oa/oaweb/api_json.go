package oaweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/oa"
)

// The shapes of Official Accounts' JSON API (docs/API.md, "Official
// Accounts"): the domain's values plus the addresses of their pages and
// pictures, and members named as the viewer knows them.

// AccountJSON is an account with its page's and avatar's addresses.
type AccountJSON struct {
	oa.Account
	URL    string `json:"url"`
	Avatar string `json:"avatar"` // "" without one
}

// ArticleJSON is an article with its account's handle and the addresses
// of its page and cover.
type ArticleJSON struct {
	oa.Article
	Handle string `json:"handle"`
	URL    string `json:"url"`
	Cover  string `json:"cover"` // "" without one
}

// PersonJSON is a member as the viewer is shown them (accounts.ShownName).
type PersonJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CommentJSON is a comment with its author named.
type CommentJSON struct {
	ID     string     `json:"id"`
	Author PersonJSON `json:"author"`
	Text   string     `json:"text"`
	Shown  bool       `json:"shown"`
	Reply  string     `json:"reply"`
	At     string     `json:"at"`
	Mine   bool       `json:"mine"`
}

// OperatorJSON is one who runs an account.
type OperatorJSON struct {
	oa.Operator
	Name string `json:"name"`
}

func accountJSON(a oa.Account) AccountJSON {
	out := AccountJSON{Account: a, URL: oa.AccountPath(a.Handle)}
	if out.Menu == nil {
		out.Menu = oa.Menu{}
	}
	if a.HasAvatar {
		out.Avatar = oa.AvatarPath(a.Handle)
	}
	return out
}

func articleJSON(a oa.Article, handle string) ArticleJSON {
	out := ArticleJSON{Article: a, Handle: handle, URL: oa.ArticlePath(handle, a.ID)}
	if a.HasCover {
		out.Cover = oa.CoverPath(handle, a.ID)
	}
	return out
}

// names are the names viewerID is shown for members ids: their remark
// for a friend, else the member's name.
func names(app core.App, viewerID string, ids []string) (map[string]string, error) {
	ids = distinct(ids)
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
	out := make(map[string]string, len(members))
	for id, m := range members {
		out[id] = accounts.ShownName(remarks[id], "", m.DisplayName())
	}
	return out, nil
}

// commentsJSON names each comment's author for viewerID.
func commentsJSON(app core.App, viewerID string, list []oa.Comment) ([]CommentJSON, error) {
	ids := make([]string, 0, len(list))
	for _, c := range list {
		ids = append(ids, c.Author)
	}
	nn, err := names(app, viewerID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CommentJSON, 0, len(list))
	for _, c := range list {
		out = append(out, CommentJSON{ID: c.ID, Author: PersonJSON{ID: c.Author, Name: nn[c.Author]}, Text: c.Text,
			Shown: c.Shown, Reply: c.Reply, At: c.At, Mine: c.Mine})
	}
	return out, nil
}
