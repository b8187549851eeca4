package web

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Response compression: zstd or gzip, as the client's Accept-Encoding
// prefers, for the text types the server writes (HTML, JSON, the exports,
// feeds, CSS and scripts). Small bodies and bodies that already carry a
// Content-Encoding go out as they are. Exports stream: Flush compresses
// what was written so far and sends it.

// minCompressBytes is the smallest body worth compressing: below it the
// encoding's own overhead is about what it would save.
const minCompressBytes = 1024

// gzipLevel trades size for time in favour of time: the server answers
// hundreds of searches a second on two cores. klauspost's gzip at its
// fastest level compresses a 71 KB search answer to 16.3 KB in 0.4 ms,
// level 5 to 14.2 KB in 1 ms (same format as the standard library's).
const gzipLevel = gzip.BestSpeed

var compressibleTypes = map[string]bool{
	"text/html": true, "text/plain": true, "text/css": true, "text/csv": true, "text/javascript": true,
	"application/javascript": true, "application/json": true, "application/problem+json": true,
	"application/x-ndjson": true, "application/x-research-info-systems": true, "application/x-bibtex": true,
	"application/vnd.citationstyles.csl+json": true, "application/atom+xml": true,
	"application/opensearchdescription+xml": true, "application/xml": true, "image/svg+xml": true,
	"text/x-bibtex": true,
}

// Encoders are kept in bounded free lists rather than sync.Pools: a
// sync.Pool is emptied by every garbage collection, and under load (a
// collection every few hundred requests) each miss would allocate an
// encoder's tables again (hundreds of kilobytes).
const maxIdleEncoders = 16

var (
	gzipFree = make(chan *gzip.Writer, maxIdleEncoders)
	zstdFree = make(chan *zstd.Encoder, maxIdleEncoders)
)

func getGzip(w io.Writer) *gzip.Writer {
	select {
	case z := <-gzipFree:
		z.Reset(w)
		return z
	default:
		z, _ := gzip.NewWriterLevel(w, gzipLevel) // cannot fail: the level is valid
		return z
	}
}

func putGzip(z *gzip.Writer) {
	z.Reset(io.Discard)
	select {
	case gzipFree <- z:
	default:
	}
}

func getZstd(w io.Writer) *zstd.Encoder {
	select {
	case z := <-zstdFree:
		z.Reset(w)
		return z
	default:
		z, _ := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1),
			zstd.WithWindowSize(1<<20), zstd.WithLowerEncoderMem(true)) // cannot fail: the options are valid
		return z
	}
}

func putZstd(z *zstd.Encoder) {
	z.Reset(nil)
	select {
	case zstdFree <- z:
	default:
	}
}

// chooseEncoding picks zstd, gzip or "" (identity) from an Accept-Encoding
// header, by its q-values; on a tie zstd, which costs the server less.
func chooseEncoding(header string) string {
	best, bestQ := "", 0.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q <= 0 {
			continue
		}
		switch name {
		case "zstd":
			if q >= bestQ {
				best, bestQ = "zstd", q
			}
		case "gzip", "x-gzip":
			if q > bestQ {
				best, bestQ = "gzip", q
			}
		}
	}
	return best
}

// compress wraps next so that its responses are compressed when the
// client accepts it.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		enc := chooseEncoding(r.Header.Get("Accept-Encoding"))
		if enc == "" || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, encoding: enc}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter decides at the first write whether to compress.
type compressWriter struct {
	http.ResponseWriter
	encoding string
	decided  bool
	status   int
	enc      interface {
		io.WriteCloser
		Flush() error
	}
	gz *gzip.Writer
	zs *zstd.Encoder
}

func (w *compressWriter) WriteHeader(code int) {
	if w.decided || code < 200 || code == http.StatusNoContent || code == http.StatusNotModified {
		if code >= 200 && !w.decided {
			w.decided = true
		}
		w.ResponseWriter.WriteHeader(code)
		return
	}
	w.status = code
	w.decide()
}

func (w *compressWriter) decide() {
	w.decided = true
	h := w.Header()
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	small := false
	if cl := h.Get("Content-Length"); cl != "" {
		n, err := strconv.Atoi(cl)
		small = err == nil && n < minCompressBytes
	}
	if compressibleTypes[ct] && h.Get("Content-Encoding") == "" && !small {
		h.Del("Content-Length")
		h.Set("Content-Encoding", w.encoding)
		if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
			h.Set("ETag", "W/"+et) // the bytes differ from the identity's
		}
		switch w.encoding {
		case "zstd":
			w.zs = getZstd(w.ResponseWriter)
			w.enc = w.zs
		default:
			w.gz = getGzip(w.ResponseWriter)
			w.enc = w.gz
		}
	}
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.decide()
	}
	if w.enc == nil {
		return w.ResponseWriter.Write(b)
	}
	return w.enc.Write(b)
}

// Flush sends what was written so far, compressed.
func (w *compressWriter) Flush() {
	if !w.decided {
		w.decide()
	}
	if w.enc != nil {
		_ = w.enc.Flush()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush() // through the writers that wrap it
}

// close ends the compressed stream and returns the encoder to its pool.
func (w *compressWriter) close() {
	if w.enc == nil {
		return
	}
	_ = w.enc.Close()
	if w.gz != nil {
		putGzip(w.gz)
	}
	if w.zs != nil {
		putZstd(w.zs)
	}
	w.enc = nil
}

func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
