package contactsweb

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
	"plaza/hooks/sortkey"
	views "plaza/views/contacts"
)

// Presenters: members, friends and tags as the contacts views show them.

// PersonOf is a member as a card shows them; label is what the viewer
// calls them ("" for their own name).
func PersonOf(member *core.Record, label string) views.Person {
	m := accounts.AsMember(member)
	p := views.Person{
		ID:        m.Id,
		PlazaID:   m.PlazaID(),
		Name:      m.DisplayName(),
		Label:     label,
		AvatarURL: m.AvatarURL("240x240"),
		Initial:   m.Initial(),
		Region:    m.Region(),
		Signature: m.Signature(),
	}
	if p.Label == "" {
		p.Label = p.Name
	}
	return p
}

// EntryOf is a list row for a member.
func EntryOf(member *core.Record, label string) views.Entry {
	m := accounts.AsMember(member)
	if label == "" {
		label = m.DisplayName()
	}
	return views.Entry{ID: m.Id, Label: label, AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial()}
}

// listOf builds the Contacts list: starred on top, then A–Z by pinyin.
func listOf(friends []contacts.Friend, newFriends int, active string) views.List {
	l := views.List{NewFriends: newFriends, Total: len(friends), Active: active}
	for _, sec := range sortkey.Group(friends, contacts.Friend.Label) {
		s := views.Section{Letter: sec.Letter}
		for _, f := range sec.Items {
			e := EntryOf(f.Member, f.Label())
			s.Entries = append(s.Entries, e)
			if f.Contact.Starred() {
				l.Starred = append(l.Starred, e)
			}
		}
		l.Sections = append(l.Sections, s)
	}
	return l
}

// entriesOf lists friends sorted the same way, without sections.
func entriesOf(friends []contacts.Friend) []views.Entry {
	var out []views.Entry
	for _, sec := range sortkey.Group(friends, contacts.Friend.Label) {
		for _, f := range sec.Items {
			out = append(out, EntryOf(f.Member, f.Label()))
		}
	}
	return out
}

// tagChoices lists my tags, ticking those in checked.
func tagChoices(tags []contacts.Tag, checked []string) []views.TagChoice {
	on := map[string]bool{}
	for _, id := range checked {
		on[id] = true
	}
	out := make([]views.TagChoice, len(tags))
	for i, t := range tags {
		out[i] = views.TagChoice{ID: t.ID, Name: t.Name, Checked: on[t.ID]}
	}
	return out
}
