package links_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"plaza/hooks/links"
)

const base = "https://plaza.example.org"

var (
	testKey  = []byte("0123456789abcdef0123456789abcdef")
	otherKey = []byte("fedcba9876543210fedcba9876543210")
	// now is before every expiry used below.
	now     = time.Unix(1_900_000_000, 0)
	expires = time.Unix(2_000_000_000, 0)
)

func signer(t testing.TB, key []byte) *links.Signer {
	t.Helper()
	s, err := links.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sameLink compares links treating nil and empty Params alike and Expires
// by instant.
func sameLink(a, b links.Link) bool {
	if len(a.Params) == 0 && len(b.Params) == 0 {
		a.Params, b.Params = nil, nil
	}
	return a.Kind == b.Kind && a.Target == b.Target && a.Epoch == b.Epoch &&
		a.Expires.Equal(b.Expires) && reflect.DeepEqual(a.Params, b.Params)
}

func TestNewSigner(t *testing.T) {
	for _, n := range []int{0, 1, 31} {
		if _, err := links.NewSigner(make([]byte, n)); err == nil {
			t.Errorf("NewSigner(%d bytes): no error", n)
		}
	}
	for _, n := range []int{32, 64} {
		if _, err := links.NewSigner(make([]byte, n)); err != nil {
			t.Errorf("NewSigner(%d bytes): %v", n, err)
		}
	}
	// The key is copied: changing the caller's slice changes nothing.
	key := append([]byte(nil), testKey...)
	s := signer(t, key)
	p, err := s.Path(links.Link{Kind: links.KindAddFriend, Target: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	key[0] ^= 1
	if _, err := s.Parse(p, now); err != nil {
		t.Errorf("after changing the caller's key: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	s := signer(t, testKey)
	kinds := []struct{ kind, prefix string }{
		{links.KindAddFriend, "/add/"},
		{links.KindJoinGroup, "/join/"},
		{links.KindPay, "/pay/"},
		{links.KindMiniProgram, "/open/mp/"},
	}
	variants := []struct {
		name    string
		expires time.Time
		params  url.Values
	}{
		{"plain", time.Time{}, nil},
		{"empty params", time.Time{}, url.Values{}},
		{"expiry", expires, nil},
		{"params", time.Time{}, url.Values{"amount": {"12.50"}, "note": {"dinner & drinks ✓"}, "empty": {""}}},
		{"expiry and params", expires, url.Values{"amount": {"1"}}},
		{"max params", time.Time{}, url.Values{
			"a": {strings.Repeat("x", 128)}, "b": {"2"}, "c": {"3"}, "d": {"4"},
			"f": {"5"}, "g": {"6"}, "h": {"7"}, strings.Repeat("n", 32): {"8"},
		}},
	}
	targets := []string{"alice_w", "g-123", "A", strings.Repeat("z", 64), "wx1234567890abcdef"}
	for _, k := range kinds {
		for _, v := range variants {
			for i, target := range targets {
				l := links.Link{Kind: k.kind, Target: target, Params: v.params, Expires: v.expires, Epoch: int64(i * 7)}
				t.Run(fmt.Sprintf("%s/%s/%s", k.kind, v.name, target), func(t *testing.T) {
					p, err := s.Path(l)
					if err != nil {
						t.Fatal(err)
					}
					if !strings.HasPrefix(p, k.prefix+target+"?e=") {
						t.Errorf("path %q does not start with %q", p, k.prefix+target+"?e=")
					}
					if strings.Contains(p, "&x=") != !v.expires.IsZero() {
						t.Errorf("path %q: x present = %v, want %v", p, strings.Contains(p, "&x="), !v.expires.IsZero())
					}
					u, err := s.URL(base, l)
					if err != nil {
						t.Fatal(err)
					}
					if u != base+p {
						t.Errorf("URL = %q, want %q", u, base+p)
					}
					for _, raw := range []string{p, u, " \t" + u + "\n"} {
						got, err := s.Parse(raw, now, "plaza.example.org")
						if err != nil {
							t.Fatalf("Parse(%q): %v", raw, err)
						}
						if !sameLink(got, l) {
							t.Fatalf("Parse(%q) = %+v, want %+v", raw, got, l)
						}
					}
				})
			}
		}
	}
}

func TestParseResultShape(t *testing.T) {
	s := signer(t, testKey)
	in := links.Link{Kind: links.KindPay, Target: "bob", Epoch: 1, Expires: expires.Add(700 * time.Millisecond).In(time.FixedZone("X", 3600))}
	p, err := s.Path(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Parse(p, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Params != nil {
		t.Errorf("Params = %#v, want nil", got.Params)
	}
	// Expiry is truncated to the second and returned in UTC.
	if !got.Expires.Equal(expires) || got.Expires.Location() != time.UTC {
		t.Errorf("Expires = %v, want %v UTC", got.Expires, expires)
	}
}

// TestFormat recomputes a signature from the format described in the
// package doc, without the package's code.
func TestFormat(t *testing.T) {
	s := signer(t, testKey)
	l := links.Link{
		Kind: links.KindPay, Target: "alice_w", Epoch: 3, Expires: expires,
		Params: url.Values{"note": {"hi there/ü"}, "amount": {"12.50"}},
	}
	p, err := s.Path(l)
	if err != nil {
		t.Fatal(err)
	}
	canonical := "plaza-link-v1\npay\nalice_w\n2000000000\n3\namount=12.50&note=hi+there%2F%C3%BC"
	m := hmac.New(sha256.New, testKey)
	m.Write([]byte(canonical))
	sig := base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
	want := "/pay/alice_w?e=3&x=2000000000&amount=12.50&note=hi+there%2F%C3%BC&t=" + sig
	if p != want {
		t.Errorf("Path = %q\nwant   %q", p, want)
	}
	if len(sig) != 22 {
		t.Errorf("signature %q is %d chars, want 22", sig, len(sig))
	}

	p, err = s.Path(links.Link{Kind: links.KindAddFriend, Target: "alice_w", Epoch: 3})
	if err != nil {
		t.Fatal(err)
	}
	m = hmac.New(sha256.New, testKey)
	m.Write([]byte("plaza-link-v1\nadd\nalice_w\n0\n3\n"))
	if want := "/add/alice_w?e=3&t=" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16]); p != want {
		t.Errorf("Path = %q, want %q", p, want)
	}

	// Parameter order and equivalent percent-encodings do not matter.
	reordered := "/pay/alice_w?t=" + sig + "&note=hi%20there/%c3%bc&x=2000000000&amount=%31%32.50&e=3"
	got, err := s.Parse(reordered, now)
	if err != nil {
		t.Fatalf("Parse(%q): %v", reordered, err)
	}
	if !sameLink(got, l) {
		t.Errorf("Parse(%q) = %+v, want %+v", reordered, got, l)
	}
}

func TestPathInvalid(t *testing.T) {
	s := signer(t, testKey)
	ok := links.Link{Kind: links.KindAddFriend, Target: "alice"}
	params := func(n int) url.Values {
		v := url.Values{}
		for i := range n {
			v.Set(fmt.Sprintf("p%d", i), "v")
		}
		return v
	}
	long := url.Values{}
	for i := range 8 {
		long.Set(fmt.Sprintf("p%d", i), strings.Repeat("é", 64)) // 128 bytes, 384 encoded
	}
	tests := []struct {
		name string
		mod  func(l *links.Link)
	}{
		{"empty kind", func(l *links.Link) { l.Kind = "" }},
		{"unknown kind", func(l *links.Link) { l.Kind = "open" }},
		{"kind case", func(l *links.Link) { l.Kind = "ADD" }},
		{"empty target", func(l *links.Link) { l.Target = "" }},
		{"long target", func(l *links.Link) { l.Target = strings.Repeat("a", 65) }},
		{"slash in target", func(l *links.Link) { l.Target = "a/b" }},
		{"dot target", func(l *links.Link) { l.Target = ".." }},
		{"space in target", func(l *links.Link) { l.Target = "a b" }},
		{"non-ASCII target", func(l *links.Link) { l.Target = "ä" }},
		{"query in target", func(l *links.Link) { l.Target = "a?e=1" }},
		{"negative epoch", func(l *links.Link) { l.Epoch = -1 }},
		{"expiry at epoch 0", func(l *links.Link) { l.Expires = time.Unix(0, 0) }},
		{"expiry before 1970", func(l *links.Link) { l.Expires = time.Unix(-5, 0) }},
		{"expiry after 9999", func(l *links.Link) { l.Expires = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"reserved t", func(l *links.Link) { l.Params = url.Values{"t": {"x"}} }},
		{"reserved e", func(l *links.Link) { l.Params = url.Values{"e": {"1"}} }},
		{"reserved x", func(l *links.Link) { l.Params = url.Values{"x": {"1"}} }},
		{"empty name", func(l *links.Link) { l.Params = url.Values{"": {"1"}} }},
		{"bad name", func(l *links.Link) { l.Params = url.Values{"a b": {"1"}} }},
		{"long name", func(l *links.Link) { l.Params = url.Values{strings.Repeat("n", 33): {"1"}} }},
		{"no value", func(l *links.Link) { l.Params = url.Values{"a": {}} }},
		{"two values", func(l *links.Link) { l.Params = url.Values{"a": {"1", "2"}} }},
		{"long value", func(l *links.Link) { l.Params = url.Values{"a": {strings.Repeat("v", 129)}} }},
		{"invalid UTF-8", func(l *links.Link) { l.Params = url.Values{"a": {"\xff"}} }},
		{"nine params", func(l *links.Link) { l.Params = params(9) }},
		{"encoding too long", func(l *links.Link) { l.Params = long }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := ok
			tt.mod(&l)
			if p, err := s.Path(l); err == nil {
				t.Errorf("Path(%+v) = %q, want error", l, p)
			}
			if u, err := s.URL(base, l); err == nil {
				t.Errorf("URL(%+v) = %q, want error", l, u)
			}
		})
	}
	l := ok
	l.Params = params(8)
	if _, err := s.Path(l); err != nil {
		t.Errorf("8 params: %v", err)
	}
}

func TestURLBase(t *testing.T) {
	s := signer(t, testKey)
	l := links.Link{Kind: links.KindJoinGroup, Target: "g1"}
	p, err := s.Path(l)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"https://plaza.example.org", "https://plaza.example.org/", "http://localhost:8090"} {
		u, err := s.URL(b, l)
		if err != nil {
			t.Errorf("URL(%q): %v", b, err)
			continue
		}
		if want := strings.TrimSuffix(b, "/") + p; u != want {
			t.Errorf("URL(%q) = %q, want %q", b, u, want)
		}
	}
	for _, b := range []string{
		"", "plaza.example.org", "/", "ftp://plaza.example.org", "https://", "https://plaza.example.org/sub",
		"https://plaza.example.org?a=1", "https://plaza.example.org#x", "https://u:p@plaza.example.org",
		"https://plaza.example.org/" + strings.Repeat("a", 2000), "https://" + strings.Repeat("a", 2000) + ".org",
		"javascript:alert(1)",
	} {
		if u, err := s.URL(b, l); err == nil {
			t.Errorf("URL(%q) = %q, want error", b, u)
		}
	}
}

func TestTampered(t *testing.T) {
	s := signer(t, testKey)
	l := links.Link{
		Kind: links.KindPay, Target: "alice_w", Epoch: 3, Expires: expires,
		Params: url.Values{"amount": {"12.50"}, "note": {"hi there"}},
	}
	good, err := s.URL(base, l)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Parse(good, now); err != nil {
		t.Fatalf("Parse(%q): %v", good, err)
	}
	i := strings.Index(good, "&t=")
	sig := good[i+3:]
	flipped := "A"
	if sig[0] == 'A' {
		flipped = "B"
	}
	flipped += sig[1:]
	// The last of 22 characters carries 2 bits: A, Q, g, w are canonical.
	lastFlipped := sig[:21] + "Q"
	if sig[21] == 'Q' {
		lastFlipped = sig[:21] + "A"
	}
	replace := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("%q not in %q", old, good)
		}
		return strings.Replace(good, old, new, 1)
	}
	tests := []struct{ name, raw string }{
		{"target", replace("/alice_w?", "/alice_x?")},
		{"target case", replace("/alice_w?", "/Alice_w?")},
		{"kind", replace("/pay/", "/add/")},
		{"kind mp", replace("/pay/", "/open/mp/")},
		{"epoch", replace("e=3", "e=4")},
		{"epoch older", replace("e=3", "e=2")},
		{"epoch leading zero", replace("e=3", "e=03")},
		{"epoch plus", replace("e=3", "e=%2B3")},
		{"epoch negative", replace("e=3", "e=-3")},
		{"epoch overflow", replace("e=3", "e=99999999999999999999")},
		{"epoch empty", replace("e=3", "e=")},
		{"epoch removed", replace("e=3&", "")},
		{"epoch repeated", replace("e=3", "e=3&e=3")},
		{"expiry later", replace("x=2000000000", "x=2000000001")},
		{"expiry zero", replace("x=2000000000", "x=0")},
		{"expiry leading zero", replace("x=2000000000", "x=02000000000")},
		{"expiry removed", replace("&x=2000000000", "")},
		{"expiry huge", replace("x=2000000000", "x=253402300800")},
		{"expiry repeated", replace("x=2000000000", "x=2000000000&x=2000000000")},
		{"param value", replace("amount=12.50", "amount=1250")},
		{"param name", replace("amount=", "amounts=")},
		{"param removed", replace("amount=12.50&", "")},
		{"param added", good + "&tip=1"},
		{"param added before", replace("?e=3", "?tip=1&e=3")},
		{"param empty added", good + "&tip="},
		{"param repeated", replace("amount=12.50", "amount=12.50&amount=12.50")},
		{"param bad name", good + "&a+b=1"},
		{"param invalid UTF-8", good + "&a=%FF"},
		{"bad escape", good + "&a=%zz"},
		{"semicolon", replace("&note", ";note")},
		{"signature changed", replace(sig, flipped)},
		{"signature last char", replace(sig, lastFlipped)},
		{"signature non-canonical", replace(sig, sig[:21]+string(sig[21]+1))},
		{"signature truncated", replace(sig, sig[:21])},
		{"signature longer", good + "AA"},
		{"signature padded", good + "=="},
		{"signature std base64", replace(sig, strings.NewReplacer("-", "+", "_", "/").Replace(sig)+"+")},
		{"signature removed", replace("&t="+sig, "")},
		{"signature empty", replace("&t="+sig, "&t=")},
		{"signature repeated", good + "&t=" + sig},
		{"no query", good[:strings.Index(good, "?")]},
		{"empty query", good[:strings.Index(good, "?")+1]},
		{"fragment", good + "#frag"},
		{"empty fragment", good + "#"},
		{"trailing slash", replace("/alice_w?", "/alice_w/?")},
		{"extra segment", replace("/alice_w?", "/alice_w/x?")},
		{"escaped target", replace("/alice_w?", "/%61lice_w?")},
		{"empty target", replace("/alice_w?", "/?")},
		{"bad target", replace("/alice_w?", "/alice.w?")},
		{"long target", replace("/alice_w?", "/"+strings.Repeat("a", 65)+"?")},
		{"nine params", good + "&a=1&b=1&c=1&d=1&f=1&g=1&h=1"},
		{"long value", good + "&a=" + strings.Repeat("v", 129)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.raw == good {
				t.Fatal("no change")
			}
			got, err := s.Parse(tt.raw, now, "plaza.example.org")
			if !errors.Is(err, links.ErrTampered) {
				t.Errorf("Parse(%q) = %+v, %v; want ErrTampered", tt.raw, got, err)
			}
			t.Log(err)
		})
	}

	t.Run("key mismatch", func(t *testing.T) {
		other := signer(t, otherKey)
		if _, err := other.Parse(good, now); !errors.Is(err, links.ErrTampered) {
			t.Errorf("Parse with other key: %v, want ErrTampered", err)
		}
		// Also when expired: the signature is checked first.
		if _, err := other.Parse(good, expires.Add(time.Hour)); !errors.Is(err, links.ErrTampered) {
			t.Errorf("Parse expired with other key: %v, want ErrTampered", err)
		}
	})
}

func TestExpired(t *testing.T) {
	s := signer(t, testKey)
	l := links.Link{Kind: links.KindJoinGroup, Target: "g42", Expires: expires, Epoch: 1}
	u, err := s.URL(base, l)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  time.Time
		want error
	}{
		{"long before", time.Unix(0, 0), nil},
		{"1ms before", expires.Add(-time.Millisecond), nil},
		{"at expiry", expires, nil},
		{"1ms after", expires.Add(time.Millisecond), links.ErrExpired},
		{"long after", expires.AddDate(10, 0, 0), links.ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Parse(u, tt.now)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Parse at %v: %v, want %v", tt.now, err, tt.want)
			}
			// The link is returned along with ErrExpired.
			if !sameLink(got, l) {
				t.Errorf("Parse at %v = %+v, want %+v", tt.now, got, l)
			}
		})
	}
	// A link without expiry never expires.
	l.Expires = time.Time{}
	u, err = s.URL(base, l)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Parse(u, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Errorf("no expiry: %v", err)
	}
}

