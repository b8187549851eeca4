package reader

import (
	"bytes"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Bounds on what one page contributes to a crawl.
const (
	maxLinksPerPage = 5000
	maxURLLength    = 2048
)

// NormalizeURL returns the form of u the crawler compares: scheme and host
// in lower case, default port dropped, dot segments resolved, an empty path
// as "/", no fragment. It returns a copy.
func NormalizeURL(u *url.URL) *url.URL {
	n := *u
	n.User = nil
	n.Scheme = strings.ToLower(n.Scheme)
	n.Host = strings.ToLower(n.Host)
	if h, p, err := net.SplitHostPort(n.Host); err == nil &&
		(n.Scheme == "http" && p == "80" || n.Scheme == "https" && p == "443") {
		if strings.Contains(h, ":") {
			h = "[" + h + "]"
		}
		n.Host = h
	}
	n.Fragment, n.RawFragment = "", ""
	if n.Path == "" {
		n.Path, n.RawPath = "/", ""
	} else if strings.Contains(n.Path, "/.") {
		// Resolving against the URL itself removes "." and ".." segments.
		ref := &url.URL{Path: n.Path, RawPath: n.RawPath}
		r := (&url.URL{Scheme: n.Scheme, Host: n.Host, Path: "/"}).ResolveReference(ref)
		n.Path, n.RawPath = r.Path, r.RawPath
	}
	n.ForceQuery = false
	return &n
}

// resolveLink resolves href against base and normalises it; it returns nil
// for what is not an http(s) link to fetch (mailto:, javascript:, data:,
// fragments of the page itself, overlong URLs).
func resolveLink(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	if href == "" || href[0] == '#' || len(href) > maxURLLength {
		return nil
	}
	ref, err := url.Parse(href)
	if err != nil {
		return nil
	}
	u := base.ResolveReference(ref)
	if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
		return nil
	}
	return NormalizeURL(u)
}

// Page is what the crawler reads from an HTML page beside its text.
type Page struct {
	Title   string // <title>
	H1      string // the first <h1>
	OGTitle string // <meta property="og:title">
	Lang    string // <html lang>
	// NoIndex and NoFollow come from <meta name="robots"> (or one named
	// for the crawler's product token).
	NoIndex, NoFollow bool
	// Links are the page's http(s) links, resolved against <base href>
	// or the page's URL, normalised, without duplicates, in page order.
	// Links marked rel="nofollow" are left out.
	Links []string
	// Canonical is <link rel="canonical" href>, resolved and normalised
	// ("" if none or not an http(s) URL).
	Canonical string
}

// ParsePage reads a page's metadata and links. It never fails: a page
// that does not parse has none.
func ParsePage(body []byte, pageURL *url.URL, agent string) Page {
	var p Page
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return p
	}
	p.Title = cleanSpace(doc.Find("title").First().Text())
	p.H1 = cleanSpace(doc.Find("h1").First().Text())
	p.OGTitle = cleanSpace(doc.Find(`meta[property="og:title"]`).First().AttrOr("content", ""))
	p.Lang = cleanSpace(doc.Find("html").First().AttrOr("lang", ""))
	doc.Find("meta[http-equiv]").Each(func(_ int, s *goquery.Selection) {
		if p.Lang == "" && strings.EqualFold(strings.TrimSpace(s.AttrOr("http-equiv", "")), "content-language") {
			p.Lang = cleanSpace(s.AttrOr("content", ""))
		}
	})
	doc.Find("meta[name]").Each(func(_ int, s *goquery.Selection) {
		name := strings.ToLower(strings.TrimSpace(s.AttrOr("name", "")))
		if name != "robots" && name != agent {
			return
		}
		ni, nf := RobotsTag([]string{s.AttrOr("content", "")}, agent)
		p.NoIndex = p.NoIndex || ni
		p.NoFollow = p.NoFollow || nf
	})
	base := pageURL
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b := resolveLink(pageURL, href); b != nil {
			base = b
		}
	}
	doc.Find("link[rel][href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if !containsWord(strings.ToLower(s.AttrOr("rel", "")), "canonical") {
			return true
		}
		if u := resolveLink(base, s.AttrOr("href", "")); u != nil {
			p.Canonical = u.String()
		}
		return false
	})
	seen := make(map[string]bool)
	doc.Find("a[href], area[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if rel := strings.ToLower(s.AttrOr("rel", "")); containsWord(rel, "nofollow") {
			return true
		}
		u := resolveLink(base, s.AttrOr("href", ""))
		if u == nil {
			return true
		}
		if k := u.String(); !seen[k] {
			seen[k] = true
			p.Links = append(p.Links, k)
		}
		return len(p.Links) < maxLinksPerPage
	})
	return p
}

func containsWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

func cleanSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

var (
	mdLinkTargetRe = regexp.MustCompile(`\]\(\s*<?([^)\s>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)`)
	mdAutoLinkRe   = regexp.MustCompile(`<(https?://[^>\s]+)>`)
	mdRefLinkRe    = regexp.MustCompile(`(?m)^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)`)
)

// MarkdownLinks returns the links of a Markdown document: [text](url),
// <url> and reference definitions ([ref]: url); images are not links.
func MarkdownLinks(body []byte, pageURL *url.URL) []string {
	text := string(body)
	seen := make(map[string]bool)
	var out []string
	add := func(href string) {
		if len(out) >= maxLinksPerPage {
			return
		}
		if u := resolveLink(pageURL, href); u != nil && !seen[u.String()] {
			seen[u.String()] = true
			out = append(out, u.String())
		}
	}
	for _, m := range mdLinkTargetRe.FindAllStringSubmatchIndex(text, -1) {
		// "![alt](src)" is an image: find the "[" that opens this link.
		if open := strings.LastIndex(text[:m[0]], "["); open > 0 && text[open-1] == '!' {
			continue
		}
		add(text[m[2]:m[3]])
	}
	for _, m := range mdAutoLinkRe.FindAllStringSubmatch(text, -1) {
		add(m[1])
	}
	for _, m := range mdRefLinkRe.FindAllStringSubmatch(text, -1) {
		add(m[1])
	}
	return out
}

// PageLinks returns the links of a fetched document that has them (HTML,
// Markdown).
func PageLinks(format string, body []byte, pageURL *url.URL, agent string) (links []string, noFollow bool) {
	switch format {
	case "html":
		p := ParsePage(body, pageURL, agent)
		return p.Links, p.NoFollow
	case "markdown":
		return MarkdownLinks(body, pageURL), false
	}
	return nil, false
}

// RobotsTag reads X-Robots-Tag values: "noindex", "nofollow", "none",
// optionally for one agent ("hrsearch: noindex").
func RobotsTag(values []string, agent string) (noindex, nofollow bool) {
	for _, v := range values {
		if name, rest, ok := strings.Cut(v, ":"); ok && !strings.ContainsAny(name, ",") {
			if ProductToken(strings.TrimSpace(name)) != agent {
				continue
			}
			v = rest
		}
		for _, d := range strings.Split(v, ",") {
			switch strings.ToLower(strings.TrimSpace(d)) {
			case "noindex":
				noindex = true
			case "nofollow":
				nofollow = true
			case "none":
				noindex, nofollow = true, true
			}
		}
	}
	return noindex, nofollow
}

// ProductToken returns the lower-case product token of a user-agent line's
// value ("HRSearch/1.0" → "hrsearch"), or "*".
func ProductToken(v string) string {
	if strings.HasPrefix(v, "*") {
		return "*"
	}
	end := 0
	for end < len(v) {
		c := v[end]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' {
			end++
			continue
		}
		break
	}
	return strings.ToLower(v[:end])
}
