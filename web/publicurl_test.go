package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPublicURL: with a public URL, absolute links (OpenSearch, feeds,
// citations' permalinks) start with it whatever Host the proxy sends, and
// the session cookie is Secure over the proxy's plain HTTP.
func TestPublicURL(t *testing.T) {
	for _, tc := range []struct {
		public, want string
		secure       bool
	}{
		{"", "http://example.com/", false},
		{"https://search.example.org/", "https://search.example.org/", true},
		{"http://intranet.example.org/hrsearch", "http://intranet.example.org/hrsearch/", false},
	} {
		h, _, _ := newLibrarianHandler(t, func(c *Config) { c.PublicURL = tc.public })
		for _, target := range []string{"/opensearch.xml", "/feed.atom?q=torture", "/api/cite/cat%23art-3?format=ris"} {
			rec := send(h, "GET", "http://127.0.0.1:8080"+target, nil)
			body := rec.Body.String()
			host := strings.TrimPrefix(strings.TrimPrefix(tc.want, "http://"), "https://")
			if tc.public == "" {
				host, tc.want = "127.0.0.1:8080/", "http://127.0.0.1:8080/"
			}
			if rec.Code != http.StatusOK || !strings.Contains(body, tc.want) {
				t.Errorf("public URL %q: %s (%d) has no link starting %s: %.300s", tc.public, target, rec.Code, tc.want, body)
			}
			if tc.public != "" && strings.Contains(body, "127.0.0.1:8080") {
				t.Errorf("public URL %q: %s still links to the request's Host (%s)", tc.public, target, host)
			}
		}
		rec := send(h, "POST", "/librarian/signin", strings.NewReader(url.Values{"token": {testToken}}.Encode()),
			"Content-Type", "application/x-www-form-urlencoded")
		var c *http.Cookie
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == sessionCookie {
				c = ck
			}
		}
		if c == nil || c.Secure != tc.secure {
			t.Errorf("public URL %q: cookie %+v, want Secure=%v", tc.public, c, tc.secure)
		}
	}
}

func TestCheckPublicURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://search.example.org/":   "https://search.example.org",
		"https://search.example.org/hr": "https://search.example.org/hr",
		"http://10.0.0.1:8080":          "http://10.0.0.1:8080",
		"ftp://search.example.org":      "",
		"search.example.org":            "",
		"https://":                      "",
		"https://x.org/?a=1":            "",
		"https://u:p@x.org":             "",
	} {
		got, err := CheckPublicURL(raw)
		if got != want || (err == nil) != (want != "") {
			t.Errorf("CheckPublicURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}