func TestForeign(t *testing.T) {
	s := signer(t, testKey)
	l := links.Link{Kind: links.KindAddFriend, Target: "alice", Epoch: 2}
	p, err := s.Path(l)
	if err != nil {
		t.Fatal(err)
	}
	q := p[strings.Index(p, "?"):]
	tests := []struct {
		name  string
		raw   string
		hosts []string
	}{
		{"empty", "", nil},
		{"blank", " \t\r\n ", nil},
		{"hello world", "hello world", nil},
		{"javascript", "javascript:alert(1)", nil},
		{"javascript path", "javascript:/add/alice" + q, nil},
		{"data", "data:text/html,<script>alert(1)</script>", nil},
		{"mailto", "mailto:alice@example.org", nil},
		{"ftp", "ftp://plaza.example.org" + p, nil},
		{"ws", "wss://plaza.example.org" + p, nil},
		{"other host", "https://evil.example" + p, []string{"plaza.example.org"}},
		{"other port", "https://plaza.example.org:8443" + p, []string{"plaza.example.org"}},
		{"explicit default port", "https://plaza.example.org:443" + p, []string{"plaza.example.org"}},
		{"missing port", "https://plaza.example.org" + p, []string{"plaza.example.org:8443"}},
		{"suffix host", "https://plaza.example.org.evil.example" + p, []string{"plaza.example.org"}},
		{"userinfo trick", "https://plaza.example.org@evil.example" + p, []string{"plaza.example.org"}},
		{"userinfo", "https://user@plaza.example.org" + p, nil},
		{"userinfo allowed host", "https://user:pw@plaza.example.org" + p, []string{"plaza.example.org"}},
		{"scheme-relative", "//evil.example" + p, nil},
		{"scheme-relative allowed host", "//plaza.example.org" + p, []string{"plaza.example.org"}},
		{"no host", "https://" + p, nil},
		{"no host triple slash", "https:///add/alice" + q, nil},
		{"opaque", "https:add/alice" + q, nil},
		{"relative", "add/alice" + q, nil},
		{"unknown kind", "https://plaza.example.org/pal/alice" + q, nil},
		{"bundle route", "https://plaza.example.org/mp/alice" + q, nil},
		{"kind case", "https://plaza.example.org/ADD/alice" + q, nil},
		{"root", "https://plaza.example.org/", nil},
		{"no path", "https://plaza.example.org", nil},
		{"prefix without slash", "/add" + q, nil},
		{"open other", "/open/app/alice" + q, nil},
		{"bare unknown", "/settings", nil},
		{"escaped route", "/%61dd/alice" + q, nil},
		{"backslash", "/\\evil.example" + p, nil},
		{"control char", "https://plaza.example.org" + p + "\x00", nil},
		{"bad host", "https://plaza example.org" + p, nil},
		{"over-long", base + p + "&pad=" + strings.Repeat("a", 2048), nil},
		{"over-long whitespace", strings.Repeat(" ", 2048) + base + p + strings.Repeat("a", 2048), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Parse(tt.raw, now, tt.hosts...)
			if !errors.Is(err, links.ErrForeign) {
				t.Errorf("Parse(%q, %q) = %+v, %v; want ErrForeign", tt.raw, tt.hosts, got, err)
			}
			t.Log(err)
		})
	}
}

