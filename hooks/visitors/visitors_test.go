package visitors_test

import (
	"testing"

	"plaza/hooks/visitors"
)

// TestKeys: one visitor per IPv4 address or IPv6 /64, the same key all
// day, a new key the next day, and no address in the key.
func TestKeys(t *testing.T) {
	var k visitors.Keys
	a := k.Key("2026-03-10", "203.0.113.7")
	if a != k.Key("2026-03-10", "203.0.113.7") || a == k.Key("2026-03-10", "203.0.113.8") {
		t.Fatal("an IPv4 address is one visitor, another address another")
	}
	if k.Key("2026-03-10", "2001:db8:1:2::10") != k.Key("2026-03-10", "2001:db8:1:2::99") ||
		k.Key("2026-03-10", "2001:db8:1:2::10") == k.Key("2026-03-10", "2001:db8:1:3::10") {
		t.Fatal("an IPv6 /64 is one visitor")
	}
	if k.Key("2026-03-11", "203.0.113.7") == a {
		t.Fatal("the next day's key is the same as yesterday's")
	}
	if len(a) != 34 || a[:2] != "v:" {
		t.Fatalf("key %q", a)
	}
	if got := visitors.Net("::ffff:203.0.113.7"); got != "::ffff:203.0.113.7" {
		t.Fatalf("an IPv4-mapped address: %q", got)
	}
}
