package wallet_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"

	"plaza/hooks/internal/testapp"
	"plaza/hooks/storage"
	"plaza/hooks/wallet"
)

// benchWorld is a world with ann rich enough for any run, on the
// production synchronous level (FULL: hooks/storage) so the figures match
// a deployed server. Test apps otherwise run PocketBase's NORMAL.
func benchWorld(b *testing.B) *world {
	b.Helper()
	wd := newWorld(b)
	if _, err := wd.app.NonconcurrentDB().NewQuery("PRAGMA synchronous=" + storage.Synchronous("data.db")).Execute(); err != nil {
		b.Fatal(err)
	}
	wd.mint(b, wd.ann, wallet.MaxAmount/2)
	return wd
}

// BenchmarkWalletPlainSave is the yardstick: one single-goroutine app.Save
// of a small plain record, on the same database settings.
func BenchmarkWalletPlainSave(b *testing.B) {
	wd := benchWorld(b)
	c, err := wd.app.FindCollectionByNameOrId("contact_tags")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := core.NewRecord(c)
		r.Set("owner", wd.ann.Id)
		r.Set("name", fmt.Sprint("tag", i))
		if err := wd.app.Save(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWalletTransfer is one transfer through the ledger, single
// goroutine: idempotency key, conditional debit into a new escrow,
// balanced postings, the transfer row and its chat card, one transaction.
func BenchmarkWalletTransfer(b *testing.B) {
	wd := benchWorld(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := wd.w.SendTransfer(wd.ann.Id, fmt.Sprintf("bench-%09d", i), wallet.TransferInput{Conversation: wd.annBo, Amount: 1}, wd.pinFor(wd.ann.Id)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWalletTransferHTTP is the same through the JSON API with the pay
// PIN (bcrypt at the production cost), over loopback HTTP.
func BenchmarkWalletTransferHTTP(b *testing.B) {
	wd := benchWorld(b)
	saved := wallet.PINCost
	wallet.PINCost = bcrypt.DefaultCost
	err := wd.w.SetPIN(wd.ann.Id, "246810")
	wallet.PINCost = saved
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(testapp.Handler(b, wd.app))
	b.Cleanup(srv.Close)
	token := testapp.Token(b, wd.ann)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		status, out := apiCall(b, http.MethodPost, srv.URL+"/api/plaza/wallet/transfers", token, fmt.Sprintf("bench-http-%09d", i),
			map[string]any{"conversation": wd.annBo, "amount": 1, "pin": "246810"})
		if status != http.StatusOK {
			b.Fatalf("status %d: %v", status, out)
		}
	}
}

// BenchmarkWalletPINCheck is the PIN hash's own cost inside the HTTP
// figure: one bcrypt comparison at the production cost.
func BenchmarkWalletPINCheck(b *testing.B) {
	hash, err := bcrypt.GenerateFromPassword([]byte("246810"), bcrypt.DefaultCost)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := bcrypt.CompareHashAndPassword(hash, []byte("246810")); err != nil {
			b.Fatal(err)
		}
	}
}