func TestHosts(t *testing.T) {
	s := signer(t, testKey)
	l := links.Link{Kind: links.KindMiniProgram, Target: "wx0123", Epoch: 9}
	p, err := s.Path(l)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		raw   string
		hosts []string
	}{
		{"no hosts: any host", "https://anything.example" + p, nil},
		{"exact", "https://plaza.example.org" + p, []string{"plaza.example.org"}},
		{"http", "http://plaza.example.org" + p, []string{"plaza.example.org"}},
		{"upper-case URL host", "https://PLAZA.Example.ORG" + p, []string{"plaza.example.org"}},
		{"upper-case allowed host", "https://plaza.example.org" + p, []string{"Plaza.EXAMPLE.org"}},
		{"upper-case scheme", "HTTPS://plaza.example.org" + p, []string{"plaza.example.org"}},
		{"port", "http://Localhost:8090" + p, []string{"localhost:8090"}},
		{"second host", "https://chat.example.org:8443" + p, []string{"plaza.example.org", "CHAT.example.org:8443"}},
		{"IPv6", "http://[::1]:8090" + p, []string{"[::1]:8090"}},
		{"bare path, hosts required", p, []string{"plaza.example.org"}},
		{"bare path, no hosts", p, nil},
		{"surrounding whitespace", "\n\t https://plaza.example.org" + p + " \r\n", []string{"plaza.example.org"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Parse(tt.raw, now, tt.hosts...)
			if err != nil {
				t.Fatalf("Parse(%q, %q): %v", tt.raw, tt.hosts, err)
			}
			if !sameLink(got, l) {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.raw, got, l)
			}
		})
	}
}

