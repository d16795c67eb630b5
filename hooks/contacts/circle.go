package contacts

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Tie is what Moments needs to know about one friendship, seen from one
// of the two friends (the "member"), read from both contact rows at once.
type Tie struct {
	ChatOnly   bool // either friend set "chat only": no Moments either way
	HideMine   bool // the member set "don't let them see my Moments"
	HideTheirs bool // the member set "hide their Moments" (their posts stay off the member's feed)
	HiddenFrom bool // the friend set "don't let them see my Moments" for the member
}

// circleSQL lists a member's friends, both contact rows present and no
// block either way (CutSQL's rule), with both sides' Moments switches.
const circleSQL = `SELECT c.friend AS friend, (c.chat_only OR o.chat_only) AS chat_only, c.hide_my_moments AS hide_mine,
	c.hide_their_moments AS hide_theirs, o.hide_my_moments AS hidden_from
	FROM contacts c JOIN contacts o ON o.owner = c.friend AND o.friend = c.owner
	LEFT JOIN blocks mine ON mine.owner = c.owner AND mine.target = c.friend
	LEFT JOIN blocks theirs ON theirs.owner = c.friend AND theirs.target = c.owner
	WHERE c.owner = {:m} AND mine.id IS NULL AND theirs.id IS NULL`

type tieRow struct {
	Friend     string `db:"friend"`
	ChatOnly   bool   `db:"chat_only"`
	HideMine   bool   `db:"hide_mine"`
	HideTheirs bool   `db:"hide_theirs"`
	HiddenFrom bool   `db:"hidden_from"`
}

// Circle maps each current friend of memberID (friends both ways, no
// block either way) to the Moments switches between them. Someone absent
// from the map is a stranger to memberID as far as Moments goes.
func Circle(app core.App, memberID string) (map[string]Tie, error) {
	var rows []tieRow
	if err := app.DB().NewQuery(circleSQL).Bind(dbx.Params{"m": memberID}).All(&rows); err != nil {
		return nil, fmt.Errorf("read circle: %w", err)
	}
	out := make(map[string]Tie, len(rows))
	for _, r := range rows {
		out[r.Friend] = Tie{ChatOnly: r.ChatOnly, HideMine: r.HideMine, HideTheirs: r.HideTheirs, HiddenFrom: r.HiddenFrom}
	}
	return out, nil
}

// TieWith is the tie between memberID and otherID as memberID sees it,
// and whether they are friends now (Circle for one pair).
func TieWith(app core.App, memberID, otherID string) (Tie, bool, error) {
	var rows []tieRow
	if err := app.DB().NewQuery(circleSQL + ` AND c.friend = {:o}`).Bind(dbx.Params{"m": memberID, "o": otherID}).All(&rows); err != nil {
		return Tie{}, false, fmt.Errorf("read tie: %w", err)
	}
	if len(rows) == 0 {
		return Tie{}, false, nil
	}
	r := rows[0]
	return Tie{ChatOnly: r.ChatOnly, HideMine: r.HideMine, HideTheirs: r.HideTheirs, HiddenFrom: r.HiddenFrom}, true, nil
}

// FriendsTagged are ownerID's friends carrying any of tagIDs (ownerID's
// own tags; others' tag ids match nothing), for an audience fixed now.
func FriendsTagged(app core.App, ownerID string, tagIDs []string) ([]string, error) {
	if len(tagIDs) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(tagIDs)
	if err != nil {
		return nil, fmt.Errorf("tag ids: %w", err)
	}
	var ids []string
	err = app.DB().NewQuery(`SELECT DISTINCT c.friend FROM contacts c, json_each(c.tags) j
		JOIN contact_tags t ON t.id = j.value AND t.owner = {:o}
		WHERE c.owner = {:o} AND j.value IN (SELECT value FROM json_each({:tags}))`).
		Bind(dbx.Params{"o": ownerID, "tags": string(list)}).Column(&ids)
	if err != nil {
		return nil, fmt.Errorf("read tagged friends: %w", err)
	}
	return ids, nil
}
