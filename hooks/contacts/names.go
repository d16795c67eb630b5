package contacts

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// RemarksFor maps those of ids whom viewerID gave a remark (the name they
// saved a friend under) to that remark; everyone else is left out. One
// query, for other modules that show people as the viewer knows them.
func RemarksFor(app core.App, viewerID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	list := make([]any, len(ids))
	for i, id := range ids {
		list[i] = id
	}
	var rows []struct {
		Friend string `db:"friend"`
		Remark string `db:"remark"`
	}
	err := app.DB().Select("friend", "remark").From("contacts").
		Where(dbx.HashExp{"owner": viewerID}).AndWhere(dbx.NewExp("remark != ''")).AndWhere(dbx.In("friend", list...)).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("load remarks: %w", err)
	}
	for _, r := range rows {
		out[r.Friend] = r.Remark
	}
	return out, nil
}
