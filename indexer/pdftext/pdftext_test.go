package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// page is one page of a generated PDF: lines of text, or a raw page
// dictionary standing in for a broken page.
type page struct {
	lines []string
	raw   string
}

// buildPDF writes a PDF with the given pages, title and Helvetica text.
func buildPDF(title string, pages ...page) []byte {
	// Objects: 1 catalog, 2 pages, 3 font, 4 info, then a page and its
	// content stream for each page.
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Title (%s) >>", title)}
	var kids []string
	for _, p := range pages {
		n := len(objs) + 1
		kids = append(kids, fmt.Sprintf("%d 0 R", n))
		if p.raw != "" {
			objs = append(objs, p.raw, "<< /Length 0 >>\nstream\n\nendstream")
			continue
		}
		var content strings.Builder
		content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
		for _, l := range p.lines {
			if l == "" { // a paragraph gap: one more line's space
				content.WriteString("T*\n")
				continue
			}
			fmt.Fprintf(&content, "(%s) Tj T*\n", l)
		}
		content.WriteString("ET")
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << /Font << /F1 3 0 R >> >> >>", n+1),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// cacheDir keeps PDFium compiled across this package's readers.
var cacheDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pdftext-test-*")
	if err != nil {
		panic(err)
	}
	cacheDir = dir
	code := m.Run()
	shared().Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

var shared = sync.OnceValue(func() *Reader { return New(Options{Instances: 1, CacheDir: cacheDir}) })

func TestRead(t *testing.T) {
	raw := buildPDF("A test title",
		page{lines: []string{"Article 1", "Everyone has the right to life."}},
		page{lines: []string{"Article 2", "No one shall be held in slavery."}})
	doc, err := shared().Read(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 2 {
		t.Fatalf("%d pages, want 2: %q", len(doc.Pages), doc.Pages)
	}
	for i, want := range []string{"Article 1\nEveryone has the right to life.", "Article 2\nNo one shall be held in slavery."} {
		if got := strings.TrimSpace(doc.Pages[i]); got != want {
			t.Errorf("page %d = %q, want %q", i+1, got, want)
		}
	}
	if doc.Title != "A test title" {
		t.Errorf("title %q", doc.Title)
	}
	if strings.Count(doc.Text(), "\f") != 1 {
		t.Errorf("Text() should separate the pages with one form feed: %q", doc.Text())
	}
}

// TestParagraphGaps: a line set further below the one before than the
// page's line pitch follows a paragraph gap, kept as a blank line, however
// long the line before it is; lines at the usual pitch stay together.
func TestParagraphGaps(t *testing.T) {
	raw := buildPDF("",
		page{lines: []string{"Article 13", "The first paragraph runs over two lines and its last line",
			"is as long as any other line of this page, ending a sentence.", "",
			"The second paragraph follows after a wider space than the lines.", "Its second line.",
			"A third line that is no new paragraph."}})
	doc, err := shared().Read(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	want := "Article 13\nThe first paragraph runs over two lines and its last line\n" +
		"is as long as any other line of this page, ending a sentence.\n\n" +
		"The second paragraph follows after a wider space than the lines.\nIts second line.\n" +
		"A third line that is no new paragraph."
	if got := strings.TrimSpace(doc.Pages[0]); got != want {
		t.Errorf("page = %q,\nwant %q", got, want)
	}
}

func TestReadErrors(t *testing.T) {
	for name, raw := range map[string][]byte{
		"not a pdf": []byte("hello"),
		"truncated": buildPDF("", page{lines: []string{"x"}})[:40],
		"garbage":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff, 0x00, '('}, 500)...),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := shared().Read(context.Background(), raw)
			if !errors.Is(err, ErrNotPDF) {
				t.Errorf("error = %v, want ErrNotPDF", err)
			}
			// Said in words, never as PDFium's error code ("3: incorrect format").
			if err != nil && regexp.MustCompile(`: \d+: `).MatchString(err.Error()) {
				t.Errorf("error %q gives PDFium's code, not a reason", err)
			}
		})
	}
}

// TestDeadline: a deadline that passes while a long document is read stops
// it with the deadline's error, and the Reader still reads the next
// document.
func TestDeadline(t *testing.T) {
	shared().Read(context.Background(), buildPDF("", page{lines: []string{"warm up"}}))
	pages := make([]page, 3000)
	for i := range pages {
		pages[i] = page{lines: []string{fmt.Sprintf("Page %d of a long document", i+1)}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := shared().Read(ctx, buildPDF("", pages...))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want DeadlineExceeded", err)
	}
	t.Logf("stopped after %s: %v", time.Since(start), err)
	doc, err := shared().Read(context.Background(), buildPDF("", page{lines: []string{"one"}}))
	if err != nil || !strings.Contains(doc.Text(), "one") {
		t.Errorf("after a deadline: %v", err)
	}
}

// TestBrokenPageSkipped: a page PDFium cannot load is skipped with a
// warning; the other pages are read.
func TestBrokenPageSkipped(t *testing.T) {
	var logs bytes.Buffer
	r := New(Options{Instances: 1, CacheDir: cacheDir, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	defer r.Close()
	raw := buildPDF("",
		page{lines: []string{"first page"}},
		page{raw: "42"},
		page{lines: []string{"third page"}})
	doc, err := r.Read(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 3 || !strings.Contains(doc.Pages[0], "first page") || !strings.Contains(doc.Pages[2], "third page") {
		t.Fatalf("pages %q", doc.Pages)
	}
	if !reflect.DeepEqual(doc.Skipped, []int{2}) || doc.Pages[1] != "" || !strings.Contains(logs.String(), "page=2") {
		t.Errorf("skipped %v, page 2 %q, log %q", doc.Skipped, doc.Pages[1], logs.String())
	}
}

// TestMemoryLimit: an instance whose memory limit is below what PDFium
// needs fails cleanly rather than growing without bound.
func TestMemoryLimit(t *testing.T) {
	r := New(Options{Instances: 1, CacheDir: cacheDir, MemoryLimitPages: 20})
	defer r.Close()
	_, err := r.Read(context.Background(), buildPDF("", page{lines: []string{"x"}}))
	if err == nil {
		t.Fatal("read with 1.25 MiB of memory: no error")
	}
	if !errors.Is(err, ErrUnavailable) && !errors.Is(err, ErrNotPDF) {
		t.Errorf("error = %v", err)
	}
	t.Log(err)
}

// TestCacheDir: a reader with a cache directory fills it; a second reader
// with the same directory reads from it.
func TestCacheDir(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles PDFium twice")
	}
	dir := t.TempDir()
	raw := buildPDF("", page{lines: []string{"cached"}})
	for i := range 2 {
		r := New(Options{Instances: 1, CacheDir: dir})
		start := time.Now()
		doc, err := r.Read(context.Background(), raw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc.Text(), "cached") {
			t.Errorf("text %q", doc.Text())
		}
		t.Logf("reader %d: first document in %s", i+1, time.Since(start))
		r.Close()
	}
	if n, _ := dirSize(dir); n == 0 {
		t.Error("cache directory is empty")
	}
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n, err
}
