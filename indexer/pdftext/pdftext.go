// Package pdftext reads the text of PDF files in-process, with PDFium
// compiled to WebAssembly and run by wazero: pure Go, no cgo and no program
// to install. Bytes go in, the text of each page comes out, and nothing
// else: no segmentation, no furniture removal.
//
// Every document is bounded: the caller's context deadline is checked
// between pages (and stops a page that outlives it), the WebAssembly memory
// of an instance is capped by Options.MemoryLimitPages, and a page that
// fails is skipped with a warning rather than losing the document.
package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
	"unicode"

	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Errors of Reader.Text, tested with errors.Is.
var (
	// ErrNotPDF: the bytes are not a PDF PDFium can open (no header,
	// truncated, damaged beyond repair, encrypted).
	ErrNotPDF = errors.New("not a readable PDF")
	// ErrUnavailable: the PDF engine could not be started.
	ErrUnavailable = errors.New("PDF engine unavailable")
)

// DefaultMemoryLimitPages caps an instance's WebAssembly memory at 1 GiB
// (a WebAssembly page is 64 KiB).
const DefaultMemoryLimitPages = 16384

// Options configure a Reader.
type Options struct {
	// CacheDir keeps wazero's compiled PDFium between processes: without
	// it every new process compiles the module again (seconds of CPU and
	// hundreds of MB); with it, the next process loads it in milliseconds.
	// Empty compiles in memory.
	CacheDir string
	// MemoryLimitPages caps the WebAssembly memory of one instance, in
	// 64 KiB pages; 0 means DefaultMemoryLimitPages.
	MemoryLimitPages uint32
	// Instances bounds how many documents are read at once; 0 means 2.
	Instances int
	// Log receives a warning for each page skipped; nil discards them.
	Log *slog.Logger
}

// Document is the text read from a PDF.
type Document struct {
	// Pages holds each page's text in order, lines separated by "\n"; a
	// page that could not be read is empty. A blank line stands where a
	// line is set further below the one before than the page's usual line
	// pitch: the space between paragraphs.
	Pages []string
	// Title is the document information dictionary's title, if any.
	Title string
	// Skipped lists the numbers (from 1) of pages that could not be read.
	Skipped []int
}

// Text returns the pages joined with form feeds, as pdftotext prints them.
func (d *Document) Text() string { return strings.Join(d.Pages, "\f") }

// Reader reads PDFs. PDFium is compiled on first use, so a Reader that reads
// nothing costs nothing; it is safe for concurrent use.
type Reader struct {
	opt Options

	once  sync.Once
	pool  pdfium.Pool
	cache wazero.CompilationCache
	err   error
}

// New returns a Reader with the given options.
func New(opt Options) *Reader {
	if opt.MemoryLimitPages == 0 {
		opt.MemoryLimitPages = DefaultMemoryLimitPages
	}
	if opt.Instances <= 0 {
		opt.Instances = 2
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	return &Reader{opt: opt}
}

// Start compiles and starts the PDF engine, once; Read calls it. A caller
// that bounds each document with a deadline calls it first, so that the
// start (seconds without a compilation cache) is not charged to the first
// document.
func (r *Reader) Start() error {
	r.once.Do(func() {
		cfg := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithMemoryLimitPages(r.opt.MemoryLimitPages).
			WithCloseOnContextDone(true)
		if r.opt.CacheDir != "" {
			cache, err := wazero.NewCompilationCacheWithDir(r.opt.CacheDir)
			if err != nil {
				r.opt.Log.Warn("pdftext: compilation cache unavailable; compiling in memory", "dir", r.opt.CacheDir, "err", err)
			} else {
				r.cache = cache
				cfg = cfg.WithCompilationCache(cache)
			}
		}
		pool, err := webassembly.Init(webassembly.Config{
			MinIdle:       0,
			MaxIdle:       r.opt.Instances,
			MaxTotal:      r.opt.Instances,
			RuntimeConfig: cfg,
			// No file system: documents are passed as bytes.
			FSConfig:     wazero.NewFSConfig(),
			Stdout:       io.Discard,
			Stderr:       io.Discard,
			ReuseWorkers: true,
		})
		if err != nil {
			r.err = fmt.Errorf("%w: %w", ErrUnavailable, err)
			return
		}
		r.pool = pool
	})
	return r.err
}

// Close releases the engine. The Reader must not be used afterwards.
func (r *Reader) Close() error {
	var err error
	if r.pool != nil {
		err = r.pool.Close()
	}
	if r.cache != nil {
		err = errors.Join(err, r.cache.Close(context.Background()))
	}
	return err
}

// Read returns the text of raw's pages. ctx bounds the whole document: its
// deadline is checked between pages, and a page still being read when it
// passes is stopped. A page that fails is skipped with a warning and
// listed in Document.Skipped.
func (r *Reader) Read(ctx context.Context, raw []byte) (*Document, error) {
	head := raw[:min(len(raw), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrNotPDF)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := r.Start(); err != nil {
		return nil, err
	}
	inst, err := r.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	// A page that outlives the deadline is stopped by killing its instance
	// (the runtime closes modules whose context is done); the pool makes a
	// fresh one for the next document.
	var killed sync.Once
	kill := func() { killed.Do(func() { _ = inst.Kill() }) }
	stop := context.AfterFunc(ctx, kill)
	defer func() {
		if stop() {
			_ = inst.Close()
		}
	}()
	return read(ctx, inst, raw, r.opt.Log)
}

func read(ctx context.Context, inst pdfium.Pdfium, raw []byte, log *slog.Logger) (doc *Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("%w: engine failure: %v", ErrNotPDF, p)
		}
	}()
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &raw})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, openError(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: opened.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: opened.Document})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotPDF, err)
	}
	doc = &Document{Pages: make([]string, 0, count.PageCount)}
	if t, err := inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: opened.Document, Tag: "Title"}); err == nil {
		doc.Title = strings.TrimSpace(t.Value)
	}
	for i := range count.PageCount {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("stopped at page %d of %d: %w", i+1, count.PageCount, err)
		}
		start := time.Now()
		text, err := pageText(inst, opened.Document, i)
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("stopped at page %d of %d: %w", i+1, count.PageCount, ctx.Err())
			}
			log.Warn("pdftext: page skipped", "page", i+1, "pages", count.PageCount, "took", time.Since(start), "err", err)
			doc.Skipped = append(doc.Skipped, i+1)
			text = ""
		}
		doc.Pages = append(doc.Pages, text)
	}
	return doc, nil
}

