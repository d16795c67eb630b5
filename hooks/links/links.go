// Package links defines the one signed-link format behind every QR code
// Plaza shows: add a friend, join a group, collect a payment, open a mini
// program and follow an Official Account. The package is pure: the caller supplies the HMAC key, and the
// caller compares a link's epoch with the target's current code generation.
//
// # Format
//
// A link is an absolute http or https URL, or a bare path, of the form
//
//	<base>/<route>/<target>?e=<epoch>[&x=<expiry>][&<params>]&t=<sig>
//
// where <route>/<target> depends on the kind:
//
//	kind "add"   /add/<target>       target: a member's Plaza ID
//	kind "join"  /join/<target>      target: a group id
//	kind "pay"   /pay/<target>       target: the payee's Plaza ID
//	kind "mp"    /open/mp/<target>   target: a mini program AppID
//	kind "oa"    /open/oa/<target>   target: an Official Account's handle (follow it)
//
// The fields are:
//
//   - target: 1–64 bytes of [A-Za-z0-9_-], written as is (never escaped).
//   - e: the epoch, the target's code generation, a decimal integer in
//     0 … 2^63-1 without sign or leading zeros. Required.
//   - x: the expiry in Unix seconds, a decimal integer in 1 … 253402300799
//     (9999-12-31T23:59:59Z) without sign or leading zeros; absent when the
//     link never expires. The link is good up to and including the instant
//     x; it has expired when now is after it.
//   - params: at most 8 extra signed parameters. Names are 1–32 bytes of
//     [A-Za-z0-9_.-] other than "e", "x" and "t"; each name appears once;
//     values are valid UTF-8 of at most 128 bytes (possibly empty); their
//     encoding P (below) is at most 1024 bytes.
//   - t: the signature, the base64url encoding without padding (RFC 4648
//     §5, 22 characters) of the first 16 bytes of HMAC-SHA256(key,
//     canonical).
//
// canonical is the byte string
//
//	"plaza-link-v1\n" + kind + "\n" + target + "\n" + X + "\n" + E + "\n" + P
//
// with no trailing newline, where kind is the kind name ("add", "join",
// "pay", "mp" or "oa"), X is the expiry in decimal or "0" when there is none, E is
// the epoch in decimal and P is the extra parameters encoded as by Go's
// url.Values.Encode: sorted by name, each written name=value with
// url.QueryEscape (bytes other than A-Z a-z 0-9 - _ . ~ become %XX in upper
// case, space becomes "+"), joined by "&"; P is empty when there are none.
//
// A link is at most 2048 bytes; [Signer.Path] and [Signer.URL] refuse to
// build longer ones (a path is at most 1160 bytes, so only a long base can
// make a URL too long).
//
// # Verifying
//
// Query parameters may appear in any order and with any valid percent
// encoding: a verifier decodes them and recomputes canonical from the
// decoded values. Every query parameter other than e, x and t is a signed
// parameter, so adding, removing or changing one breaks the signature.
// [Signer.Parse] proceeds as follows.
//
// The input is trimmed of surrounding white space. An empty input, one longer
// than 2048 bytes after trimming (foreign rather than tampered: no Plaza
// issues such links, and it is rejected before it is parsed), one that is not an http or https URL
// with a host and without user info, one whose host:port is not among the
// expected hosts (compared case-insensitively, when hosts are given) or one
// whose path does not begin with a route above is [ErrForeign]. A raw
// string starting with a single "/" is a bare path on this Plaza and is
// accepted whatever hosts are given: a path alone cannot lead to another
// server. A scheme-relative "//host/…" is foreign. An input that Go's
// url.Parse rejects (for instance one with control characters) is foreign.
//
// Once the route is recognised, anything else that is wrong is
// [ErrTampered]: a malformed target (including escapes, extra segments and
// a trailing slash), a fragment, a malformed query, a missing, repeated or
// non-canonical e, x or t, a bad extra parameter, a wrong signature. Only a
// link whose signature verifies can be [ErrExpired]; Parse then returns the
// link along with the error, so that the caller can say what expired.
// [ErrRevoked] is for the caller, who compares [Link.Epoch] with the
// target's current epoch.
package links

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The link kinds. Each kind has its own route; see the package doc.
const (
	KindAddFriend   = "add"  // target: a member's Plaza ID; route /add/<target>
	KindJoinGroup   = "join" // target: a group id; route /join/<target>
	KindPay         = "pay"  // target: the payee's Plaza ID; route /pay/<target>
	KindMiniProgram = "mp"   // target: a mini program AppID; route /open/mp/<target> (/mp/ serves bundles)
	// KindOfficialAccount's target is an Official Account's handle; route
	// /open/oa/<target> (the account's profile, to follow it).
	KindOfficialAccount = "oa"
)

// Errors returned by [Signer.Parse] (wrapped with detail; test with
// errors.Is). ErrRevoked is never returned by this package.
var (
	// ErrForeign means the input is not a link of this Plaza: not an http(s)
	// URL or bare path, an unexpected host, user info, an unknown route, or
	// an empty or over-long input.
	ErrForeign = errors.New("links: not a Plaza link")
	// ErrTampered means the input is a Plaza link whose signature is missing
	// or wrong, or whose fields were changed or are malformed.
	ErrTampered = errors.New("links: link is tampered or malformed")
	// ErrExpired means the signature is valid but the link's expiry is past.
	ErrExpired = errors.New("links: link has expired")
	// ErrRevoked is for callers: the signature is valid but the link's epoch
	// is older than the target's current epoch (its code was reset).
	ErrRevoked = errors.New("links: link has been revoked")
)

