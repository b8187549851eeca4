package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// blockedError is a refused address; it wraps ErrBlockedAddress.
type blockedError struct{ addr netip.Addr }

func (e *blockedError) Error() string {
	return fmt.Sprintf("%v: %s is not a public address (use --allow-private to permit it)", ErrBlockedAddress, e.addr)
}

func (e *blockedError) Unwrap() error { return ErrBlockedAddress }

// nonPublic are ranges no crawler of public documents should reach, beside
// those netip classifies (loopback, private, link-local, multicast,
// unspecified).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// publicAddr reports whether ip is a public unicast address.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	// IPv4 embedded in 6to4 (2002::/16) must itself be public.
	if ip.Is6() {
		b := ip.As16()
		if b[0] == 0x20 && b[1] == 0x02 {
			return publicAddr(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
		}
	}
	return true
}

// refusePrivate is a net.Dialer Control function: it runs on the resolved
// address of every connection attempt, so DNS answers (and rebinding)
// cannot lead the fetcher to an address that is not public.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return &blockedError{}
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !publicAddr(ip) {
		return &blockedError{addr: ip}
	}
	return nil
}
