package oa_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/module"
	"plaza/hooks/oa"
)

// followingMany is a member following n approved accounts (every other
// one a subscription account), each with published articles: two for a
// service account, one for a subscription account (its quota is one a
// day).
func followingMany(b testing.TB, n int) (core.App, *oa.Service, string) {
	app := testapp.New(b)
	svc := testapp.Services(b, app).OA
	now := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	svc.SetClock(func() time.Time { return now })
	reader := testapp.CreateMember(b, app, "reader").Id
	for i := range n {
		owner := testapp.CreateMember(b, app, fmt.Sprintf("own%04d", i)).Id
		kind, articles := oa.KindService, 2
		if i%2 == 1 {
			kind, articles = oa.KindSubscription, 1
		}
		acct, err := svc.Apply(owner, oa.ApplyInput{Handle: fmt.Sprintf("acct%04d", i), Name: "A", Category: "news", Kind: kind})
		if err != nil {
			b.Fatal(err)
		}
		rec, _ := app.FindRecordById("oa_accounts", acct.ID)
		rec.Set("status", oa.StatusApproved)
		if err := app.Save(rec); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.Follow(reader, acct.ID); err != nil {
			b.Fatal(err)
		}
		for j := range articles {
			now = now.Add(time.Minute)
			a, err := svc.WriteArticle(owner, acct.ID, oa.ArticleInput{Title: fmt.Sprint("t", j)})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	svc.WaitDelivered()
	return app, svc, reader
}

// timed runs op b.N times and reports p50, p95 and p99 of its calls.
func timed(b *testing.B, op func() error) {
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	for _, q := range []struct {
		name string
		at   int
	}{{"p50-µs", 50}, {"p95-µs", 95}, {"p99-µs", 99}} {
		b.ReportMetric(float64(took[len(took)*q.at/100].Microseconds()), q.name)
	}
}

// BenchmarkSubscriptions is a member following 200 accounts (100 of them
// subscription accounts): "list" is the Subscriptions list (Followed,
// issue 14 asks p95 ≤ 10 ms), "chat-row" the chat list's Subscriptions
// row every chat list draws, and "yardstick" one app.Save of a small
// record on the same database.
//
//	go test ./hooks/oa/ -run XXX -bench Subscriptions -benchtime 300x -count 2
func BenchmarkSubscriptions(b *testing.B) {
	app, svc, reader := followingMany(b, 200)
	reg := testapp.Services(b, app).Registry
	var row module.ChatFolder
	for _, f := range reg.ChatFolders() {
		if f.ID == oa.SubscriptionsFolder {
			row = f
		}
	}
	tags, err := app.FindCollectionByNameOrId("contact_tags")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("yardstick", func(b *testing.B) {
		timed(b, func() error {
			r := core.NewRecord(tags)
			r.Set("owner", reader)
			r.Set("name", core.GenerateDefaultRandomId())
			return app.Save(r)
		})
	})
	b.Run("list", func(b *testing.B) {
		timed(b, func() error {
			list, err := svc.Followed(reader)
			if err == nil && len(list) != 200 {
				err = fmt.Errorf("%d accounts", len(list))
			}
			return err
		})
	})
	b.Run("chat-row", func(b *testing.B) {
		timed(b, func() error {
			r, ok, err := row.Row(app, reader)
			if err == nil && (!ok || r.Preview == "") {
				err = fmt.Errorf("no row: %+v", r)
			}
			return err
		})
	})
}