// Limits of the format.
const (
	maxLen        = 2048
	maxTarget     = 64
	maxParams     = 8
	maxParamName  = 32
	maxParamValue = 128
	maxEncoded    = 1024         // encoded extra params
	maxExpiry     = 253402300799 // 9999-12-31T23:59:59Z
	minKeyLen     = 32
	sigLen        = 16
	version       = "plaza-link-v1"
)

type route struct{ kind, prefix string }

var routes = [...]route{
	{KindAddFriend, "/add/"},
	{KindJoinGroup, "/join/"},
	{KindPay, "/pay/"},
	{KindMiniProgram, "/open/mp/"},
	{KindOfficialAccount, "/open/oa/"},
}

func prefixOf(kind string) (string, bool) {
	for _, r := range routes {
		if r.kind == kind {
			return r.prefix, true
		}
	}
	return "", false
}

// Link is the content of a signed link.
type Link struct {
	// Kind is one of the Kind constants.
	Kind string
	// Target identifies what the link opens: 1–64 bytes of [A-Za-z0-9_-].
	Target string
	// Params holds extra signed parameters (e.g. "amount"), each with
	// exactly one value; may be nil. The names "t", "e" and "x" are reserved.
	// Parse returns nil when there are none.
	Params url.Values
	// Expires is when the link stops working, truncated to whole seconds;
	// the zero value means never. Parse returns it in UTC.
	Expires time.Time
	// Epoch is the target's code generation: resetting a code bumps it, and
	// the caller rejects links with an older epoch ([ErrRevoked]).
	Epoch int64
}

// Signer builds and verifies links with one HMAC key. It is safe for
// concurrent use.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer for key, which must be at least 32 bytes. The
// key is copied.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < minKeyLen {
		return nil, fmt.Errorf("links: key is %d bytes, need at least %d", len(key), minKeyLen)
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// Path validates l and returns its signed path with query, for example
// "/add/alice_w?e=3&t=…", with x=<unix> when l.Expires is set and the extra
// params before t.
func (s *Signer) Path(l Link) (string, error) {
	prefix, ok := prefixOf(l.Kind)
	if !ok {
		return "", fmt.Errorf("links: unknown kind %q", l.Kind)
	}
	if !validTarget(l.Target) {
		return "", fmt.Errorf("links: invalid target %q", l.Target)
	}
	if l.Epoch < 0 {
		return "", fmt.Errorf("links: negative epoch %d", l.Epoch)
	}
	var x int64
	if !l.Expires.IsZero() {
		x = l.Expires.Unix()
		if x < 1 || x > maxExpiry {
			return "", fmt.Errorf("links: expiry %v out of range", l.Expires)
		}
	}
	p, err := checkParams(l.Params)
	if err != nil {
		return "", fmt.Errorf("links: %w", err)
	}

	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(l.Target)
	b.WriteString("?e=")
	b.WriteString(strconv.FormatInt(l.Epoch, 10))
	if x != 0 {
		b.WriteString("&x=")
		b.WriteString(strconv.FormatInt(x, 10))
	}
	if p != "" {
		b.WriteByte('&')
		b.WriteString(p)
	}
	b.WriteString("&t=")
	b.WriteString(base64.RawURLEncoding.EncodeToString(s.sign(l.Kind, l.Target, x, l.Epoch, p)))
	if b.Len() > maxLen {
		return "", fmt.Errorf("links: link is %d bytes, more than %d", b.Len(), maxLen)
	}
	return b.String(), nil
}

// URL returns base followed by [Signer.Path] of l. base is the Plaza's
// origin, such as "https://plaza.example.org": an http or https URL with a
// host and no path (a trailing slash is allowed), query or fragment.
func (s *Signer) URL(base string, l Link) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("links: bad base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || strings.Contains(base, "#") {
		return "", fmt.Errorf("links: base %q is not an http(s) origin", base)
	}
	p, err := s.Path(l)
	if err != nil {
		return "", err
	}
	out := u.Scheme + "://" + u.Host + p
	if len(out) > maxLen {
		return "", fmt.Errorf("links: link is %d bytes, more than %d", len(out), maxLen)
	}
	return out, nil
}

// sign returns the truncated HMAC of the canonical string; p is the
// encoded extra params.
func (s *Signer) sign(kind, target string, x, epoch int64, p string) []byte {
	m := hmac.New(sha256.New, s.key)
	var b strings.Builder
	b.WriteString(version)
	b.WriteByte('\n')
	b.WriteString(kind)
	b.WriteByte('\n')
	b.WriteString(target)
	b.WriteByte('\n')
	b.WriteString(strconv.FormatInt(x, 10))
	b.WriteByte('\n')
	b.WriteString(strconv.FormatInt(epoch, 10))
	b.WriteByte('\n')
	b.WriteString(p)
	m.Write([]byte(b.String()))
	return m.Sum(nil)[:sigLen]
}
