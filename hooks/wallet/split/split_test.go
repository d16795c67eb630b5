package split

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// vectorSeed is the seed of the documented test vector: bytes 0x00 … 0x1f.
func vectorSeed() []byte {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i)
	}
	return seed
}

// TestVector pins the test vector shown in the package documentation, down
// to the stream bytes, so that other implementations can be checked
// against it and any change to the algorithm fails here.
func TestVector(t *testing.T) {
	seed := vectorSeed()
	const (
		wantCommit = "87557a8143ea0abd5ec759b91c5df0a489872061c049668e3ca04c826367ac3e"
		wantBlock0 = "7406544dd052eae43117c402fe3172e9f307534e008818736ec83b3d9f04cf9a"
	)
	if got := Commit(seed, 1000, 3); got != wantCommit {
		t.Errorf("Commit = %s, want %s", got, wantCommit)
	}
	s := newStream(seed)
	if v := s.next(); v != 0x7406544dd052eae4 {
		t.Errorf("first stream value = %#x, want 0x7406544dd052eae4", v)
	}
	if v := s.next(); v != 0x3117c402fe3172e9 {
		t.Errorf("second stream value = %#x, want 0x3117c402fe3172e9", v)
	}
	if got := hex.EncodeToString(s.block[:]); got != wantBlock0 {
		t.Errorf("block0 = %s, want %s", got, wantBlock0)
	}
	shares, err := Lucky(seed, 1000, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{109, 686, 205}; !slices.Equal(shares, want) {
		t.Errorf("Lucky(vector) = %v, want %v", shares, want)
	}
}

// refLucky is an independent, deliberately naive implementation of the
// documented algorithm (fresh HMAC per block, math/big for the rejection
// limit) used to cross-check Lucky.
func refLucky(seed []byte, total int64, count int) []int64 {
	var buf []byte
	k := 0
	next := func() uint64 {
		if len(buf) < 8 {
			m := hmac.New(sha256.New, seed)
			m.Write([]byte(fmt.Sprintf("plaza-redpacket-v1/%d", k)))
			buf = m.Sum(nil)
			k++
		}
		v := binary.BigEndian.Uint64(buf)
		buf = buf[8:]
		return v
	}
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	uniform := func(n int64) int64 {
		bn := big.NewInt(n)
		limit := new(big.Int).Sub(two64, new(big.Int).Mod(two64, bn))
		for {
			v := new(big.Int).SetUint64(next())
			if v.Cmp(limit) < 0 {
				return v.Mod(v, bn).Int64()
			}
		}
	}
	out := make([]int64, 0, count)
	rest := total
	for i := 0; i < count-1; i++ {
		r := int64(count - i)
		m := 2 * (rest / r)
		if c := rest - (r - 1); c < m {
			m = c
		}
		if m < 1 {
			m = 1
		}
		sh := 1 + uniform(m)
		out = append(out, sh)
		rest -= sh
	}
	return append(out, rest)
}

func TestLuckyMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := 0; i < n; i++ {
		seed := make([]byte, rng.IntN(70)) // any length, including empty
		for j := range seed {
			seed[j] = byte(rng.Uint32())
		}
		count := 1 + rng.IntN(60)
		if i%100 == 0 {
			count = MaxCount
		}
		total := int64(count) + rng.Int64N(MaxTotal-int64(count)+1)
		if i%3 == 0 {
			total = int64(count) + rng.Int64N(int64(3*count))
		}
		got, err := Lucky(seed, total, count)
		if err != nil {
			t.Fatalf("Lucky(%x, %d, %d): %v", seed, total, count, err)
		}
		if want := refLucky(seed, total, count); !slices.Equal(got, want) {
			t.Fatalf("Lucky(%x, %d, %d) = %v, reference gives %v", seed, total, count, got, want)
		}
	}
}

