package split

import (
	"errors"
	"slices"
	"testing"
)

// FuzzLucky checks, for arbitrary seeds, totals and counts, that Lucky and
// Equal accept exactly the valid arguments (returning ErrBadSplit
// otherwise), and that on the arguments clamped into the valid range every
// share is at least 1 cent, the shares sum to total, Equal's shares differ
// by at most 1 cent, and Lucky is deterministic.
func FuzzLucky(f *testing.F) {
	f.Add(vectorSeed(), int64(1000), 3)
	f.Add([]byte{}, int64(1), 1)
	f.Add([]byte("x"), int64(MaxCount), MaxCount)
	f.Add([]byte{0xff}, MaxTotal, MaxCount)
	f.Add([]byte{1, 2, 3}, int64(-1), 0)
	f.Add([]byte{1, 2, 3}, MaxTotal+1, MaxCount+1)
	f.Fuzz(func(t *testing.T, seed []byte, total int64, count int) {
		checkFuzz(t, seed, total, count)
		ct, cc := clamp(total, count)
		if !valid(ct, cc) {
			t.Fatalf("clamp(%d, %d) = (%d, %d) is not valid", total, count, ct, cc)
		}
		checkFuzz(t, seed, ct, cc)
	})
}

func valid(total int64, count int) bool {
	return count >= 1 && count <= MaxCount && total >= int64(count) && total <= MaxTotal
}

// clamp maps any (total, count) into the valid range: count into
// [1, MaxCount] and total into [count, MaxTotal].
func clamp(total int64, count int) (int64, int) {
	c := 1 + int(uint64(count)%MaxCount)
	span := uint64(MaxTotal - int64(c) + 1)
	return int64(c) + int64(uint64(total)%span), c
}

func checkFuzz(t *testing.T, seed []byte, total int64, count int) {
	lucky, err := Lucky(seed, total, count)
	eq, eqErr := Equal(total, count)
	if !valid(total, count) {
		if !errors.Is(err, ErrBadSplit) || !errors.Is(eqErr, ErrBadSplit) || lucky != nil || eq != nil {
			t.Fatalf("(%d, %d): got %v, %v and %v, %v; want ErrBadSplit", total, count, lucky, err, eq, eqErr)
		}
		return
	}
	if err != nil || eqErr != nil {
		t.Fatalf("(%d, %d): errors %v, %v", total, count, err, eqErr)
	}
	if msg := checkShares(lucky, total, count); msg != "" {
		t.Fatalf("Lucky(%x, %d, %d) = %v: %s", seed, total, count, lucky, msg)
	}
	if msg := checkShares(eq, total, count); msg != "" {
		t.Fatalf("Equal(%d, %d) = %v: %s", total, count, eq, msg)
	}
	if eq[0]-eq[count-1] > 1 {
		t.Fatalf("Equal(%d, %d) = %v: shares differ by more than 1 cent", total, count, eq)
	}
	if again, _ := Lucky(seed, total, count); !slices.Equal(lucky, again) {
		t.Fatalf("Lucky(%x, %d, %d) not deterministic: %v then %v", seed, total, count, lucky, again)
	}
}
