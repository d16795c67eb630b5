package oa_test

import (
	"testing"
	"time"

	"plaza/hooks/oa"
)

// TestQueuedReadsCountOnceAtTheWrite: the page's reads count nothing until
// the write, then once per reader per day, never the owner's or an
// operator's, never a draft's; a shutdown writes what is queued.
func TestQueuedReadsCountOnceAtTheWrite(t *testing.T) {
	w := newWorld(t)
	owner, acct := w.account("news", oa.KindSubscription, true)
	op, bo, cy := w.member("op"), w.member("bo"), w.member("cy")
	if err := w.svc.AddOperator(owner, acct.ID, op); err != nil {
		t.Fatal(err)
	}
	art := w.article(owner, acct.ID, "Street party")
	draft := w.article(owner, acct.ID, "Draft")
	if _, err := w.svc.Broadcast(owner, art.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	reads := func(id string) int {
		t.Helper()
		a, err := w.svc.Article(owner, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Reads
	}
	for _, r := range []oa.Reader{{MemberID: bo}, {MemberID: bo}, {MemberID: cy}, {Addr: "192.0.2.7"}, {Addr: "192.0.2.7"},
		{MemberID: owner}, {MemberID: op}} {
		if err := w.svc.QueueRead(r, art.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.svc.QueueRead(oa.Reader{MemberID: bo}, draft.ID); err != nil {
		t.Fatal(err)
	}
	if n := reads(art.ID); n != 0 {
		t.Fatalf("%d reads before the write", n)
	}
	if err := w.svc.FlushReads(); err != nil {
		t.Fatal(err)
	}
	if n, d := reads(art.ID), reads(draft.ID); n != 3 || d != 0 {
		t.Fatalf("reads %d (want 3), draft %d", n, d)
	}
	st, err := w.svc.Stats(owner, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range st.Days {
		total += d.Reads
	}
	if total != 3 {
		t.Fatalf("the daily stats count %d reads", total)
	}
}
