package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
)

// demoFriends are the demo community's friendships (each pair once).
var demoFriends = [][2]string{
	{"alice_w", "bob_chen"}, {"alice_w", "li_lei"}, {"alice_w", "han_meimei"}, {"alice_w", "carol_z"},
	{"alice_w", "wang_fang"}, {"alice_w", "emma_h"}, {"alice_w", "zhou_jie"}, {"alice_w", "chen_jing"},
	{"bob_chen", "li_lei"}, {"bob_chen", "david_l"}, {"bob_chen", "frank_x"}, {"bob_chen", "henry_g"},
	{"li_lei", "han_meimei"}, {"li_lei", "zhao_qiang"}, {"li_lei", "wang_fang"}, {"li_lei", "sun_li"},
	{"han_meimei", "sun_li"}, {"han_meimei", "wu_min"}, {"carol_z", "david_l"}, {"carol_z", "grace_y"},
	{"emma_h", "frank_x"}, {"emma_h", "grace_y"}, {"zheng_hao", "lin_tao"}, {"zheng_hao", "wu_min"},
	{"chen_jing", "lin_tao"}, {"zhou_jie", "zhao_qiang"}, {"henry_g", "jack_m"}, {"ivy_tang", "grace_y"},
}

// demoTags are alice_w's tags and who carries them.
var demoTags = map[string][]string{
	"Family":     {"wang_fang"},
	"Colleagues": {"bob_chen", "carol_z", "emma_h"},
	"同学":         {"li_lei", "han_meimei"},
}

// demoPending are friend requests waiting for an answer: from → to.
var demoPending = []struct{ from, to, greeting string }{
	{"jack_m", "alice_w", "Hi Alice, we met at the community garden!"},
	{"ivy_tang", "alice_w", "Ivy from the book club here."},
	{"lin_tao", "li_lei", "你好，我是林涛，周末一起爬山吗？"},
}

// seedContacts makes the demo friendships, alice_w's tags, a star and a few
// pending requests. What already exists is left alone. It goes through a
// contacts service of its own: seeding sends and accepts requests but runs
// no other module's hooks (chat makes the demo chats itself).
func seedContacts(app core.App, svc *contacts.Service) (friendships int, err error) {
	member := func(id string) (*core.Record, error) { return accounts.FindByPlazaID(app, id) }
	for _, pair := range demoFriends {
		a, err := member(pair[0])
		if err != nil {
			return friendships, err
		}
		b, err := member(pair[1])
		if err != nil {
			return friendships, err
		}
		if ok, err := contacts.AreFriends(app, a.Id, b.Id); err != nil || ok {
			if err != nil {
				return friendships, err
			}
			continue
		}
		r, err := svc.SendRequest(a, b, contacts.RequestInput{Greeting: "Hi, it's " + accounts.AsMember(a).DisplayName(), Source: contacts.SourceID})
		if err != nil {
			return friendships, fmt.Errorf("request %s → %s: %w", pair[0], pair[1], err)
		}
		if ok, err := contacts.AreFriends(app, a.Id, b.Id); err != nil {
			return friendships, err
		} else if !ok {
			if _, err := svc.Accept(b, r.Id, contacts.AcceptInput{}); err != nil {
				return friendships, fmt.Errorf("accept %s → %s: %w", pair[0], pair[1], err)
			}
		}
		friendships++
	}

	alice, err := member("alice_w")
	if err != nil {
		return friendships, err
	}
	tagged := map[string][]string{} // friend plaza id → tag ids
	for name, friends := range demoTags {
		tag, _, err := svc.CreateTag(alice, name) // reuses an existing tag of that name
		if err != nil {
			return friendships, err
		}
		for _, f := range friends {
			tagged[f] = append(tagged[f], tag.Id)
		}
	}
	for plazaID, tagIDs := range tagged {
		f, err := member(plazaID)
		if err != nil {
			return friendships, err
		}
		in := contacts.ContactInput{TagIDs: tagIDs, Starred: plazaID == "bob_chen"}
		if plazaID == "wang_fang" {
			in.Remark = "妈妈"
		}
		if err := svc.UpdateContact(alice, f.Id, in); err != nil {
			return friendships, err
		}
	}

	for _, p := range demoPending {
		from, err := member(p.from)
		if err != nil {
			return friendships, err
		}
		to, err := member(p.to)
		if err != nil {
			return friendships, err
		}
		if ok, err := contacts.AreFriends(app, from.Id, to.Id); err != nil || ok {
			if err != nil {
				return friendships, err
			}
			continue
		}
		if _, err := svc.SendRequest(from, to, contacts.RequestInput{Greeting: p.greeting, Source: contacts.SourceID}); err != nil {
			return friendships, err
		}
	}
	return friendships, nil
}
