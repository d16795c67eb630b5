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
// conversation holding 100,000, as a real chat has them: a quarter are
// replies quoting an earlier message (near or far back), one in six has
// reactions (up to three), one in twenty is deleted for the reader, one in
// fifty was recalled. Reports p50 and p99.
func BenchmarkHistoryPage(b *testing.B) {
	p := newPair(b)
	const total = 100_000
	id := func(i int) string { return fmt.Sprintf("h%014d", i) }
	seed := rand.New(rand.NewPCG(3, 4))
	err := p.app.RunInTransaction(func(tx core.App) error {
		insert := tx.DB().NewQuery(`INSERT INTO messages (id, conversation, seq, sender, client_id, kind, text, reply_to, meta, recalled, created, updated)
			VALUES ({:id}, {:c}, {:seq}, {:s}, '', 'text', {:text}, {:reply}, 'null', {:recalled}, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')`).Prepare()
		defer insert.Close()
		react := tx.DB().NewQuery(`INSERT INTO message_reactions (id, message, member, emoji, created) VALUES ({:id}, {:m}, {:who}, {:e}, '2026-01-01 00:00:00.000Z')`).Prepare()
		defer react.Close()
		hide := tx.DB().NewQuery(`INSERT INTO message_hides (id, member, message) VALUES ({:id}, {:who}, {:m})`).Prepare()
		defer hide.Close()
		people := []string{p.ann.Id, p.bo.Id}
		for i := 1; i <= total; i++ {
			reply := ""
			if i > 1 && i%4 == 0 {
				back := 1 + seed.IntN(min(i-1, 30))
				if seed.IntN(5) == 0 {
					back = 1 + seed.IntN(i-1) // anywhere in the past
				}
				reply = id(i - back)
			}
			if _, err := insert.Bind(dbx.Params{"id": id(i), "c": p.conv, "seq": i, "s": people[i%2], "reply": reply,
				"text": fmt.Sprintf("history message %d, long enough to look like one people write", i), "recalled": i%50 == 0}).Execute(); err != nil {
				return err
			}
			if i%6 == 0 {
				for k := 0; k <= seed.IntN(3); k++ {
					if _, err := react.Bind(dbx.Params{"id": fmt.Sprintf("r%d_%d", i, k), "m": id(i), "who": people[k%2],
						"e": chat.Reactions[(i+k)%len(chat.Reactions)]}).Execute(); err != nil {
						return err
					}
				}
			}
			if i%20 == 0 {
				if _, err := hide.Bind(dbx.Params{"id": fmt.Sprintf("x%014d", i), "who": p.bo.Id, "m": id(i)}).Execute(); err != nil {
					return err
				}
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
	quotes := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		before := int64(r.IntN(total) + 1)
		start := time.Now()
		msgs, err := chat.Messages(p.app, p.bo.Id, p.conv, -1, before, 50)
		took = append(took, time.Since(start))
		if err != nil || (before > 60 && len(msgs) != 50) {
			b.Fatalf("page before %d: %d messages, %v", before, len(msgs), err)
		}
		for _, m := range msgs {
			if m.Quote != nil {
				quotes++
			}
		}
	}
	b.StopTimer()
	if b.N >= 10 && quotes == 0 {
		b.Fatal("no page had a quote")
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkSendGroupSize is one member's send (single goroutine) in a
// group of 2 and of 500 members, with a few members having hidden the chat
// (a send shows it to them again): what the sender's read-position and
// un-hide update and the fan-out's member lookup cost as the group grows.
func BenchmarkSendGroupSize(b *testing.B) {
	for _, size := range []int{2, 500} {
		b.Run(fmt.Sprintf("members=%d", size), func(b *testing.B) {
			p := newPair(b)
			conv := createGroupDirect(b, p.app, []string{p.ann.Id, p.bo.Id})
			err := p.app.RunInTransaction(func(tx core.App) error {
				for i := 2; i < size; i++ {
					if _, err := tx.DB().NewQuery("INSERT INTO conversation_members (id, conversation, member, role) VALUES ({:id}, {:c}, {:m}, 'member')").
						Bind(dbx.Params{"id": fmt.Sprintf("g%014d", i), "c": conv, "m": fmt.Sprintf("u%014d", i)}).Execute(); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			hideSome := func() {
				_, err := p.app.DB().NewQuery("UPDATE conversation_members SET hidden = 1 WHERE conversation = {:c} AND member != {:m} AND id IN (SELECT id FROM conversation_members WHERE conversation = {:c} ORDER BY id LIMIT 3)").
					Bind(dbx.Params{"c": conv, "m": p.ann.Id}).Execute()
				if err != nil {
					b.Fatal(err)
				}
			}
			hideSome()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%100 == 99 { // someone hides it again now and then
					b.StopTimer()
					hideSome()
					b.StartTimer()
				}
				if _, err := p.svc.Send(p.ann.Id, conv, chat.SendInput{ClientID: fmt.Sprint("g", i), Text: "group message"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
