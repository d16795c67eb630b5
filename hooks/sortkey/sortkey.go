// Package sortkey orders display names the way Plaza's contacts list shows
// them: alphabetically under an index bar (A–Z, then #), with Chinese names
// sorted by their pinyin, as WeChat does.
//
// A name is reduced to an index letter and a sort key:
//
//   - Leading and trailing white space (and invisible format characters such
//     as U+200B or U+FEFF) is ignored.
//   - The index letter comes from the first remaining rune only. A Latin
//     letter gives its accent-folded upper case (É → "E"); a Han character
//     gives the first letter of its pinyin (王 → "W"); anything else (digits,
//     punctuation, emoji, other scripts, the empty name) gives "#".
//   - The key is lower case. Latin letters are folded to plain ASCII
//     (compatibility decomposition, then combining marks dropped, plus a few
//     letters without a decomposition such as ß, æ, ø, ł). Each Han character
//     becomes its pinyin without tones (go-pinyin, style Normal, first
//     reading) as a separate space-delimited syllable; runs of white space
//     collapse to one space; other characters (digits, punctuation, emoji,
//     other scripts) are kept as they are, lower-cased.
//
// Han syllables are space-delimited on purpose: the space sorts before every
// letter, so names compare character by character, all 李 (li) names come
// before 连 (lian), and 李安 ("li an") no longer collides with 连 ("lian").
// A consequence is that 阿姨 ("a yi") sorts before Alice ("alice").
//
// Names with equal letters and keys (李雷 and 李磊 are both "li lei", Bob and
// bob are both "bob") fall back to comparing the raw names byte-wise, so the
// order is total and deterministic.
package sortkey

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"

	pinyin "github.com/mozillazg/go-pinyin"
	"golang.org/x/text/unicode/norm"
)

// Other is the index letter for names that do not start with a Latin letter
// or a Han character with a known pinyin reading. It sorts after "Z".
const Other = "#"

// Of returns the index letter ("A"…"Z", or "#" for names not starting with a Latin letter or Han character)
// and a sort key for a display name.
//
// Only the first rune after trimming white space decides the letter, so
// "😀smile" and "123abc" are under "#". A Han character that go-pinyin has no
// reading for is kept as-is in the key and, in first position, gives "#".
func Of(name string) (letter string, key string) {
	s := strings.TrimFunc(norm.NFKD.String(name), isIgnorable)
	var (
		b         strings.Builder
		sep       bool // a word boundary is pending before the next unit
		prevLatin bool // the previous unit was a Latin letter
		first     = true
	)
	b.Grow(len(s) + 8)
	letter = Other
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			sep, prevLatin = true, false
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		case unicode.Is(unicode.Mn, r):
			// Accents decomposed off a Latin letter are folded away; marks
			// on anything else are kept (and never decide the letter).
			if !prevLatin {
				b.WriteRune(r)
			}
			first = false
			continue
		}
		if unicode.Is(unicode.Han, r) {
			if py := hanPinyin(r); py != "" {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				if first {
					letter = letterOf(py)
				}
				b.WriteString(py)
				sep, prevLatin, first = true, false, false
				continue
			}
		}
		if sep && b.Len() > 0 {
			b.WriteByte(' ')
		}
		sep = false
		if unicode.Is(unicode.Latin, r) {
			f := foldLatin(r)
			if first {
				letter = letterOf(f)
			}
			b.WriteString(f)
			prevLatin = true
		} else {
			b.WriteRune(unicode.ToLower(r))
			prevLatin = false
		}
		first = false
	}
	return letter, b.String()
}

// Compare orders two names as the contacts list does: by letter (A…Z, then # last), then by key, then by the raw name (stable, deterministic).
//
// It returns a negative number when a sorts before b, a positive number when
// after, and 0 only when a == b.
func Compare(a, b string) int {
	la, ka := Of(a)
	lb, kb := Of(b)
	return compare(la, ka, a, lb, kb, b)
}