// TestUniformRejects uses n = 2^63 + 1, for which limit = 2^63 + 1 and
// about half the draws are rejected, to check that rejection sampling
// rejects exactly the values >= limit and consumes them from the stream.
func TestUniformRejects(t *testing.T) {
	const n = 1<<63 + 1
	rejected := 0
	for trial := 0; trial < 200; trial++ {
		seed := []byte{byte(trial), byte(trial >> 8)}
		raw := newStream(seed)
		want := uint64(0)
		for {
			v := raw.next()
			if v < n { // limit = 2^64 − (2^64 mod n) = 2^64 − (2^63 − 1) = n
				want = v % n
				break
			}
			rejected++
		}
		s := newStream(seed)
		if got := s.uniform(n); got != want {
			t.Fatalf("seed %x: uniform(2^63+1) = %d, want %d", seed, got, want)
		}
		// Both streams must now be at the same position.
		if a, b := s.next(), raw.next(); a != b {
			t.Fatalf("seed %x: stream position differs after uniform", seed)
		}
	}
	if rejected < 50 {
		t.Fatalf("only %d rejections in 200 trials; test is not exercising rejection", rejected)
	}
}

// TestAccept checks the rejection boundary exactly against math/big: v is
// accepted iff v < 2^64 − (2^64 mod n).
func TestAccept(t *testing.T) {
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	ns := []uint64{1, 2, 3, 5, 7, 10, 666, 890, 1000, 1 << 32, 1<<32 + 1,
		uint64(MaxTotal), 2 * uint64(MaxTotal), 1<<63 - 1, 1 << 63, 1<<63 + 1,
		math.MaxUint64 - 1, math.MaxUint64}
	for _, n := range ns {
		bn := new(big.Int).SetUint64(n)
		limit := new(big.Int).Sub(two64, new(big.Int).Mod(two64, bn))
		lim := limit.Sub(limit, big.NewInt(1)).Uint64() // largest accepted v
		vs := []uint64{0, 1, n - 1, n, lim - 1, lim, math.MaxUint64 - 1, math.MaxUint64}
		if lim < math.MaxUint64 {
			vs = append(vs, lim+1)
		}
		for _, v := range vs {
			got, ok := accept(v, n)
			if wantOK := v <= lim; ok != wantOK || (ok && got != v%n) {
				t.Errorf("accept(%d, %d) = %d, %v; want %d, %v", v, n, got, ok, v%n, wantOK)
			}
		}
	}
}

// TestUniformOneDraws checks the documented corner: Uniform(1) still
// consumes one stream value.
func TestUniformOneDraws(t *testing.T) {
	a, b := newStream(vectorSeed()), newStream(vectorSeed())
	if got := a.uniform(1); got != 0 {
		t.Fatalf("uniform(1) = %d", got)
	}
	b.next()
	for i := 0; i < 9; i++ { // crosses into block 1 and 2
		if x, y := a.next(), b.next(); x != y {
			t.Fatalf("value %d: %#x != %#x", i, x, y)
		}
	}
}