// pageText returns one page's text with "\n" line ends, soft-hyphen
// markers turned back into the hyphens printed at line ends.
func pageText(inst pdfium.Pdfium, d references.FPDF_DOCUMENT, i int) (string, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: d, Index: i})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return "", err
	}
	if n.Count <= 0 {
		return "", nil
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
	if err != nil {
		return "", err
	}
	lines := splitLines(t.Text)
	ys := make([]float64, len(lines))
	for i, l := range lines {
		ys[i] = math.NaN()
		if l.first < 0 || l.first >= n.Count {
			continue
		}
		o, err := inst.FPDFText_GetCharOrigin(&requests.FPDFText_GetCharOrigin{TextPage: tp.TextPage, Index: l.first})
		if err != nil {
			continue
		}
		ys[i] = o.Y
	}
	gaps := paragraphGaps(ys)
	var b strings.Builder
	b.Grow(len(t.Text) + len(lines))
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
			if gaps[i] {
				b.WriteByte('\n')
			}
		}
		b.WriteString(l.text)
	}
	return b.String(), nil
}

// line is a line of a page's text as PDFium gives it: its text (cleaned)
// and the index of its first printed character (-1 for a blank line).
type line struct {
	text  string
	first int
}

// splitLines cuts PDFium's text of a page into lines, keeping for each the
// character index (PDFium counts UTF-16 code units, generated "\r\n"
// included) of its first printed character. A soft-hyphen marker (U+0002,
// U+FFFE) ends a line with a hyphen.
func splitLines(s string) []line {
	var out []line
	var b strings.Builder
	first := -1
	idx := 0
	end := func() {
		out = append(out, line{text: strings.ReplaceAll(b.String(), "\x00", ""), first: first})
		b.Reset()
		first = -1
	}
	cr := false
	for _, r := range s {
		w := 1
		if r > 0xFFFF {
			w = 2
		}
		lf := r == '\n' && cr
		cr = r == '\r'
		switch {
		case lf: // the "\n" of "\r\n"
		case r == '\r' || r == '\n':
			end()
		case r == '\x02' || r == '\uFFFE':
			b.WriteByte('-')
			end()
		default:
			if first < 0 && !unicode.IsSpace(r) && r != 0 {
				first = idx
			}
			b.WriteRune(r)
		}
		idx += w
	}
	if b.Len() > 0 || first >= 0 {
		end()
	}
	return out
}

// paragraphGaps marks the lines that follow a paragraph break: a step down
// the page from the line before larger than 1.15 times the page's line
// pitch, its commonest step (to the half point). ys are the lines'
// baselines (NaN where unknown); lines on the same baseline, or above the
// one before (another column), are never marked.
func paragraphGaps(ys []float64) []bool {
	gaps := make([]bool, len(ys))
	count := map[int]int{}
	steps := 0
	for i := 1; i < len(ys); i++ {
		if d := ys[i-1] - ys[i]; d > 0.5 {
			count[int(math.Round(d*2))]++
			steps++
		}
	}
	if steps < 3 {
		return gaps
	}
	best, n := 0, 0
	for k, c := range count {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	pitch := float64(best) / 2
	for i := 1; i < len(ys); i++ {
		if d := ys[i-1] - ys[i]; d > pitch*1.15 {
			gaps[i] = true
		}
	}
	return gaps
}

// openError says in plain words why PDFium could not open a document (its
// error codes, "3: incorrect format", mean nothing to a librarian).
func openError(err error) error {
	is := func(target error) bool { return errors.Is(err, target) || err.Error() == target.Error() }
	var why string
	switch {
	case is(pdfiumerrors.ErrFormat), is(pdfiumerrors.ErrFile), is(pdfiumerrors.ErrUnknown):
		why = "it is damaged, cut short, or not a PDF at all"
	case is(pdfiumerrors.ErrPassword), is(pdfiumerrors.ErrSecurity):
		why = "it is protected by a password or encrypted"
	default:
		return fmt.Errorf("%w: %w", ErrNotPDF, err)
	}
	return fmt.Errorf("%w: %s", ErrNotPDF, why)
}
