package contacts

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Tag is one of my contact tags with how many friends carry it.
type Tag struct {
	ID    string
	Name  string
	Count int
}

// Tags lists my tags, by name, with member counts.
func Tags(app core.App, me *core.Record) ([]Tag, error) {
	var rows []struct {
		ID    string `db:"id"`
		Name  string `db:"name"`
		Count int    `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT t.id, t.name,
		(SELECT COUNT(*) FROM contacts c, json_each(c.tags) j WHERE c.owner = t.owner AND j.value = t.id) AS n
		FROM contact_tags t WHERE t.owner = {:me} ORDER BY t.name COLLATE NOCASE`).
		Bind(dbx.Params{"me": me.Id}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	out := make([]Tag, len(rows))
	for i, r := range rows {
		out[i] = Tag{ID: r.ID, Name: r.Name, Count: r.Count}
	}
	return out, nil
}

func checkTagName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", problem.Invalid("name", "contacts.tag_name_required", nil)
	}
	if utf8.RuneCountInString(name) > TagNameMax {
		return "", problem.Invalid("name", "profile.too_long", map[string]any{"max": TagNameMax})
	}
	return name, nil
}

// CreateTag adds a tag of mine; names are unique per member, ignoring
// case. An existing tag of that name is returned instead, created false.
func (s *Service) CreateTag(me *core.Record, name string) (tag *core.Record, created bool, err error) {
	err = s.app.RunInTransaction(func(txApp core.App) error {
		var err error
		tag, created, err = createTag(txApp, me.Id, name)
		return err
	})
	return tag, created, err
}

// createTag makes owner's tag called name, or finds the one of that name
// (created false).
func createTag(txApp core.App, owner, name string) (tag *core.Record, created bool, err error) {
	if name, err = checkTagName(name); err != nil {
		return nil, false, err
	}
	if existing, err := findOne(txApp, TagsCollection, "owner = {:o} && name = {:n}", dbx.Params{"o": owner, "n": name}); err != nil {
		return nil, false, err
	} else if existing != nil {
		return existing, false, nil // same name: reuse it
	}
	var n int
	if err := txApp.DB().NewQuery("SELECT COUNT(*) FROM contact_tags WHERE owner = {:o}").Bind(dbx.Params{"o": owner}).Row(&n); err != nil {
		return nil, false, err
	}
	if n >= TagsMax {
		return nil, false, problem.Invalid("name", "contacts.too_many_tags", map[string]any{"max": TagsMax})
	}
	c, err := txApp.FindCachedCollectionByNameOrId(TagsCollection)
	if err != nil {
		return nil, false, err
	}
	tag = core.NewRecord(c)
	tag.Set("owner", owner)
	tag.Set("name", name)
	if err := txApp.Save(tag); err != nil {
		return nil, false, fmt.Errorf("save tag: %w", err)
	}
	return tag, true, nil
}

// RenameTag renames one of my tags.
func (s *Service) RenameTag(me *core.Record, tagID, name string) error {
	name, err := checkTagName(name)
	if err != nil {
		return err
	}
	return s.app.RunInTransaction(func(txApp core.App) error {
		tag, err := myTag(txApp, me.Id, tagID)
		if err != nil {
			return err
		}
		if other, err := findOne(txApp, TagsCollection, "owner = {:o} && name = {:n} && id != {:id}",
			dbx.Params{"o": me.Id, "n": name, "id": tagID}); err != nil {
			return err
		} else if other != nil {
			return problem.New(http.StatusConflict, "contacts.tag_exists")
		}
		tag.Set("name", name)
		return txApp.Save(tag)
	})
}

// DeleteTag deletes one of my tags; friends carrying it just lose it.
func (s *Service) DeleteTag(me *core.Record, tagID string) error {
	return s.app.RunInTransaction(func(txApp core.App) error {
		tag, err := myTag(txApp, me.Id, tagID)
		if err != nil {
			return err
		}
		return txApp.Delete(tag) // PocketBase removes it from contacts.tags
	})
}

// TagFriends lists my friends carrying a tag of mine.
func TagFriends(app core.App, me *core.Record, tagID string) (*core.Record, []Friend, error) {
	tag, err := myTag(app, me.Id, tagID)
	if err != nil {
		return nil, nil, err
	}
	recs, err := app.FindRecordsByFilter(ContactsCollection, "owner = {:me} && tags ~ {:tag}", "", 0, 0,
		dbx.Params{"me": me.Id, "tag": tagID})
	if err != nil {
		return nil, nil, fmt.Errorf("list tagged contacts: %w", err)
	}
	friends, err := withMembers(app, recs)
	return tag, friends, err
}

func myTag(app core.App, owner, tagID string) (*core.Record, error) {
	tag, err := findOne(app, TagsCollection, "id = {:id} && owner = {:o}", dbx.Params{"id": tagID, "o": owner})
	if err != nil {
		return nil, err
	}
	if tag == nil {
		return nil, NotFound()
	}
	return tag, nil
}

// ownTags keeps the ids that are tags of owner and drops the rest, so a
// forged form cannot attach someone else's tag.
func ownTags(app core.App, owner string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > TagsMax {
		ids = ids[:TagsMax]
	}
	params := dbx.Params{"o": owner}
	holders := make([]string, 0, len(ids))
	for i, id := range ids {
		k := fmt.Sprintf("t%d", i)
		params[k] = id
		holders = append(holders, "{:"+k+"}")
	}
	var out []string
	err := app.DB().NewQuery("SELECT id FROM contact_tags WHERE owner = {:o} AND id IN (" + strings.Join(holders, ",") + ")").
		Bind(params).Column(&out)
	if err != nil {
		return nil, fmt.Errorf("check tags: %w", err)
	}
	return out, nil
}
