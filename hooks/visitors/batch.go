package visitors

import (
	"sync"
	"time"
)

// Batch gathers counts a public page makes (Channels' views, Official
// Accounts' reads) and writes them together, off the request path: Add
// notes one in memory, and a timer started by the first writes all noted
// in the last Every in one call of Write (one transaction). A page then
// never waits for the write lock nor a disk flush, and a thousand counts a
// second cost one commit a second (docs/PERFORMANCE.md, "Channels"). The
// counts a reader sees lag by up to Every.
type Batch[K comparable] struct {
	Every   time.Duration   // how long the first count waits for company
	Limit   int             // counts waiting at most; more are dropped (a flood, not readers)
	Write   func([]K) error // stores counts, in one transaction
	Dropped func(n int)     // told at each write how many were dropped since the last
	Failed  func(err error) // told when a timer's write fails (the counts are lost: counts, not money)
	mu      sync.Mutex
	pending map[K]struct{}
	timer   *time.Timer
	closed  bool
	dropped int
	writeMu sync.Mutex // one write at a time
}

// Add notes one count for the next write; false when the batch is closed
// (the app is shutting down: the caller counts synchronously).
func (b *Batch[K]) Add(k K) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	if b.pending == nil {
		b.pending = make(map[K]struct{})
	}
	if len(b.pending) >= b.Limit {
		b.dropped++
	} else {
		b.pending[k] = struct{}{}
	}
	if b.timer == nil {
		b.timer = time.AfterFunc(b.Every, func() {
			if err := b.Flush(); err != nil && b.Failed != nil {
				b.Failed(err)
			}
		})
	}
	return true
}

// Flush writes the counts noted since the last write now (the timer calls
// it; tests call it to read a count at once).
func (b *Batch[K]) Flush() error {
	b.writeMu.Lock()
	defer b.writeMu.Unlock()
	b.mu.Lock()
	batch, dropped := b.pending, b.dropped
	b.pending, b.dropped = nil, 0
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	b.mu.Unlock()
	if dropped > 0 && b.Dropped != nil {
		b.Dropped(dropped)
	}
	if len(batch) == 0 {
		return nil
	}
	keys := make([]K, 0, len(batch))
	for k := range batch {
		keys = append(keys, k)
	}
	return b.Write(keys)
}

// Close writes what is noted and makes later Adds answer false.
func (b *Batch[K]) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return b.Flush()
}