// TestProperty checks Lucky and Equal on 300,000 pseudo-random splits
// (50,000 with -short): mostly 2–20 shares with totals up to 20,000,000
// cents, plus edge cases (count 1, count MaxCount, total == count,
// total == MaxTotal, very tight totals).
func TestProperty(t *testing.T) {
	n := 300_000
	if testing.Short() {
		n = 50_000
	}
	rng := rand.New(rand.NewPCG(2024, 1))
	seed := make([]byte, 32)
	var counts [4]int
	for i := 0; i < n; i++ {
		for j := 0; j < 32; j += 8 {
			binary.LittleEndian.PutUint64(seed[j:], rng.Uint64())
		}
		var count int
		switch p := rng.IntN(1000); {
		case p < 1: // 0.1%
			count = MaxCount
			counts[0]++
		case p < 20: // 1.9%
			count = 1
			counts[1]++
		case p < 40: // 2%
			count = 1 + rng.IntN(MaxCount)
			counts[2]++
		default:
			count = 2 + rng.IntN(19)
			counts[3]++
		}
		var total int64
		switch p := rng.IntN(1000); {
		case p < 20:
			total = int64(count)
		case p < 30:
			total = MaxTotal
		case p < 40:
			total = int64(count) + rng.Int64N(MaxTotal-int64(count)+1)
		case p < 100:
			total = int64(count) + rng.Int64N(int64(2*count)+1) // tight: few spare cents
		default:
			total = int64(count) + rng.Int64N(20_000_000-int64(count)+1)
		}

		shares, err := Lucky(seed, total, count)
		if err != nil {
			t.Fatalf("Lucky(%x, %d, %d): %v", seed, total, count, err)
		}
		if msg := checkShares(shares, total, count); msg != "" {
			t.Fatalf("Lucky(%x, %d, %d) = %v: %s", seed, total, count, shares, msg)
		}
		again, err := Lucky(seed, total, count)
		if err != nil || !slices.Equal(shares, again) {
			t.Fatalf("Lucky(%x, %d, %d) not deterministic: %v then %v (%v)", seed, total, count, shares, again, err)
		}

		eq, err := Equal(total, count)
		if err != nil {
			t.Fatalf("Equal(%d, %d): %v", total, count, err)
		}
		if msg := checkShares(eq, total, count); msg != "" {
			t.Fatalf("Equal(%d, %d) = %v: %s", total, count, eq, msg)
		}
		if eq[0]-eq[count-1] > 1 || eq[0] != (total+int64(count)-1)/int64(count) {
			t.Fatalf("Equal(%d, %d) = %v: shares differ by more than 1 cent", total, count, eq)
		}
		for j := 1; j < count; j++ {
			if eq[j] > eq[j-1] {
				t.Fatalf("Equal(%d, %d) = %v: remainder not on the first shares", total, count, eq)
			}
		}
	}
	t.Logf("%d splits (count MaxCount/1/any/2..20: %v)", n, counts)
}

// checkShares returns "" if shares has count elements, each >= 1, summing
// to total, and a description of the first violation otherwise.
func checkShares(shares []int64, total int64, count int) string {
	if len(shares) != count {
		return fmt.Sprintf("len %d, want %d", len(shares), count)
	}
	var sum int64
	for i, v := range shares {
		if v < 1 {
			return fmt.Sprintf("share %d is %d < 1", i, v)
		}
		sum += v
	}
	if sum != total {
		return fmt.Sprintf("sum %d, want %d", sum, total)
	}
	return ""
}

func TestEqual(t *testing.T) {
	tests := []struct {
		total int64
		count int
		want  []int64
	}{
		{1000, 3, []int64{334, 333, 333}},
		{10, 4, []int64{3, 3, 2, 2}},
		{11, 4, []int64{3, 3, 3, 2}},
		{12, 4, []int64{3, 3, 3, 3}},
		{5, 5, []int64{1, 1, 1, 1, 1}},
		{7, 1, []int64{7}},
		{1, 1, []int64{1}},
		{MaxTotal, 3, []int64{333_333_333_334, 333_333_333_333, 333_333_333_333}},
	}
	for _, tt := range tests {
		got, err := Equal(tt.total, tt.count)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("Equal(%d, %d) = %v, %v; want %v", tt.total, tt.count, got, err, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		total int64
		count int
		bad   bool
	}{
		{1000, 0, true},
		{1000, -1, true},
		{0, 0, true},
		{2, 3, true},  // total < count
		{0, 1, true},  // total < count
		{-5, 1, true}, // total < count
		{math.MinInt64, 1, true},
		{MaxTotal, MaxCount + 1, true},
		{5000, math.MaxInt, true},
		{MaxTotal + 1, 1, true},
		{math.MaxInt64, 1, true},
		{MaxTotal + 1, MaxCount, true},
		// Edges that are valid.
		{1, 1, false},
		{3, 3, false},
		{MaxCount, MaxCount, false},
		{MaxTotal, 1, false},
		{MaxTotal, MaxCount, false},
	}
	seed := vectorSeed()
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d", tt.total, tt.count), func(t *testing.T) {
			for name, f := range map[string]func() ([]int64, error){
				"Lucky": func() ([]int64, error) { return Lucky(seed, tt.total, tt.count) },
				"Equal": func() ([]int64, error) { return Equal(tt.total, tt.count) },
			} {
				shares, err := f()
				if tt.bad {
					if !errors.Is(err, ErrBadSplit) || shares != nil {
						t.Errorf("%s(%d, %d) = %v, %v; want nil, ErrBadSplit", name, tt.total, tt.count, shares, err)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s(%d, %d): %v", name, tt.total, tt.count, err)
				} else if msg := checkShares(shares, tt.total, tt.count); msg != "" {
					t.Errorf("%s(%d, %d) = %v: %s", name, tt.total, tt.count, shares, msg)
				}
			}
		})
	}
}

