package oa_test

import (
	"testing"
	"time"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/links"
	"plaza/hooks/module"
	"plaza/hooks/oa"
)

// TestRegistryEntries: Official Accounts' Discover entry, its article card
// (one a Moments post may share) and its QR kind are registered.
func TestRegistryEntries(t *testing.T) {
	reg := testapp.Services(t, testapp.New(t)).Registry
	var entry *module.Entry
	for _, e := range reg.Discover() {
		if e.ID == oa.DiscoverID {
			entry = &e
		}
	}
	if entry == nil || entry.Href != "/oa" || entry.Label != "oa.title" || entry.Icon != "oa" {
		t.Fatalf("the Discover entry: %+v", entry)
	}
	ct, ok := reg.Card(oa.CardArticle)
	if !ok || !ct.Moments || !ct.Forwardable || ct.Build == nil || ct.State == nil {
		t.Fatalf("the article card: %+v", ct)
	}
	if !reg.Scannable(links.KindOfficialAccount) {
		t.Fatal("Scan does not open an account's QR code")
	}
}

// TestArticleCard: only a published article of an approved account has a
// card; it is gone once the article is deleted or the account rejected.
func TestArticleCard(t *testing.T) {
	w := newWorld(t)
	ct, _ := testapp.Services(t, w.app).Registry.Card(oa.CardArticle)
	owner, acct := w.account("news", oa.KindSubscription, true)
	draft := w.article(owner, acct.ID, "Draft")
	if _, err := ct.Build(w.app, owner, "", draft.ID); err == nil {
		t.Fatal("a draft has a card")
	}
	a := w.article(owner, acct.ID, "Out")
	if _, err := w.svc.Broadcast(owner, a.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	card, err := ct.Build(w.app, "", "", a.ID)
	if err != nil || card.Title != "Out" || card.Link != oa.ArticlePath("news", a.ID) || card.Sub != "NEWS" || card.Image != "" {
		t.Fatalf("the card: %+v %v", card, err)
	}
	if st := ct.State(w.app, "", a.ID); st != "" {
		t.Fatalf("a live article's card is %q", st)
	}
	rec, err := w.app.FindRecordById("oa_accounts", acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set("status", oa.StatusRejected)
	if err := w.app.Save(rec); err != nil {
		t.Fatal(err)
	}
	if st := ct.State(w.app, "", a.ID); st != module.CardStateGone {
		t.Fatalf("a rejected account's article card is %q", st)
	}
	if _, err := ct.Build(w.app, "", "", a.ID); err == nil {
		t.Fatal("a rejected account's article has a card")
	}
}
