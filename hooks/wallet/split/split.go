// Package split divides a red packet into shares, either evenly ("normal"
// packets, see Equal) or at random ("lucky" packets, see Lucky), and makes
// the random split provably fair with a commit-and-reveal seed.
//
// Amounts are int64 cents. Every split needs 1 <= count <= MaxCount and
// count <= total <= MaxTotal (each share gets at least 1 cent); anything
// else is ErrBadSplit.
//
// # Fairness protocol
//
// When a lucky packet is sent, the server draws a 32-byte seed (NewSeed) and
// publishes Commit(seed, total, count). When the packet is finished it
// reveals the seed, and anyone can check it with Verify and recompute every
// share with Lucky. The commitment is the lowercase hex SHA-256 of the bytes
//
//	"plaza-redpacket-v1\n" + hex(seed) + "\n" + decimal(total) + "\n" + decimal(count)
//
// where hex is lowercase and decimal is the plain base-10 form (a leading
// "-" for negatives, no "+", no leading zeros).
//
// # Lucky algorithm (version 1)
//
// Byte stream. Block k (k = 0, 1, 2, …) is HMAC-SHA256 (standard RFC 2104
// HMAC) with key = seed (the raw seed bytes, not their hex) and message = "plaza-redpacket-v1/" + decimal(k), e.g.
// "plaza-redpacket-v1/0". The stream is block0 || block1 || block2 || …,
// read as consecutive big-endian uint64 values, 8 bytes at a time (4 values
// per block). Values are never skipped or reused: each draw takes the next
// 8 bytes.
//
// Uniform(n), n >= 1, gives an integer in [0, n) by rejection sampling: let
// limit = 2^64 − (2^64 mod n); draw the next stream value v until v < limit;
// return v mod n. It always draws at least one value, even for n = 1 (then
// limit = 2^64 and the first value is accepted).
//
// Shares, in claim order (share i goes to the i-th claimer). Start with
// R = total. For i = 0 … count−2, with r = count − i shares left:
//
//	maxShare = min(2·⌊R/r⌋, R − (r − 1))   (and 1 if that is below 1)
//	share[i] = 1 + Uniform(maxShare)       (so 1 <= share[i] <= maxShare)
//	R        = R − share[i]
//
// and the last share is share[count−1] = R. This is the "double average"
// method: each share is uniform on [1, maxShare], about R/r on average
// (⌊R/r⌋ + ½ when the cap R − (r − 1), which keeps at least 1 cent for each
// later share, does not bite). Since total >= count, R >= r holds at every
// step, so every share is at least 1 cent and the shares sum to total. When
// count = 1 there is no draw and the single share is total.
//
// # Test vector
//
// seed = 00 01 02 … 1f (the 32 bytes 0x00 to 0x1f), total = 1000, count = 3:
//
//	Commit = 87557a8143ea0abd5ec759b91c5df0a489872061c049668e3ca04c826367ac3e
//	block0 = 7406544dd052eae43117c402fe3172e9f307534e008818736ec83b3d9f04cf9a
//	i = 0:  R = 1000, r = 3, maxShare = min(2·333, 998) = 666
//	        v = 0x7406544dd052eae4 (block0 bytes 0–7), v mod 666 = 108, share = 109
//	i = 1:  R = 891, r = 2, maxShare = min(2·445, 890) = 890
//	        v = 0x3117c402fe3172e9 (block0 bytes 8–15), v mod 890 = 685, share = 686
//	last:   share = 891 − 686 = 205
//	Lucky  = [109 686 205]
//
// Both draws are far below their limits (2^64 − 160 and 2^64 − 156), so
// neither is rejected.
package split

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math"
	"strconv"
)

const (
	// MaxCount is the largest number of shares a packet may be split into.
	MaxCount = 1000
	// MaxTotal is the largest packet total, in cents (10^12 cents).
	MaxTotal int64 = 1_000_000_000_000

	seedSize = 32 // bytes returned by NewSeed

	commitPrefix = "plaza-redpacket-v1\n"
	streamPrefix = "plaza-redpacket-v1/"
)

// ErrBadSplit is returned by Lucky and Equal when count < 1,
// count > MaxCount, total < count (every share must be at least 1 cent) or
// total > MaxTotal.
var ErrBadSplit = errors.New("split: bad red packet split (need 1 <= count <= MaxCount and count <= total <= MaxTotal)")

// NewSeed returns 32 fresh bytes from crypto/rand, to be used as
// a lucky packet's seed.
func NewSeed() ([]byte, error) {
	seed := make([]byte, seedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("split: read random seed: %w", err)
	}
	return seed, nil
}

