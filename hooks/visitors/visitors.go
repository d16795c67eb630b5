// Package visitors names signed-out visitors for counting (Channels' views,
// Official Accounts' reads) without storing who they are: a visitor is
// known by their address (an IPv4 address, or an IPv6 /64 network; a
// browser or User-Agent change is the same visitor), hashed under a random
// salt that lives one day in this process's memory only. No address is
// stored, and yesterday's keys cannot be linked to today's.
package visitors

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"sync"
)

// Keys makes visitors' daily keys; the zero value is ready (one per
// service).
type Keys struct {
	mu   sync.Mutex
	day  string
	salt []byte
}

// Key is the visitor at addr's key for day ("2006-01-02"): "v:" and 32
// hex digits, the same all day, another the next.
func (k *Keys) Key(day, addr string) string {
	k.mu.Lock()
	if k.day != day {
		k.day, k.salt = day, make([]byte, 32)
		if _, err := rand.Read(k.salt); err != nil {
			panic(fmt.Sprintf("visitors: no randomness: %v", err)) // crypto/rand never fails on Linux
		}
	}
	salt := k.salt
	k.mu.Unlock()
	m := hmac.New(sha256.New, salt)
	m.Write([]byte(Net(addr)))
	return "v:" + hex.EncodeToString(m.Sum(nil)[:16])
}

// Net is what a visitor is known by: their IPv4 address, or the /64
// network of an IPv6 one (a host picks any address in it).
func Net(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Is4() || ip.Is4In6() {
		return addr
	}
	p, err := ip.Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}
