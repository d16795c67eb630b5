package links_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"plaza/hooks/links"
)

// FuzzParse checks that Parse never panics, fails only with its documented
// errors, and that whatever it accepts re-signs into a link that parses to
// the same Link.
func FuzzParse(f *testing.F) {
	s := signer(f, testKey)
	seeds := []links.Link{
		{Kind: links.KindAddFriend, Target: "alice_w", Epoch: 3},
		{Kind: links.KindJoinGroup, Target: "g-1", Expires: expires},
		{Kind: links.KindJoinGroup, Target: "g-2", Expires: now.Add(-time.Second)}, // expired
		{Kind: links.KindPay, Target: "bob", Epoch: 1, Params: url.Values{"amount": {"12.50"}, "note": {"hi there ✓"}}},
		{Kind: links.KindMiniProgram, Target: "wx0123456789", Epoch: 1<<63 - 1, Expires: expires, Params: url.Values{"path": {"/pages/index?x=1"}}},
	}
	for _, l := range seeds {
		p, err := s.Path(l)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p)
		f.Add(base + p)
		f.Add(" HTTPS://Plaza.Example.ORG:8443" + p + "\n")
		f.Add(base + p + "&tip=1")
		f.Add(base + p + "#x")
	}
	for _, junk := range []string{
		"", " ", "hello world", "javascript:alert(1)", "ftp://plaza.example.org/add/x?e=1&t=AAAAAAAAAAAAAAAAAAAAAA",
		"https://evil.example/add/x?e=0&t=AAAAAAAAAAAAAAAAAAAAAA", "/add/", "/open/mp/", "/add/x?e=1&e=2",
		"/add/x?e=-0&x=0&t=", "/pay/x?%zz", "/pay/x?;", "//evil.example/add/x", "https://a@b/add/x?e=1",
		"/add/%00", "/add/x?e=1&t=AAAAAAAAAAAAAAAAAAAAAA==", "http://[::1/add/x", "\x00\xff",
		"/join/" + strings.Repeat("a", 2100),
	} {
		f.Add(junk)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := s.Parse(raw, now)
		switch {
		case err == nil:
		case errors.Is(err, links.ErrExpired):
			if !now.After(l.Expires) {
				t.Fatalf("Parse(%q): %v, but expires %v is not before now", raw, err, l.Expires)
			}
		case errors.Is(err, links.ErrForeign), errors.Is(err, links.ErrTampered):
			return
		default:
			t.Fatalf("Parse(%q): undocumented error %v", raw, err)
		}
		u, err2 := s.URL(base, l)
		if err2 != nil {
			t.Fatalf("Parse(%q) = %+v, but URL fails: %v", raw, l, err2)
		}
		l2, err2 := s.Parse(u, now, "plaza.example.org")
		if (err == nil) != (err2 == nil) || errors.Is(err, links.ErrExpired) != errors.Is(err2, links.ErrExpired) {
			t.Fatalf("Parse(%q) error %v, but Parse(%q) error %v", raw, err, u, err2)
		}
		if !sameLink(l, l2) {
			t.Fatalf("Parse(%q) = %+v, but Parse(%q) = %+v", raw, l, u, l2)
		}
		if len(l2.Params) == 0 && l2.Params != nil {
			t.Fatalf("Parse(%q): empty non-nil Params", u)
		}
	})
}

// FuzzPathParse checks that every link Path accepts parses back to itself,
// as a bare path and as a URL.
func FuzzPathParse(f *testing.F) {
	s := signer(f, testKey)
	f.Add(uint8(0), "alice_w", int64(3), int64(0), "", "")
	f.Add(uint8(1), "g-1", int64(0), int64(2_000_000_000), "", "")
	f.Add(uint8(2), "bob", int64(1), int64(1), "amount", "12.50")
	f.Add(uint8(3), "wx0123", int64(1<<63-1), int64(253402300799), "path", "/pages/a b?c=d&e=✓")
	f.Add(uint8(4), "x", int64(-1), int64(-1), "t", "\xff")
	kinds := []string{links.KindAddFriend, links.KindJoinGroup, links.KindPay, links.KindMiniProgram, "bogus"}
	start := time.Unix(0, 0)
	f.Fuzz(func(t *testing.T, kind uint8, target string, epoch, expiry int64, name, value string) {
		l := links.Link{Kind: kinds[int(kind)%len(kinds)], Target: target, Epoch: epoch}
		if expiry != 0 {
			l.Expires = time.Unix(expiry, 0)
		}
		if name != "" {
			l.Params = url.Values{name: {value}}
		}
		p, err := s.Path(l)
		if err != nil {
			return
		}
		if len(p) > 1160 {
			t.Fatalf("Path(%+v) is %d bytes", l, len(p))
		}
		u, err := s.URL(base, l)
		if err != nil {
			t.Fatalf("Path(%+v) ok, URL: %v", l, err)
		}
		if u != base+p {
			t.Fatalf("URL = %q, want %q", u, base+p)
		}
		for _, raw := range []string{p, u} {
			got, err := s.Parse(raw, start, "plaza.example.org")
			if err != nil {
				t.Fatalf("Parse(%q): %v (link %+v)", raw, err, l)
			}
			if !sameLink(got, l) {
				t.Fatalf("Parse(%q) = %+v, want %+v", raw, got, l)
			}
		}
	})
}