// Commit returns the commitment published when a lucky packet is sent: the
// lowercase hex SHA-256 of "plaza-redpacket-v1\n" + hex(seed) + "\n" +
// decimal(total) + "\n" + decimal(count). Binding total and count means a
// revealed seed only verifies for the packet it was committed for. Commit
// does not validate its arguments.
func Commit(seed []byte, total int64, count int) string {
	msg := make([]byte, 0, len(commitPrefix)+2*len(seed)+2+20+20)
	msg = append(msg, commitPrefix...)
	msg = hex.AppendEncode(msg, seed)
	msg = append(msg, '\n')
	msg = strconv.AppendInt(msg, total, 10)
	msg = append(msg, '\n')
	msg = strconv.AppendInt(msg, int64(count), 10)
	sum := sha256.Sum256(msg)
	return hex.EncodeToString(sum[:])
}

// Verify reports whether commitment equals Commit(seed, total, count),
// comparing in constant time. The comparison is exact: an upper-case or
// otherwise differently spelled commitment does not verify.
func Verify(seed []byte, commitment string, total int64, count int) bool {
	want := Commit(seed, total, count)
	return subtle.ConstantTimeCompare([]byte(want), []byte(commitment)) == 1
}

func check(total int64, count int) error {
	if count < 1 || count > MaxCount || total < int64(count) || total > MaxTotal {
		return ErrBadSplit
	}
	return nil
}

// Equal returns the "normal" split of total cents into count shares: every
// share is total/count (integer division), and the total%count remainder
// cents go one each to the first shares. So the shares differ by at most
// 1 cent, never increase from first to last, and sum to total; e.g.
// Equal(1000, 3) is [334 333 333]. It returns ErrBadSplit for invalid
// arguments (see ErrBadSplit).
func Equal(total int64, count int) ([]int64, error) {
	if err := check(total, count); err != nil {
		return nil, err
	}
	n := int64(count)
	base, rem := total/n, total%n
	shares := make([]int64, count)
	for i := range shares {
		shares[i] = base
		if int64(i) < rem {
			shares[i]++
		}
	}
	return shares, nil
}

// Lucky returns the random ("lucky") split of total cents into count shares
// determined by seed, in claim order: share i goes to the i-th claimer. The
// algorithm is described precisely in the package documentation; the same
// seed, total and count always give the same shares. Every share is at least
// 1 cent and the shares sum to total. Any seed length is accepted (NewSeed
// gives 32 bytes). It returns ErrBadSplit for invalid arguments (see
// ErrBadSplit).
func Lucky(seed []byte, total int64, count int) ([]int64, error) {
	if err := check(total, count); err != nil {
		return nil, err
	}
	s := newStream(seed)
	shares := make([]int64, count)
	rest := total
	for i := 0; i < count-1; i++ {
		r := int64(count - i)
		maxShare := min(2*(rest/r), rest-(r-1))
		if maxShare < 1 {
			maxShare = 1 // unreachable while rest >= r; kept as documented
		}
		share := 1 + int64(s.uniform(uint64(maxShare)))
		shares[i] = share
		rest -= share
	}
	shares[count-1] = rest

	// Belt and braces: the invariants hold by construction.
	var sum int64
	for _, v := range shares {
		if v < 1 {
			return nil, fmt.Errorf("split: internal error: share %d < 1", v)
		}
		sum += v
	}
	if sum != total {
		return nil, fmt.Errorf("split: internal error: shares sum to %d, not %d", sum, total)
	}
	return shares, nil
}

// stream is the deterministic byte stream of the package documentation:
// HMAC-SHA256(seed, "plaza-redpacket-v1/" + decimal(k)) for k = 0, 1, 2, …
type stream struct {
	mac   hash.Hash
	k     uint64
	block [sha256.Size]byte
	pos   int // next unread byte of block; len(block) means "need a block"
	msg   []byte
}

func newStream(seed []byte) *stream {
	return &stream{
		mac: hmac.New(sha256.New, seed),
		pos: sha256.Size,
		msg: make([]byte, 0, len(streamPrefix)+20),
	}
}

// next returns the next big-endian uint64 of the stream.
func (s *stream) next() uint64 {
	if s.pos+8 > len(s.block) {
		s.msg = strconv.AppendUint(append(s.msg[:0], streamPrefix...), s.k, 10)
		s.mac.Reset()
		s.mac.Write(s.msg)
		s.mac.Sum(s.block[:0])
		s.k++
		s.pos = 0
	}
	v := binary.BigEndian.Uint64(s.block[s.pos:])
	s.pos += 8
	return v
}

// uniform returns an integer uniform in [0, n), n >= 1, by rejection
// sampling: it draws stream values until accept takes one.
func (s *stream) uniform(n uint64) uint64 {
	if n == 0 {
		panic("split: uniform(0)")
	}
	for {
		if u, ok := accept(s.next(), n); ok {
			return u
		}
	}
}

// accept is one rejection-sampling step for Uniform(n), n >= 1: with
// rem = 2^64 mod n and limit = 2^64 − rem, it accepts v iff v < limit, that
// is v <= MaxUint64 − rem, and then returns v mod n.
func accept(v, n uint64) (uint64, bool) {
	rem := -n % n // (2^64 − n) mod n == 2^64 mod n, without overflow
	if v <= math.MaxUint64-rem {
		return v % n, true
	}
	return 0, false
}
