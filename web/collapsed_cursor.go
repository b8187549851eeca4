package web

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/fnv"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

// Cursors of a collapsed search (/api/search?collapse=document): next
// names the page after this one, for the same search, at the index
// generation the page was read at. A collapsed search lists at most
// search.MaxWindow documents, so that numbered pages reach them all; the
// cursor adds what page numbers cannot say: that the library changed
// between two pages (400 stale_cursor), so that a program never reads a
// document twice or misses one.

type collapsedCursor struct {
	Gen  uint64 `json:"g"`
	Key  uint64 `json:"k"`
	Page int    `json:"p"`
}

// collapsedKey identifies a collapsed search: its query, filters, sort
// and page size.
func collapsedKey(st searchState, req search.Request) uint64 {
	h := fnv.New64a()
	c := st.clone()
	c.Page, c.Sort = 1, req.Sort
	h.Write([]byte(c.values().Encode()))
	return h.Sum64()
}

// collapsedNext is the cursor of the page after res's, or "" on the last.
func collapsedNext(st searchState, req search.Request, res *search.CollapsedResults, gen uint64) string {
	if res.Page*res.Size >= res.Total || len(res.Groups) == 0 {
		return ""
	}
	b, _ := json.Marshal(collapsedCursor{Gen: gen, Key: collapsedKey(st, req), Page: res.Page + 1}) // plain fields
	return base64.RawURLEncoding.EncodeToString(b)
}

// readCollapsedCursor checks a collapsed search's cursor and returns the
// page it names.
func readCollapsedCursor(cursor string, st searchState, req search.Request, gen uint64, known bool) (int, error) {
	var c collapsedCursor
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(cursor) > 256 || json.Unmarshal(b, &c) != nil || c.Page < 2 || c.Key != collapsedKey(st, req) {
		return 0, apiSearchErr(search.ErrBadCursor)
	}
	if known && c.Gen != gen {
		return 0, apiSearchErr(search.ErrStaleCursor)
	}
	if (c.Page-1)*req.Size > search.MaxWindow {
		return 0, apiSearchErr(fmt.Errorf("%w: page %d", corpus.ErrInvalid, c.Page))
	}
	return c.Page, nil
}

// nonEmpty is s as a JSON string, or null when it is empty.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
