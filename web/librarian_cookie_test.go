package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSessionCookieSecureBehindProxy: behind a TLS-terminating proxy that
// says so (X-Forwarded-Proto or Forwarded), the session cookie is Secure;
// over plain HTTP it is not.
func TestSessionCookieSecureBehindProxy(t *testing.T) {
	h, _, _ := newLibrarianHandler(t, nil)
	for _, tt := range []struct {
		hdr    []string
		secure bool
	}{
		{nil, false},
		{[]string{"X-Forwarded-Proto", "https"}, true},
		{[]string{"X-Forwarded-Proto", "http"}, false},
		{[]string{"Forwarded", `for=192.0.2.1;proto=https;host=example.org`}, true},
	} {
		hdr := append([]string{"Content-Type", "application/x-www-form-urlencoded"}, tt.hdr...)
		rec := send(h, "POST", "/librarian/signin", strings.NewReader(url.Values{"token": {testToken}}.Encode()), hdr...)
		var c *http.Cookie
		for _, ck := range rec.Result().Cookies() {
			if ck.Name == sessionCookie {
				c = ck
			}
		}
		if c == nil || c.Secure != tt.secure {
			t.Errorf("%v: cookie %+v, want Secure=%v", tt.hdr, c, tt.secure)
		}
	}
}
