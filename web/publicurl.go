package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// The public URL: behind a proxy that terminates TLS (or serves hrsearch
// under another name), the request's Host and scheme are the proxy's
// view, not the reader's. With Config.PublicURL, every absolute link the
// server writes starts with it and the session cookie is Secure when it
// is https.

type publicURLKey struct{}

// withPublicURL gives the configured public URL to the handlers (baseURL,
// the session cookie) through the request's context.
func (s *server) withPublicURL(next http.Handler) http.Handler {
	if s.publicURL == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), publicURLKey{}, s.publicURL)))
	})
}

// publicURLOf is the public URL the server was given, or "".
func publicURLOf(r *http.Request) string {
	p, _ := r.Context().Value(publicURLKey{}).(string)
	return p
}

// CheckPublicURL checks a public URL for Config.PublicURL and returns it
// without a trailing slash: http or https, a host, no query, fragment or
// user.
func CheckPublicURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil:
		return "", errors.New("not a URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", errors.New("it must start with https:// (or http://)")
	case u.Host == "":
		return "", errors.New("it names no host")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "", errors.New("it must not have a query or fragment")
	case u.User != nil:
		return "", errors.New("it must not name a user")
	}
	return strings.TrimRight(u.String(), "/"), nil
}