func TestCommitVerify(t *testing.T) {
	seed := vectorSeed()
	const total, count = 1000, 3
	c := Commit(seed, total, count)
	if len(c) != 64 || strings.ToLower(c) != c {
		t.Fatalf("Commit = %q, want 64 lowercase hex digits", c)
	}
	// The preimage is exactly the documented byte string.
	pre := "plaza-redpacket-v1\n" + hex.EncodeToString(seed) + "\n1000\n3"
	if sum := sha256.Sum256([]byte(pre)); hex.EncodeToString(sum[:]) != c {
		t.Fatalf("Commit does not hash the documented preimage %q", pre)
	}
	if !Verify(seed, c, total, count) {
		t.Fatal("Verify rejects the matching commitment")
	}

	flipped := bytes.Clone(seed)
	flipped[31] ^= 1
	tests := []struct {
		name       string
		seed       []byte
		commitment string
		total      int64
		count      int
	}{
		{"seed changed", flipped, c, total, count},
		{"seed truncated", seed[:31], c, total, count},
		{"seed empty", nil, c, total, count},
		{"total changed", seed, c, total + 1, count},
		{"total changed down", seed, c, total - 1, count},
		{"count changed", seed, c, total, count + 1},
		{"count changed down", seed, c, total, count - 1},
		{"commitment upper case", seed, strings.ToUpper(c), total, count},
		{"commitment truncated", seed, c[:63], total, count},
		{"commitment empty", seed, "", total, count},
		{"commitment of other packet", seed, Commit(seed, 1003, 0), total, count},
	}
	for _, tt := range tests {
		if Verify(tt.seed, tt.commitment, tt.total, tt.count) {
			t.Errorf("%s: Verify accepted", tt.name)
		}
	}
}

func TestNewSeed(t *testing.T) {
	a, err := NewSeed()
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewSeed()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != seedSize || len(b) != seedSize {
		t.Fatalf("seed lengths %d, %d, want %d", len(a), len(b), seedSize)
	}
	if bytes.Equal(a, b) {
		t.Fatal("two seeds are equal")
	}
}

// TestFairness is a rough check that no claim position is favoured: for
// total = 1000, count = 5 every position's mean share over 100,000 seeds is
// within 3% of 200, and the first share covers exactly [1, 400].
func TestFairness(t *testing.T) {
	const total, count, n = 1000, 5, 100_000
	var sums [count]int64
	lo, hi := int64(math.MaxInt64), int64(0)
	seed := make([]byte, 32)
	for i := 0; i < n; i++ {
		binary.BigEndian.PutUint64(seed, uint64(i))
		shares, err := Lucky(seed, total, count)
		if err != nil {
			t.Fatal(err)
		}
		for j, v := range shares {
			sums[j] += v
		}
		lo, hi = min(lo, shares[0]), max(hi, shares[0])
	}
	for j, s := range sums {
		mean := float64(s) / n
		t.Logf("position %d: mean %.2f", j, mean)
		if math.Abs(mean-200) > 6 {
			t.Errorf("position %d: mean share %.2f, want 200 ± 3%%", j, mean)
		}
	}
	if lo != 1 || hi != 400 {
		t.Errorf("first share range [%d, %d], want [1, 400]", lo, hi)
	}
}
