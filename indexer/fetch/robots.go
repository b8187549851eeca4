package fetch

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hrsearch/hrsearch/indexer/reader"
)

// robotsMaxBytes is how much of a robots.txt file is parsed; RFC 9309 asks
// for at least 500 KiB. What lies beyond is ignored (the last, cut line too).
const robotsMaxBytes = 512 << 10

// Robots is a parsed robots.txt file (RFC 9309).
//
// Groups start with one or more user-agent lines; the allow, disallow and
// crawl-delay lines that follow belong to them. A crawler obeys every group
// whose product token equals its own (case-insensitively), combined; if
// none does, the groups of "*"; if there are none either, it may fetch
// anything. Among the rules that match a path the longest pattern wins, and
// an allow rule wins a tie. Patterns are prefixes with "*" matching any
// run of characters and a final "$" anchoring the end. /robots.txt itself
// is always allowed.
type Robots struct {
	groups []robotsGroup
	// disallowAll is set for a robots.txt that could not be fetched
	// (5xx, unreachable): nothing may be crawled.
	disallowAll bool
	// Sitemaps are the sitemap URLs the file lists.
	Sitemaps []string
}

type robotsGroup struct {
	agents   []string // lower-case product tokens, or "*"
	rules    []robotsRule
	delay    time.Duration
	hasDelay bool
}

type robotsRule struct {
	allow   bool
	pattern string // normalised: see normalizeRobotsPath
}

// allowAllRobots is the policy for a host whose robots.txt is missing (4xx).
func allowAllRobots() *Robots { return &Robots{} }

// disallowAllRobots is the policy for a host whose robots.txt is
// unreachable or answers 5xx.
func disallowAllRobots() *Robots { return &Robots{disallowAll: true} }

// parseRobots parses a robots.txt file. It never fails: lines it does not
// understand are ignored, as the RFC asks. Only the first robotsMaxBytes
// are read.
func parseRobots(b []byte) *Robots {
	if len(b) > robotsMaxBytes {
		b = b[:robotsMaxBytes]
		if i := bytes.LastIndexAny(b, "\r\n"); i >= 0 {
			b = b[:i] // the last line is cut: drop it
		}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	r := &Robots{}
	var cur *robotsGroup
	// inAgents: the previous significant line was a user-agent line, so
	// another one joins the same group.
	inAgents := false
	for len(b) > 0 {
		var line []byte
		if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			line, b = b, nil
		}
		if i := bytes.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(string(line), ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent", "useragent", "user agent":
			if !inAgents || cur == nil {
				r.groups = append(r.groups, robotsGroup{})
				cur = &r.groups[len(r.groups)-1]
			}
			if tok := reader.ProductToken(value); tok != "" {
				cur.agents = append(cur.agents, tok)
			}
			inAgents = true
		case "allow", "disallow":
			inAgents = false
			if cur == nil {
				continue // a rule before any user-agent line belongs to no group
			}
			if value == "" {
				continue // "Disallow:" with nothing disallows nothing
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: normalizeRobotsPath(value, true)})
		case "crawl-delay":
			inAgents = false
			if cur == nil {
				continue
			}
			if s, err := strconv.ParseFloat(value, 64); err == nil && s >= 0 && s < 1e6 {
				cur.delay = time.Duration(s * float64(time.Second))
				cur.hasDelay = true
			}
		case "sitemap":
			if value != "" {
				r.Sitemaps = append(r.Sitemaps, value)
			}
		}
	}
	return r
}

// groupsFor returns the groups that apply to agent: those naming its
// product token, else those of "*".
func (r *Robots) groupsFor(agent string) []*robotsGroup {
	agent = reader.ProductToken(agent)
	var own, star []*robotsGroup
	for i := range r.groups {
		g := &r.groups[i]
		mine, anyone := false, false
		for _, a := range g.agents {
			mine = mine || a == agent && agent != "*"
			anyone = anyone || a == "*"
		}
		switch {
		case mine:
			own = append(own, g)
		case anyone:
			star = append(star, g)
		}
	}
	if len(own) > 0 {
		return own
	}
	return star
}

// Allowed reports whether agent may fetch u (its path and query).
func (r *Robots) Allowed(agent string, u *url.URL) bool {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return r.AllowedPath(agent, p)
}

// AllowedPath reports whether agent may fetch the URL path (with its query,
// percent-encoded as in a request line).
func (r *Robots) AllowedPath(agent, path string) bool {
	if path == "/robots.txt" {
		return true
	}
	if r.disallowAll {
		return false
	}
	path = normalizeRobotsPath(path, false)
	best, allow := -1, true
	for _, g := range r.groupsFor(agent) {
		for _, rule := range g.rules {
			n := len(rule.pattern)
			if n < best || n == best && !rule.allow || !robotsMatch(rule.pattern, path) {
				continue
			}
			best, allow = n, rule.allow
		}
	}
	return allow
}

// CrawlDelay returns the crawl-delay the groups for agent ask for (the
// largest, if several do).
func (r *Robots) CrawlDelay(agent string) (time.Duration, bool) {
	var d time.Duration
	found := false
	for _, g := range r.groupsFor(agent) {
		if g.hasDelay {
			found = true
			d = max(d, g.delay)
		}
	}
	return d, found
}

// robotsMatch reports whether pattern matches path: as a prefix, with "*"
// matching any run of bytes and a final "$" anchoring the end. It runs in
// O(len(pattern)·len(path)) at worst, never exponentially.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	// A prefix match is a full match of pattern + "*".
	if !anchored {
		if !strings.Contains(pattern, "*") {
			return strings.HasPrefix(path, pattern)
		}
		pattern += "*"
	}
	// Classic wildcard matching with backtracking to the last star.
	p, s := 0, 0
	star, mark := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// normalizeRobotsPath brings a pattern or a path to one form for
// comparison (RFC 9309 §2.2.2): bytes outside printable ASCII are
// percent-encoded, percent-escapes of unreserved characters are decoded,
// other escapes get upper-case hex. In a pattern "*" and "$" are kept as
// they are (they are its syntax); a pattern that does not start with "/"
// or "*" gets a "/".
func normalizeRobotsPath(s string, pattern bool) string {
	var b strings.Builder
	b.Grow(len(s))
	if pattern && s != "" && s[0] != '/' && s[0] != '*' {
		b.WriteByte('/')
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if unreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hex[v>>4])
				b.WriteByte(hex[v&15])
			}
			i += 2
		case c <= ' ' || c >= 0x7f:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// unreserved reports whether c is an RFC 3986 unreserved character.
func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
