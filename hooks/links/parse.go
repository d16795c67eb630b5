package links

import (
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Parse verifies raw, a link URL or bare path, and returns its content. now
// is compared with the expiry; hosts, when given, are the accepted
// "host" or "host:port" values of the URL (case-insensitive, exact port).
// Errors wrap [ErrForeign], [ErrTampered] or [ErrExpired], in the order
// described in the package doc. Parse does not check the epoch.
func (s *Signer) Parse(raw string, now time.Time, hosts ...string) (Link, error) {
	str := strings.TrimSpace(raw)
	u, err := plazaURL(str, hosts)
	if err != nil {
		return Link{}, err
	}
	l, err := routeOf(u.EscapedPath())
	if err != nil {
		return Link{}, err
	}
	// From here on it is a Plaza link: every defect is tampering.
	if !validTarget(l.Target) {
		return Link{}, fmt.Errorf("%w: bad target", ErrTampered)
	}
	if u.Fragment != "" || strings.Contains(str, "#") {
		return Link{}, fmt.Errorf("%w: fragment", ErrTampered)
	}
	f, err := signedFields(u.RawQuery)
	if err != nil {
		return Link{}, err
	}
	l.Epoch = f.epoch
	if len(f.rest) > 0 {
		l.Params = f.rest
	}
	if !hmac.Equal(f.sig, s.sign(l.Kind, l.Target, f.x, l.Epoch, f.params)) {
		return Link{}, fmt.Errorf("%w: wrong signature", ErrTampered)
	}
	if f.x > 0 {
		l.Expires = time.Unix(f.x, 0).UTC()
		if now.After(l.Expires) {
			return l, fmt.Errorf("%w: at %s", ErrExpired, l.Expires.Format(time.RFC3339))
		}
	}
	return l, nil
}

// plazaURL parses str as an absolute path, or an http(s) URL on one of
// hosts; anything else is foreign.
func plazaURL(str string, hosts []string) (*url.URL, error) {
	if str == "" {
		return nil, fmt.Errorf("%w: empty", ErrForeign)
	}
	if len(str) > maxLen {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrForeign, maxLen)
	}
	u, err := url.Parse(str)
	if err != nil {
		return nil, fmt.Errorf("%w: not a URL", ErrForeign)
	}
	switch {
	case u.Scheme == "":
		if !strings.HasPrefix(str, "/") || u.Host != "" || u.User != nil {
			return nil, fmt.Errorf("%w: not an absolute URL or path", ErrForeign)
		}
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Opaque != "" || u.Host == "" {
			return nil, fmt.Errorf("%w: no host", ErrForeign)
		}
		if u.User != nil {
			return nil, fmt.Errorf("%w: user info in URL", ErrForeign)
		}
		if !hostAllowed(u.Host, hosts) {
			return nil, fmt.Errorf("%w: host %q", ErrForeign, u.Host)
		}
	default:
		return nil, fmt.Errorf("%w: scheme %q", ErrForeign, u.Scheme)
	}
	return u, nil
}

// routeOf finds the link kind whose route path starts with; an unknown
// route is foreign.
func routeOf(path string) (Link, error) {
	for _, r := range routes {
		if strings.HasPrefix(path, r.prefix) {
			return Link{Kind: r.kind, Target: path[len(r.prefix):]}, nil
		}
	}
	return Link{}, fmt.Errorf("%w: unknown route", ErrForeign)
}

// signed are the query's signed fields: the epoch, the expiry (0 for
// none), the signature, and the other parameters (checked and encoded).
type signed struct {
	epoch, x int64
	sig      []byte
	rest     url.Values
	params   string
}

// signedFields reads a Plaza link's query; every defect is tampering.
func signedFields(rawQuery string) (signed, error) {
	var f signed
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return f, fmt.Errorf("%w: bad query", ErrTampered)
	}
	single := func(name string) (string, bool, error) {
		v, ok := q[name]
		if !ok {
			return "", false, nil
		}
		delete(q, name)
		if len(v) != 1 {
			return "", false, fmt.Errorf("%w: repeated %q", ErrTampered, name)
		}
		return v[0], true, nil
	}
	es, ok, err := single("e")
	if err != nil {
		return f, err
	}
	if !ok {
		return f, fmt.Errorf("%w: no epoch", ErrTampered)
	}
	if f.epoch, ok = parseCanonical(es); !ok {
		return f, fmt.Errorf("%w: bad epoch", ErrTampered)
	}
	xs, hasX, err := single("x")
	if err != nil {
		return f, err
	}
	if hasX {
		if f.x, ok = parseCanonical(xs); !ok || f.x < 1 || f.x > maxExpiry {
			return f, fmt.Errorf("%w: bad expiry", ErrTampered)
		}
	}
	ts, ok, err := single("t")
	if err != nil {
		return f, err
	}
	if !ok {
		return f, fmt.Errorf("%w: no signature", ErrTampered)
	}
	if f.sig, err = base64.RawURLEncoding.Strict().DecodeString(ts); err != nil || len(f.sig) != sigLen {
		return f, fmt.Errorf("%w: bad signature encoding", ErrTampered)
	}
	if f.params, err = checkParams(q); err != nil {
		return f, fmt.Errorf("%w: %w", ErrTampered, err)
	}
	f.rest = q
	return f, nil
}

// checkParams validates the extra params and returns their encoding P.
func checkParams(p url.Values) (string, error) {
	if len(p) == 0 {
		return "", nil
	}
	if len(p) > maxParams {
		return "", fmt.Errorf("%d extra params, at most %d", len(p), maxParams)
	}
	for name, vs := range p {
		if name == "e" || name == "x" || name == "t" {
			return "", fmt.Errorf("param name %q is reserved", name)
		}
		if !validName(name) {
			return "", fmt.Errorf("invalid param name %q", name)
		}
		if len(vs) != 1 {
			return "", fmt.Errorf("param %q has %d values, need exactly 1", name, len(vs))
		}
		if len(vs[0]) > maxParamValue || !utf8.ValidString(vs[0]) {
			return "", fmt.Errorf("param %q: value must be valid UTF-8 of at most %d bytes", name, maxParamValue)
		}
	}
	enc := p.Encode()
	if len(enc) > maxEncoded {
		return "", fmt.Errorf("encoded params are %d bytes, at most %d", len(enc), maxEncoded)
	}
	return enc, nil
}

func validTarget(t string) bool {
	if len(t) < 1 || len(t) > maxTarget {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !isAlnum(t[i]) && t[i] != '_' && t[i] != '-' {
			return false
		}
	}
	return true
}

func validName(n string) bool {
	if len(n) < 1 || len(n) > maxParamName {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !isAlnum(n[i]) && n[i] != '_' && n[i] != '-' && n[i] != '.' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseCanonical parses a non-negative decimal integer written without sign
// or leading zeros.
func parseCanonical(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' || (len(s) > 1 && s[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// hostAllowed reports whether host (host[:port] from the URL) matches one of
// hosts, case-insensitively; no hosts means any host.
func hostAllowed(host string, hosts []string) bool {
	if len(hosts) == 0 {
		return true
	}
	for _, h := range hosts {
		if strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}