func TestLongestLinkParses(t *testing.T) {
	s := signer(t, testKey)
	params := url.Values{}
	for i := range 8 {
		params.Set(fmt.Sprintf("param_%d", i), strings.Repeat("v", 119))
	}
	params.Set("param_0", strings.Repeat("v", 120)) // P is exactly 1024 bytes
	l := links.Link{
		Kind: links.KindMiniProgram, Target: strings.Repeat("w", 64), Params: params,
		Epoch: 1<<63 - 1, Expires: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	u, err := s.URL(base, l)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Parse(u, now, "plaza.example.org")
	if err != nil {
		t.Fatalf("Parse(%d bytes): %v", len(u), err)
	}
	if !sameLink(got, l) {
		t.Errorf("Parse = %+v, want %+v", got, l)
	}
	params.Set("param_0", strings.Repeat("v", 121))
	if p, err := s.Path(l); err == nil {
		t.Errorf("P of 1025 bytes: Path = %q, want error", p)
	}
}

// Example shows issuing a payment link and checking one that was scanned,
// including the epoch check that is the caller's job.
func Example() {
	s, err := links.NewSigner([]byte("an example key of 32 bytes or more"))
	if err != nil {
		panic(err)
	}
	u, err := s.URL("https://plaza.example.org", links.Link{
		Kind:   links.KindPay,
		Target: "alice_w",
		Params: url.Values{"amount": {"12.50"}},
		Epoch:  3,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(u)

	l, err := s.Parse(u, time.Now(), "plaza.example.org")
	if err != nil {
		panic(err)
	}
	currentEpoch := int64(4) // alice reset her payment code since
	if l.Epoch < currentEpoch {
		err = links.ErrRevoked
	}
	fmt.Println(l.Kind, l.Target, l.Params.Get("amount"), err)
	// Output:
	// https://plaza.example.org/pay/alice_w?e=3&amount=12.50&t=cJvHAZMtwIEQN6edi34RDg
	// pay alice_w 12.50 links: link has been revoked
}
