package chat_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
)

// BenchmarkSend is the send path: membership and friendship checks,
// idempotency lookup, sequence, insert, read position, then fan-out.
func BenchmarkSend(b *testing.B) {
	p := newPair(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: fmt.Sprint("b", i), Text: "benchmark message"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSendParallel is the send path under concurrent senders (16
// goroutines on 2 cores), where the writer stores waiting sends together.
func BenchmarkSendParallel(b *testing.B) {
	p := newPair(b)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			who := p.ann.Id
			if i%2 == 0 {
				who = p.bo.Id
			}
			if _, err := p.svc.Send(who, p.conv, chat.SendInput{ClientID: fmt.Sprint("p", i), Text: "benchmark message"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkPlainSave is the yardstick next to BenchmarkSend: one
// single-goroutine app.Save of a small plain record.
func BenchmarkPlainSave(b *testing.B) {
	p := newPair(b)
	c, err := p.app.FindCollectionByNameOrId("contact_tags")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := core.NewRecord(c)
		r.Set("owner", p.ann.Id)
		r.Set("name", fmt.Sprint("tag", i))
		if err := p.app.Save(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHistoryPage loads a page of 50 messages at a random point of a
// conversation holding 100,000 (the (conversation, seq) index serves it).
func BenchmarkHistoryPage(b *testing.B) {
	p := newPair(b)
	const total = 100_000
	err := p.app.RunInTransaction(func(tx core.App) error {
		for i := 1; i <= total; i++ {
			_, err := tx.DB().NewQuery(`INSERT INTO messages (id, conversation, seq, sender, client_id, kind, text, reply_to, meta, recalled, created, updated)
				VALUES ({:id}, {:c}, {:seq}, {:s}, '', 'text', 'history', '', 'null', 0, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')`).
				Bind(dbx.Params{"id": fmt.Sprintf("h%014d", i), "c": p.conv, "seq": i, "s": p.ann.Id}).Execute()
			if err != nil {
				return err
			}
		}
		_, err := tx.DB().NewQuery("UPDATE conversations SET last_seq = {:n} WHERE id = {:c}").Bind(dbx.Params{"n": total, "c": p.conv}).Execute()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	took := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := int64(r.IntN(total) + 1)
		start := time.Now()
		msgs, err := chat.Messages(p.app, p.bo.Id, p.conv, -1, before, 50)
		took = append(took, time.Since(start))
		if err != nil || (before > 50 && len(msgs) != 50) {
			b.Fatalf("page before %d: %d messages, %v", before, len(msgs), err)
		}
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}
