package oa

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"os"
	"syscall"
	"time"
)

// The webhook client connects only to the public internet: an operator
// must not make the server POST into its own network (its loopback, the
// LAN, link-local cloud metadata such as 169.254.169.254). The check runs
// on the address actually dialled, after DNS, so a name that resolves (or
// re-resolves) to an inner address is refused too; redirects are not
// followed, and no proxy from the environment is used. A community whose
// receivers live on its own network sets PLAZA_WEBHOOK_PRIVATE=1 to allow
// them (docs/SECURITY.md).

// errInnerAddress refuses a webhook connection into the server's network.
var errInnerAddress = errors.New("oa webhook: address is not on the public internet")

// cgnat is the carrier-grade NAT range (RFC 6598), private in effect.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// PublicAddr reports whether a webhook may connect to ip: a global
// unicast address outside the private, loopback, link-local, shared
// (CGNAT) and unique-local ranges.
func PublicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && ip.IsGlobalUnicast() && !ip.IsPrivate() && !ip.IsLoopback() &&
		!ip.IsLinkLocalUnicast() && !cgnat.Contains(ip)
}

// guardedClient is the webhook's HTTP client: public addresses only
// (unless PLAZA_WEBHOOK_PRIVATE=1), no redirects, no proxy.
func guardedClient() *http.Client {
	allowInner := os.Getenv("PLAZA_WEBHOOK_PRIVATE") == "1"
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil || !allowInner && !PublicAddr(ip) {
			return errInnerAddress
		}
		return nil
	}}
	transport := &http.Transport{DialContext: dialer.DialContext, Proxy: nil, MaxIdleConns: 20, IdleConnTimeout: 90 * time.Second,
		TLSHandshakeTimeout: 5 * time.Second, ResponseHeaderTimeout: 5 * time.Second}
	return &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// GuardedClient is the webhook client's HTTP client for other modules'
// webhooks (mini programs'): the same public-address guard.
func GuardedClient() *http.Client { return guardedClient() }
