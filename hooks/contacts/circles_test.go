package contacts_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/contacts"
)

// TestCirclesFollowEveryChange reads Ann's circle through the cache after
// changes made by every door (an operation, a record saved as /_/ saves
// it, raw SQL) and compares it with a fresh read; inside a transaction the
// cache neither answers nor keeps what the transaction saw.
func TestCirclesFollowEveryChange(t *testing.T) {
	w := newWorld(t)
	cache := contacts.NewCircles()
	check := func(step string) {
		t.Helper()
		got, err := cache.Of(w.app, w.ann.Id)
		if err != nil {
			t.Fatal(err)
		}
		want, err := contacts.Circle(w.app, w.ann.Id)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: cached circle %v, fresh %v", step, got, want)
		}
		for id, tie := range want {
			if got[id] != tie {
				t.Fatalf("%s: cached tie with %s %+v, fresh %+v", step, id, got[id], tie)
			}
		}
	}
	check("first read")
	if _, ok := mustCircle(t, cache, w.app, w.ann.Id)[w.bo.Id]; !ok {
		t.Fatal("Bo is not in Ann's circle")
	}

	// A record saved as the admin UI saves it: Bo hides his Moments from Ann.
	row, err := w.app.FindFirstRecordByFilter("contacts", "owner = {:o} && friend = {:f}", dbx.Params{"o": w.bo.Id, "f": w.ann.Id})
	if err != nil {
		t.Fatal(err)
	}
	row.Set("hide_my_moments", true)
	if err := w.app.Save(row); err != nil {
		t.Fatal(err)
	}
	check("Bo's switch saved as a record")
	if !mustCircle(t, cache, w.app, w.ann.Id)[w.bo.Id].HiddenFrom {
		t.Fatal("the cache kept Bo's old switch")
	}

	// Raw SQL: chat only on Ann's side.
	if _, err := w.app.DB().NewQuery(`UPDATE contacts SET chat_only = 1 WHERE owner = {:o}`).Bind(dbx.Params{"o": w.ann.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	check("raw SQL")

	if err := w.svc.Block(w.ann, w.bo.Id); err != nil {
		t.Fatal(err)
	}
	check("an operation (block)")
	if _, ok := mustCircle(t, cache, w.app, w.ann.Id)[w.bo.Id]; ok {
		t.Fatal("Bo is still in Ann's circle after the block")
	}
	if err := w.svc.Unblock(w.ann, w.bo.Id); err != nil {
		t.Fatal(err)
	}
	check("an operation (unblock)")

	// A transaction that unfriends and rolls back: inside, the circle is
	// empty; after, the cache does not keep what it saw.
	errRollback := errString("roll back")
	err = w.app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().NewQuery(`DELETE FROM contacts WHERE owner = {:o}`).Bind(dbx.Params{"o": w.ann.Id}).Execute(); err != nil {
			return err
		}
		if n := len(mustCircle(t, cache, tx, w.ann.Id)); n != 0 {
			t.Errorf("inside the transaction Ann's circle has %d friends, want 0", n)
		}
		return errRollback
	})
	if err != errRollback {
		t.Fatal(err)
	}
	check("after a rolled-back transaction")
	if _, ok := mustCircle(t, cache, w.app, w.ann.Id)[w.bo.Id]; !ok {
		t.Fatal("the cache kept what a rolled-back transaction saw")
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func mustCircle(t *testing.T, c *contacts.Circles, app core.App, id string) map[string]contacts.Tie {
	t.Helper()
	got, err := c.Of(app, id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}
