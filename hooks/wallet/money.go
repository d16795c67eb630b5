package wallet

import (
	"errors"
	"strconv"
	"strings"
)

// MaxAmount is the largest amount any single operation may move, in cents
// (¥10,000,000,000.00): far beyond any limit, well inside float64's exact
// integers, so PocketBase's number fields hold it exactly.
const MaxAmount int64 = 1_000_000_000_000

// ErrAmount is a malformed amount.
var ErrAmount = errors.New("wallet: amount must be a positive number with at most two decimals")

// ParseAmount reads an amount as people type it ("10", "10.5", "10.50",
// "0.01", "1,000.00") into cents. A sign, an exponent, more than two
// decimals, zero or more than MaxAmount is ErrAmount; amounts never go
// through floating point.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "¥")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || len(s) > 20 {
		return 0, ErrAmount
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	if hasDot && (frac == "" || len(frac) > 2) {
		return 0, ErrAmount
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, ErrAmount
			}
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > MaxAmount/100 {
		return 0, ErrAmount
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	cents := w*100 + f
	if cents <= 0 || cents > MaxAmount {
		return 0, ErrAmount
	}
	return cents, nil
}

// FormatAmount writes cents as "12.34" (with a leading "-" when negative)
// and thousands separators: "1,234.50".
func FormatAmount(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	frac := cents % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// PlainAmount writes cents as "1234.50" (no separators), for CSV and forms.
func PlainAmount(cents int64) string {
	return strings.ReplaceAll(FormatAmount(cents), ",", "")
}
