package chat

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// TestOrderHandsFramesOverInSequence: 200 frames of one conversation
// published from as many goroutines in random order reach deliver in
// sequence order, each once; a frame whose predecessor never comes goes out
// after holdMax; a late predecessor still goes out; and a conversation with
// nothing outstanding is forgotten.
func TestOrderHandsFramesOverInSequence(t *testing.T) {
	o := &order{convs: map[string]*convOrder{}}
	const n = 200
	for seq := int64(1); seq <= n; seq++ {
		o.expect("c", seq) // the transactions, in commit order
	}
	var mu sync.Mutex
	var got []int64
	deliver := func(f heldFrame) {
		mu.Lock()
		got = append(got, int64(f.data[0])<<8|int64(f.data[1]))
		mu.Unlock()
	}
	frame := func(seq int64) heldFrame { return heldFrame{data: []byte{byte(seq >> 8), byte(seq)}} }
	var wg sync.WaitGroup
	for _, i := range rand.Perm(n) {
		seq := int64(i + 1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			o.publish("c", seq, frame(seq), deliver)
		}()
	}
	wg.Wait()
	if len(got) != n {
		t.Fatalf("delivered %d of %d", len(got), n)
	}
	for i, seq := range got {
		if seq != int64(i+1) {
			t.Fatalf("delivered out of order at %d: %v", i, got[max(0, i-3):min(len(got), i+3)])
		}
	}
	o.mu.Lock()
	left := len(o.convs)
	o.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d conversations remembered with nothing outstanding", left)
	}

	// 201 is taken but its frame never comes (its publisher failed): 202
	// waits, then goes out after holdMax; 201 arriving late goes out too.
	o.expect("c", n+1)
	o.expect("c", n+2)
	start := time.Now()
	o.publish("c", n+2, frame(n+2), deliver)
	for {
		mu.Lock()
		done := len(got) == n+1
		mu.Unlock()
		if done {
			break
		}
		if time.Since(start) > holdMax+2*time.Second {
			t.Fatal("a frame waited forever for a predecessor that never came")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if waited := time.Since(start); waited < holdMax-100*time.Millisecond {
		t.Fatalf("the frame went out after %v, before its predecessor's time was up", waited)
	}
	o.publish("c", n+1, frame(n+1), deliver)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != n+2 || got[n] != n+2 || got[n+1] != n+1 {
		t.Fatalf("after the hole: %v", got[n:])
	}
}
