package accounts

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedProxies are the reverse proxies in front of the server whose
// X-Forwarded-For header is believed. The zero value trusts no one: the
// client is then always the peer of the connection, whatever headers it
// sends.
type TrustedProxies struct {
	prefixes []netip.Prefix
}

// ParseTrustedProxies reads a comma-separated list of IP addresses and
// CIDR prefixes ("10.0.0.0/8, 2001:db8::1"); an empty list trusts no one.
func ParseTrustedProxies(list string) (TrustedProxies, error) {
	var t TrustedProxies
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(item, "/") {
			var err error
			if p, err = netip.ParsePrefix(item); err != nil {
				return TrustedProxies{}, fmt.Errorf("trusted proxy %q is not an IP address or CIDR prefix: %w", item, err)
			}
			// 10.1.2.3/8 means the network 10.0.0.0/8.
			p = p.Masked()
		} else {
			a, err := netip.ParseAddr(item)
			if err != nil || a.Zone() != "" {
				return TrustedProxies{}, fmt.Errorf("trusted proxy %q is not an IP address or CIDR prefix", item)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		// Addresses are compared unmapped, so a ::ffff:a.b.c.d prefix would
		// never match: it must be written as IPv4.
		if p.Addr().Is4In6() {
			return TrustedProxies{}, fmt.Errorf("trusted proxy %q: write IPv4-mapped addresses as IPv4", item)
		}
		t.prefixes = append(t.prefixes, p)
	}
	return t, nil
}

// Len is the number of trusted addresses and prefixes.
func (t TrustedProxies) Len() int { return len(t.prefixes) }

func (t TrustedProxies) trusts(a netip.Addr) bool {
	for _, p := range t.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr is the address the per-address sign-in limit counts. When the
// peer of the connection is a trusted proxy, it is the right-most address
// of X-Forwarded-For that is not itself a trusted proxy: each trusted hop
// appends the address it was connected from, and everything left of the
// first untrusted one was written by the client and may be forged.
// Otherwise it is the peer, and headers are ignored.
//
// An entry that is not an address (a forgery, "unknown", an empty item)
// ends the walk at the trusted hop that passed it on; so does a list of
// trusted proxies only. Either way the address counted is one of the
// proxies, which shares its limit with others and so trips it sooner,
// never later.
func (t TrustedProxies) ClientAddr(r *http.Request) string {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !t.trusts(peer) {
		return peer.String()
	}
	client := peer
	// Several header lines are one list in order (RFC 9110, 5.3).
	lines := r.Header.Values("X-Forwarded-For")
	for i := len(lines) - 1; i >= 0; i-- {
		rest := lines[i]
		for {
			var item string
			if j := strings.LastIndexByte(rest, ','); j >= 0 {
				rest, item = rest[:j], rest[j+1:]
			} else {
				rest, item = "", rest
			}
			a, ok := parseHop(item)
			if !ok {
				return client.String()
			}
			client = a
			if !t.trusts(a) {
				return a.String()
			}
			if rest == "" {
				break
			}
		}
	}
	return client.String()
}

// parseHop reads one address as proxies write them: bare, with a port, or
// an IPv6 address in brackets with or without one. IPv4-mapped IPv6
// addresses count as IPv4 and zones are dropped, so that one client has one
// spelling.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		if inner, ok := strings.CutPrefix(s, "["); ok && strings.HasSuffix(inner, "]") {
			a, err = netip.ParseAddr(strings.TrimSuffix(inner, "]"))
		} else {
			var ap netip.AddrPort
			ap, err = netip.ParseAddrPort(s)
			a = ap.Addr()
		}
	}
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}
