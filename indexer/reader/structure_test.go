package reader

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/corpus/corpustest"
)

// Detectors for TestParagraphStructure, written apart from segmentation.
var (
	// A paragraph number after a sentence's end, before a capital.
	innerNumberRe = regexp.MustCompile(`[.!?:;]["”’)\]]*\s+(\d{1,3}(?:\.\d{1,3}){0,3})\.?\s+["“‘(]?\p{Lu}\p{Ll}`)
	openNumberRe  = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3}){0,3})\.?\s`)
)

// follows reports whether paragraph number n comes right after cur in a
// counter: 2.1 → 2.2, 3 or 3.1; 5 → 6, 5.1 or 6.1.
func follows(cur, n string) bool {
	parts := func(s string) []int {
		var out []int
		for _, p := range strings.Split(s, ".") {
			v, err := strconv.Atoi(p)
			if err != nil {
				return nil
			}
			out = append(out, v)
		}
		return out
	}
	c, m := parts(cur), parts(n)
	if c == nil || m == nil {
		return false
	}
	same := len(c) == len(m)
	for i := 0; same && i < len(c)-1; i++ {
		same = c[i] == m[i]
	}
	if same && m[len(m)-1] == c[len(c)-1]+1 {
		return true
	}
	if len(m) == len(c)+1 && m[len(m)-1] == 1 {
		prefix := true
		for i := range c {
			prefix = prefix && c[i] == m[i]
		}
		if prefix {
			return true
		}
	}
	if m[0] != c[0]+1 {
		return false
	}
	for _, x := range m[1:] {
		if x != 1 {
			return false
		}
	}
	return true
}

// structure counts paragraphs holding the next number of their document's
// counter inside them, and unnumbered fragments after a numbered paragraph
// cut off mid-sentence.
type structure struct {
	inner, fragments  int
	innerIDs, fragIDs []string
}

type para struct {
	id, num, text, heading string
	numbered               bool
}

func (st *structure) check(ps []para) {
	used := map[string]bool{}
	for _, p := range ps {
		if p.num != "" {
			used[p.num] = true
		}
	}
	last := ""
	for i, p := range ps {
		if p.num != "" {
			last = p.num
		}
		if last != "" {
			for _, m := range innerNumberRe.FindAllStringSubmatch(p.text, -1) {
				if follows(last, m[1]) && !used[m[1]] {
					st.inner++
					if len(st.innerIDs) < 8 {
						st.innerIDs = append(st.innerIDs, p.id+" holds "+m[1])
					}
					break
				}
			}
		}
		if i > 0 && !p.numbered && ps[i-1].numbered && ps[i-1].heading == p.heading {
			r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(ps[i-1].text))
			// "[Done in English, French …]", the closing formula, is no
			// fragment of the paragraph before it.
			if (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',') && !strings.HasPrefix(p.text, "[") && !strings.HasPrefix(p.text, "{") {
				st.fragments++
				if len(st.fragIDs) < 12 {
					st.fragIDs = append(st.fragIDs, p.id+": "+strconv.Quote(p.text[:min(len(p.text), 40)]))
				}
			}
		}
	}
}

// TestParagraphStructure checks the demo's decisions and reports: no
// paragraph holds the next paragraph of its document (decision 237/2003's
// 2.1 holding "2.2. On 11 November 1989…"), and no paragraph cut off
// mid-sentence at a page break is left as an unnumbered fragment. It
// prints the counts in the read blocks (before segmentation) and in the
// passages.
func TestParagraphStructure(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole demo corpus")
	}
	cat, err := corpus.ReadCatalogFile(corpustest.CatalogPath(t))
	if err != nil {
		t.Fatal(err)
	}
	var before, after structure
	docs := 0
	for _, e := range cat.Entries {
		if e.Kind != corpus.KindReport && e.Kind != corpus.KindDecision {
			continue
		}
		raw, err := os.ReadFile(e.Path)
		if err != nil {
			t.Fatal(err)
		}
		blocks, err := Read(context.Background(), e.Format, raw)
		if err != nil {
			t.Errorf("%s: %v", e.ID, err)
			continue
		}
		docs++
		var bs []para
		section := ""
		for i, b := range blocks {
			if b.Heading {
				section = b.Text
				continue
			}
			num := corpus.ParagraphNumber(b.Number)
			if num == "" {
				if m := openNumberRe.FindStringSubmatch(strings.TrimSpace(b.Text)); m != nil {
					num = m[1]
				}
			}
			h := b.Section
			if h == "" {
				h = section
			}
			bs = append(bs, para{id: e.ID + "[" + strconv.Itoa(i) + "]", num: num, text: b.Text, heading: h, numbered: num != ""})
		}
		before.check(bs)
		var ps []para
		for _, p := range corpus.Segment(&e, blocks) {
			num := strings.TrimPrefix(p.Unit, "para-")
			if num == p.Unit {
				num = ""
			}
			ps = append(ps, para{id: p.ID, num: num, text: p.Text, heading: p.Heading, numbered: num != ""})
		}
		after.check(ps)
	}
	for _, c := range []struct {
		name string
		st   structure
	}{{"before", before}, {"after", after}} {
		t.Logf("%s (%d documents): %d paragraphs hold the next paragraph number, e.g. %q; %d unnumbered fragments after a paragraph cut mid-sentence, e.g. %q",
			c.name, docs, c.st.inner, c.st.innerIDs, c.st.fragments, c.st.fragIDs)
	}
	if after.inner > 0 || after.fragments > 0 {
		t.Errorf("after segmentation: %d paragraphs hold the next number, %d fragments", after.inner, after.fragments)
	}
}
