package web

import (
	"os"
	"testing"
)

func TestDumpPages(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	h, _ := newTestHandler(t, nil)
	for name, target := range map[string]string{"search": "/search?q=non-refoulement&state=SV", "doc": "/doc/cat", "evil": "/doc/evil", "zero": "/search?q=zzz&state=SV&kind=decision", "facets": "/facets/state?q=torture"} {
		rec := do(h, "GET", target)
		os.WriteFile("/tmp/dump-"+name+".html", rec.Body.Bytes(), 0o644)
	}
}