// Section is one letter's run of items.
type Section[T any] struct {
	// Letter is the index letter, "A"…"Z" or "#".
	Letter string
	// Items are the section's items in Compare order.
	Items []T
}

// Group sorts items by name(item) with Compare and splits them into sections in index order (only non-empty sections).
//
// Each name is reduced to its letter and key once. Items with identical names
// keep their input order. The items slice is not modified; Group returns nil
// when items is empty.
func Group[T any](items []T, name func(T) string) []Section[T] {
	if len(items) == 0 {
		return nil
	}
	type entry struct {
		letter, key, name string
		item              T
	}
	es := make([]entry, len(items))
	for i, it := range items {
		n := name(it)
		l, k := Of(n)
		es[i] = entry{l, k, n, it}
	}
	slices.SortStableFunc(es, func(x, y entry) int {
		return compare(x.letter, x.key, x.name, y.letter, y.key, y.name)
	})
	var out []Section[T]
	for i, e := range es {
		if i == 0 || e.letter != es[i-1].letter {
			out = append(out, Section[T]{Letter: e.letter})
		}
		s := &out[len(out)-1]
		s.Items = append(s.Items, e.item)
	}
	return out
}

func compare(la, ka, na, lb, kb, nb string) int {
	if c := cmp.Compare(letterRank(la), letterRank(lb)); c != 0 {
		return c
	}
	if c := strings.Compare(ka, kb); c != 0 {
		return c
	}
	return strings.Compare(na, nb)
}

// letterRank puts "A"…"Z" in order and "#" (anything else) after them.
func letterRank(l string) int {
	if len(l) == 1 && l[0] >= 'A' && l[0] <= 'Z' {
		return int(l[0] - 'A')
	}
	return 26
}

// letterOf returns the upper-case index letter for a folded, lower-case unit,
// or "#" when it does not start with a–z.
func letterOf(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(rune(s[0] - 'a' + 'A'))
	}
	return Other
}

func isIgnorable(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// latinSpecial folds Latin letters that have no canonical or compatibility
// decomposition. Keys are lower case.
var latinSpecial = map[rune]string{
	'ß': "ss", 'ẞ': "ss",
	'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l",
	'đ': "d", 'Đ': "d",
	'ð': "d", 'Ð': "d",
	'þ': "th", 'Þ': "th",
	'ħ': "h", 'Ħ': "h",
	'ŧ': "t", 'Ŧ': "t",
	'ı': "i",
	'ŋ': "n", 'Ŋ': "n",
}

// foldLatin lower-cases a (already NFKD-decomposed) Latin letter and maps the
// few letters that have no decomposition to ASCII.
func foldLatin(r rune) string {
	if f, ok := latinSpecial[r]; ok {
		return f
	}
	return string(unicode.ToLower(r))
}

var (
	pinyinArgs  = pinyin.NewArgs() // Style Normal, no heteronyms: first reading
	pinyinCache sync.Map           // rune → string ("" when there is no reading)
)

// hanPinyin returns the toneless first pinyin reading of a Han character as
// plain lower-case ASCII, or "" when go-pinyin has none. Results are cached:
// go-pinyin runs a regexp per call.
func hanPinyin(r rune) string {
	if v, ok := pinyinCache.Load(r); ok {
		return v.(string)
	}
	py := ""
	if ps := pinyin.SinglePinyin(r, pinyinArgs); len(ps) > 0 {
		py = asciiFold(ps[0])
	}
	pinyinCache.Store(r, py)
	return py
}

// asciiFold reduces a Normal-style pinyin syllable to a–z. Normal style is
// ASCII for almost every reading, but a few (such as ê) keep a non-ASCII
// letter or a combining mark.
func asciiFold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 'a' || c > 'z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.Is(unicode.Latin, r):
			b.WriteString(foldLatin(r))
		case r >= '0' && r <= '9':
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
