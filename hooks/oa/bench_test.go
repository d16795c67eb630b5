package oa_test

import (
	"fmt"
	"testing"
	"time"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// followingMany is a member following n approved accounts, each with two
// published articles.
func followingMany(b testing.TB, n int) (*oa.Service, string) {
	app := testapp.New(b)
	svc := testapp.Services(b, app).OA
	now := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
	svc.SetClock(func() time.Time { return now })
	reader := testapp.CreateMember(b, app, "reader").Id
	for i := range n {
		owner := testapp.CreateMember(b, app, fmt.Sprintf("own%04d", i)).Id
		acct, err := svc.Apply(owner, oa.ApplyInput{Handle: fmt.Sprintf("acct%04d", i), Name: "A", Category: "news", Kind: oa.KindService})
		if err != nil {
			b.Fatal(err)
		}
		rec, _ := app.FindRecordById("oa_accounts", acct.ID)
		rec.Set("status", oa.StatusApproved)
		if err := app.Save(rec); err != nil {
			b.Fatal(err)
		}
		for j := range 2 {
			now = now.Add(time.Minute)
			a, err := svc.WriteArticle(owner, acct.ID, oa.ArticleInput{Title: fmt.Sprint("t", j)})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := svc.Follow(reader, acct.ID); err != nil {
			b.Fatal(err)
		}
	}
	return svc, reader
}

// BenchmarkFollowed200 is the future Subscriptions list of a member
// following 200 accounts (issue 14 asks p95 ≤ 10 ms).
func BenchmarkFollowed200(b *testing.B) {
	svc, reader := followingMany(b, 200)
	b.ResetTimer()
	for b.Loop() {
		list, err := svc.Followed(reader)
		if err != nil || len(list) != 200 {
			b.Fatal(len(list), err)
		}
	}
}
