package visitors_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"plaza/hooks/visitors"
)

// TestBatchWritesTogether: counts noted together are written once, each
// once; the timer writes by itself; a full batch drops and says how many;
// after Close, Add answers false and nothing is lost.
func TestBatchWritesTogether(t *testing.T) {
	var mu sync.Mutex
	var writes [][]string
	dropped := 0
	b := &visitors.Batch[string]{Every: 30 * time.Millisecond, Limit: 3,
		Write: func(keys []string) error {
			mu.Lock()
			defer mu.Unlock()
			slices.Sort(keys)
			writes = append(writes, keys)
			return nil
		},
		Dropped: func(n int) { dropped += n }}
	for _, k := range []string{"a", "b", "a", "c", "d"} {
		if !b.Add(k) {
			t.Fatal("an open batch refused a count")
		}
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if len(writes) != 1 || !slices.Equal(writes[0], []string{"a", "b", "c"}) || dropped != 1 {
		t.Fatalf("writes %v, dropped %d", writes, dropped)
	}
	b.Add("e")
	deadline := time.Now().Add(2 * time.Second)
	for {
		mu.Lock()
		n := len(writes)
		mu.Unlock()
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the timer wrote nothing")
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Add("f")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if b.Add("g") {
		t.Fatal("a closed batch took a count")
	}
	if len(writes) != 3 || !slices.Equal(writes[2], []string{"f"}) {
		t.Fatalf("close lost a count: %v", writes)
	}
}
