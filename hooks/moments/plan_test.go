package moments_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/moments"
)

// TestFeedQueriesUseTheIndex explains the feed and album queries on an
// empty database and on one with 6,000 posts and SQLite's statistics:
// each must walk its posts index newest first (no MULTI-INDEX OR, which
// loses the order and reads every post, and no sort of the whole result;
// docs/PERFORMANCE.md, "Moments", fix 1); only the feed of a member with
// few friends reads by author and merges.
func TestFeedQueriesUseTheIndex(t *testing.T) {
	app := testapp.New(t)
	params := dbx.Params{"v": "me", "authors": `["me","a1"]`, "o": "a1", "bp": "9999", "bid": "", "n": 11,
		"cut6m": "2026-01-01", "cut1m": "2026-06-01", "cut3d": "2026-06-28"}
	want := map[string]string{"feed": "idx_moments_posts_posted", "feed (few)": "idx_moments_posts_author_posted", "album (self)": "idx_moments_posts_author_posted",
		"album (friend)": "idx_moments_posts_author_posted", "album (stranger)": "idx_moments_posts_author_posted"}
	check := func(when string) {
		for name, q := range moments.PlanSQL {
			var plan []struct {
				Detail string `db:"detail"`
			}
			if err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(params).All(&plan); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var all []string
			for _, p := range plan {
				all = append(all, p.Detail)
			}
			text := strings.Join(all, "; ")
			t.Logf("%s, %s: %s", when, name, text)
			full := name != "feed (few)" && strings.Contains(text, "TEMP B-TREE FOR ORDER BY") // the few authors' posts are merged
			if strings.Contains(text, "MULTI-INDEX OR") || full ||
				strings.Contains(text, "SCAN p") || !strings.Contains(text, want[name]) {
				t.Errorf("%s, %s: want %s newest first, plan: %s", when, name, want[name], text)
			}
		}
	}
	check("empty")

	err := app.RunInTransaction(func(tx core.App) error {
		for i := range 6000 {
			vis := []string{"all", "all", "all", "private", "include", "exclude"}[i%6]
			at := fmt.Sprintf("2026-%02d-%02d 10:00:00.000Z", 1+i%12, 1+i%28)
			if _, err := tx.DB().NewQuery(`INSERT INTO moments_posts (id, author, text, location, visibility, reminds, media_count, media_kind, taken_down, posted, created, updated)
				VALUES ({:id}, {:a}, 'plan', '', {:vis}, '[]', 0, '', 0, {:at}, {:at}, {:at})`).
				Bind(dbx.Params{"id": fmt.Sprintf("p%014d", i), "a": fmt.Sprintf("a%d", i%60), "vis": vis, "at": at}).Execute(); err != nil {
				return err
			}
			if vis == "include" || vis == "exclude" {
				if _, err := tx.DB().NewQuery(`INSERT INTO moments_audience (id, post, member) VALUES ({:id}, {:p}, 'me')`).
					Bind(dbx.Params{"id": fmt.Sprintf("u%014d", i), "p": fmt.Sprintf("p%014d", i)}).Execute(); err != nil {
					return err
				}
			}
		}
		_, err := tx.DB().NewQuery("ANALYZE").Execute()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("6,000 posts, analyzed")
}
