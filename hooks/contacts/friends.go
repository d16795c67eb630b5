package contacts

import (
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// Friend is one of my contacts with the friend's member record.
type Friend struct {
	Contact *Contact
	Member  *core.Record
}

// Label is how I see the friend (accounts.ShownName): my remark, else
// their name.
func (f Friend) Label() string {
	return accounts.ShownName(f.Contact.Remark(), "", accounts.AsMember(f.Member).DisplayName())
}

// Friends lists all my friends (unsorted; the views sort by pinyin).
func Friends(app core.App, me *core.Record) ([]Friend, error) {
	recs, err := app.FindRecordsByFilter(ContactsCollection, "owner = {:me}", "", 0, 0, dbx.Params{"me": me.Id})
	if err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	return withMembers(app, recs)
}

func withMembers(app core.App, recs []*core.Record) ([]Friend, error) {
	if errs := app.ExpandRecords(recs, []string{"friend"}, nil); len(errs) > 0 {
		return nil, fmt.Errorf("expand contacts: %v", errs)
	}
	out := make([]Friend, 0, len(recs))
	for _, r := range recs {
		if m := r.ExpandedOne("friend"); m != nil {
			out = append(out, Friend{Contact: AsContact(r), Member: m})
		}
	}
	return out, nil
}

// FriendOf returns my contact entry for friendID, or a not-found Problem.
func FriendOf(app core.App, me *core.Record, friendID string) (*Friend, error) {
	c, err := findOne(app, ContactsCollection, "owner = {:me} && friend = {:f}", dbx.Params{"me": me.Id, "f": friendID})
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, NotFound()
	}
	list, err := withMembers(app, []*core.Record{c})
	if err != nil || len(list) == 0 {
		return nil, NotFound()
	}
	return &list[0], nil
}

// ContactInput is everything I can set on a friend.
type ContactInput struct {
	Remark     string
	TagIDs     []string
	Starred    bool
	ChatOnly   bool
	HideMine   bool   // don't let them see my Moments
	HideTheirs bool   // hide their Moments
	NewTag     string // a new tag to create and put them in
}

// UpdateContact saves my remark, tags, star and permissions for a friend.
func (s *Service) UpdateContact(me *core.Record, friendID string, in ContactInput) error {
	if err := trimRemarkAndTag(&in.Remark, &in.NewTag); err != nil {
		return err
	}
	return s.app.RunInTransaction(func(txApp core.App) error {
		f, err := FriendOf(txApp, me, friendID)
		if err != nil {
			return err
		}
		tags, err := ownTags(txApp, me.Id, in.TagIDs)
		if err != nil {
			return err
		}
		if in.NewTag != "" { // only once they are known to be my friend
			tag, _, err := createTag(txApp, me.Id, in.NewTag)
			if p, ok := problem.As(err); ok && len(p.Fields) == 1 && p.Fields[0].Name == "name" {
				return problem.Invalid("new_tag", p.Fields[0].Key, p.Fields[0].Args)
			} else if err != nil {
				return err
			}
			if !slices.Contains(tags, tag.Id) {
				tags = append(tags, tag.Id)
			}
		}
		r := f.Contact.ProxyRecord()
		r.Set("remark", in.Remark)
		r.Set("tags", tags)
		r.Set("starred", in.Starred)
		r.Set("chat_only", in.ChatOnly)
		r.Set("hide_my_moments", in.HideMine)
		r.Set("hide_their_moments", in.HideTheirs)
		return txApp.Save(r)
	})
}

// Unfriend ends a friendship for both sides (friendship is mutual).
func (s *Service) Unfriend(me *core.Record, friendID string) error {
	return s.app.RunInTransaction(func(txApp core.App) error {
		if _, err := FriendOf(txApp, me, friendID); err != nil {
			return err
		}
		_, err := txApp.DB().NewQuery("DELETE FROM contacts WHERE (owner = {:a} AND friend = {:b}) OR (owner = {:b} AND friend = {:a})").
			Bind(dbx.Params{"a": me.Id, "b": friendID}).Execute()
		return err
	})
}
