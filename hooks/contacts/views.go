package contacts

import (
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/sortkey"
	"plaza/views/contacts"
)

// PersonOf is a member as a card shows them; label is what the viewer
// calls them ("" for their own name).
func PersonOf(member *core.Record, label string) contacts.Person {
	m := accounts.AsMember(member)
	p := contacts.Person{
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
func EntryOf(member *core.Record, label string) contacts.Entry {
	m := accounts.AsMember(member)
	if label == "" {
		label = m.DisplayName()
	}
	return contacts.Entry{ID: m.Id, Label: label, AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial()}
}

// listOf builds the Contacts list: starred on top, then A–Z by pinyin.
func listOf(friends []Friend, newFriends int, active string) contacts.List {
	l := contacts.List{NewFriends: newFriends, Total: len(friends), Active: active}
	for _, sec := range sortkey.Group(friends, Friend.Label) {
		s := contacts.Section{Letter: sec.Letter}
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
func entriesOf(friends []Friend) []contacts.Entry {
	var out []contacts.Entry
	for _, sec := range sortkey.Group(friends, Friend.Label) {
		for _, f := range sec.Items {
			out = append(out, EntryOf(f.Member, f.Label()))
		}
	}
	return out
}

// tagChoices lists my tags, ticking those in checked.
func tagChoices(tags []Tag, checked []string) []contacts.TagChoice {
	on := map[string]bool{}
	for _, id := range checked {
		on[id] = true
	}
	out := make([]contacts.TagChoice, len(tags))
	for i, t := range tags {
		out[i] = contacts.TagChoice{ID: t.ID, Name: t.Name, Checked: on[t.ID]}
	}
	return out
}
