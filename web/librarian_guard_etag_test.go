package web

import (
	"net/http/httptest"
	"testing"
)

// TestIfMatchAcceptsCompressedTag: a document's ETag read through the
// compression layer comes back weak (W/"…"); it still names the version
// the client read, and any other version is refused with 412.
func TestIfMatchAcceptsCompressedTag(t *testing.T) {
	cur := &LibraryDoc{SHA256: "abc"}
	tag := docETag(cur)
	for _, c := range []struct {
		ifMatch string
		ok      bool
	}{{tag, true}, {"W/" + tag, true}, {`"other", ` + tag, true}, {"*", true}, {`"other"`, false}, {`W/"other"`, false}} {
		r := httptest.NewRequest("PUT", "/api/documents/x", nil)
		r.Header.Set("If-Match", c.ifMatch)
		if err := checkIfMatch(r, cur); (err == nil) != c.ok {
			t.Errorf("If-Match %s: error %v, want ok=%v", c.ifMatch, err, c.ok)
		}
	}
}
