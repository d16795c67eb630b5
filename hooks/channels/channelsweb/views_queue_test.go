package channelsweb_test

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/internal/testapp"
)

// TestPostPageQueuesViews: the public post page notes its views and
// writes them together, off the request path: nothing is counted before
// the flush, then one per viewer per day and never the owner's own; the
// timer writes them by itself within a second or so; a shutdown writes
// what is queued and later views count at once.
func TestPostPageQueuesViews(t *testing.T) {
	w := newWorld(t)
	svc := testapp.Services(t, w.app).Channels
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Dawn ride", 1)
	page := "/c/annrides/p/" + id
	views := func() int {
		t.Helper()
		p, err := svc.PostFor("", id)
		if err != nil {
			t.Fatal(err)
		}
		return p.Views
	}
	for _, who := range []*core.Record{w.bo, w.bo, w.cy, nil, nil, w.ann} {
		if rec := w.do(who, "GET", page, "", nil); rec.Code != 200 {
			t.Fatalf("page: %d", rec.Code)
		}
	}
	if n := views(); n != 0 {
		t.Fatalf("%d views counted inside the requests", n)
	}
	if err := svc.FlushViews(); err != nil {
		t.Fatal(err)
	}
	if n := views(); n != 3 { // Bo, Cy, the visitor; not Ann's own
		t.Fatalf("%d views after the flush, want 3", n)
	}

	w.do(w.bo, "GET", page, "", nil) // counted already today
	w.do(w.dee, "GET", page, "", nil)
	deadline := time.Now().Add(5 * time.Second)
	for views() != 4 {
		if time.Now().After(deadline) {
			t.Fatalf("the timer wrote nothing: %d views", views())
		}
		time.Sleep(50 * time.Millisecond)
	}

	w.do(testapp.CreateMember(t, w.app, "eve001"), "GET", page, "", nil)
	if err := w.app.OnTerminate().Trigger(&core.TerminateEvent{App: w.app}); err != nil {
		t.Fatal(err)
	}
	if n := views(); n != 5 {
		t.Fatalf("the shutdown lost the queued view: %d", n)
	}
	w.do(testapp.CreateMember(t, w.app, "fay001"), "GET", page, "", nil)
	if n := views(); n != 6 {
		t.Fatalf("after the shutdown a view counts at once: %d", n)
	}
}
