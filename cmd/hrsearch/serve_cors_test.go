package main

import "testing"

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
