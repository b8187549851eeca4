package main

import (
	"errors"
	"strings"
	"testing"
)

func TestOriginList(t *testing.T) {
	for in, ok := range map[string]bool{
		"https://app.example.org": true, "http://localhost:3000": true, "https://app.example.org/": true, "*": true,
		"ftp://x": false, "app.example.org": false, "https://app.example.org/path": false, "https://": false, "https://a?x=1": false,
	} {
		var o originList
		if err := o.Set(in); (err == nil) != ok {
			t.Errorf("Set(%q): %v, want ok=%v", in, err, ok)
		}
	}
	var o originList
	_ = o.Set("https://a.example/")
	_ = o.Set("https://b.example")
	if o.String() != "https://a.example,https://b.example" {
		t.Errorf("repeated: %q", o.String())
	}
}

// TestServePublicURLFlag: a --public-url that is no http(s) URL of a host
// is a usage error that says why, before anything is opened.
func TestServePublicURLFlag(t *testing.T) {
	for _, bad := range []string{"ftp://search.example.org", "search.example.org", "https://x.org/?q=1"} {
		_, errOut, err := runBounded(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--public-url", bad)
		if !errors.Is(err, errUsage) || !strings.Contains(errOut, "--public-url") {
			t.Errorf("--public-url %s: %v, %q; want a usage error naming the flag", bad, err, errOut)
		}
	}
}
