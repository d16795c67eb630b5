package chat

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pocketbase/dbx"

	"plaza/hooks/accounts"
	"plaza/hooks/contacts"
)

// Person is a member of a chat as a viewer sees them.
type Person struct {
	Name      string // accounts.ShownName
	AvatarURL string // "" without an avatar
	Initial   string // for the placeholder avatar
}

// Face is a member's picture as the chat list shows it.
type Face struct {
	AvatarURL string
	Initial   string
}

func faceOf(m *accounts.Member) Face {
	return Face{AvatarURL: m.AvatarURL("96x96"), Initial: m.Initial()}
}

// People maps the members of a conversation to how viewerID sees them, and
// tells how many members it has.
func (s *Service) People(viewerID, convID string) (map[string]Person, int, error) {
	var rows []struct {
		ID    string `db:"id"`
		Alias string `db:"alias"`
	}
	err := s.app.DB().NewQuery(`SELECT member AS id, alias FROM conversation_members WHERE conversation = {:c}`).
		Bind(dbx.Params{"c": convID}).All(&rows)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	members, err := accounts.Members(s.app, ids) // one query, not one per member
	if err != nil {
		return nil, 0, err
	}
	remarks, err := contacts.RemarksFor(s.app, viewerID, ids)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[string]Person, len(rows))
	for _, r := range rows {
		m := members[r.ID]
		if m == nil {
			continue
		}
		f := faceOf(m)
		out[r.ID] = Person{Name: accounts.ShownName(remarks[r.ID], r.Alias, m.DisplayName()), AvatarURL: f.AvatarURL, Initial: f.Initial}
	}
	return out, len(rows), nil
}

// GroupTitle is a group's name as the viewer sees it: its name, else its
// first members as the viewer knows them (defaultGroupName).
func (s *Service) GroupTitle(viewerID, convID, name string) string {
	if name != "" {
		return name
	}
	return s.defaultGroupName(viewerID, convID)
}

// defaultGroupName names an unnamed group after its first members, as the
// viewer knows them ("" when they cannot be read).
func (s *Service) defaultGroupName(viewerID, convID string) string {
	people, _, err := s.People(viewerID, convID)
	if err != nil {
		return ""
	}
	names := make([]string, 0, len(people))
	for _, p := range people {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return strings.Join(names, ", ")
}

// ListFaces are the chat list's pictures: each 1:1 peer (with the name the
// viewer gave them) and up to nine members of each group.
type ListFaces struct {
	People map[string]NamedFace // by member id
	Groups map[string][]Face    // by conversation id
}

// NamedFace is a member's picture and the name the viewer knows them by.
type NamedFace struct {
	Face
	Name string
}

// ChatList is the member's chat list (List) with its pictures (Faces).
func (s *Service) ChatList(memberID string) ([]Summary, ListFaces, error) {
	list, err := List(s.app, memberID)
	if err != nil {
		return nil, ListFaces{}, err
	}
	faces, err := s.Faces(memberID, list)
	return list, faces, err
}

// Faces loads the pictures of a chat list with a fixed number of queries
// however long the list is.
func (s *Service) Faces(viewerID string, list []Summary) (ListFaces, error) {
	out := ListFaces{People: map[string]NamedFace{}, Groups: map[string][]Face{}}
	var groupIDs []any
	ids := []string{}
	for _, c := range list {
		if c.Kind == KindGroup {
			groupIDs = append(groupIDs, c.ID)
		} else if c.Peer != "" {
			ids = append(ids, c.Peer)
		}
	}
	var members []struct {
		Conv   string `db:"conversation"`
		Member string `db:"member"`
	}
	if len(groupIDs) > 0 {
		err := s.app.DB().Select("conversation", "member").From("(SELECT conversation, member, ROW_NUMBER() OVER (PARTITION BY conversation ORDER BY created, id) AS n FROM conversation_members WHERE " +
			"conversation IN (SELECT conversation FROM conversation_members WHERE member = {:v})) AS ranked").
			Where(dbx.And(dbx.In("conversation", groupIDs...), dbx.NewExp("n <= 9"))).Bind(dbx.Params{"v": viewerID}).All(&members)
		if err != nil {
			return out, fmt.Errorf("load group faces: %w", err)
		}
		for _, m := range members {
			ids = append(ids, m.Member)
		}
	}
	byID, err := accounts.Members(s.app, ids)
	if err != nil {
		return out, fmt.Errorf("load chat list members: %w", err)
	}
	remarks, err := contacts.RemarksFor(s.app, viewerID, ids)
	if err != nil {
		return out, err
	}
	for id, m := range byID {
		out.People[id] = NamedFace{faceOf(m), accounts.ShownName(remarks[id], "", m.DisplayName())}
	}
	for _, m := range members {
		if f, ok := out.People[m.Member]; ok {
			out.Groups[m.Conv] = append(out.Groups[m.Conv], f.Face)
		}
	}
	return out, nil
}
