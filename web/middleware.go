package web

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"
)

// contentSecurityPolicy allows only the server's own scripts and styles:
// no inline script or style anywhere.
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// Request limits.
const (
	maxURILength = 4096 // bytes of path and query → 414
	maxBodyBytes = 1 << 20
	maxResults   = 10000 // page*size
)

// securityHeaders sets the headers every response carries, whatever writes it.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

// reqInfo carries what inner layers learn about a request to the outer ones.
type reqInfo struct {
	route string // the matched route template, e.g. "/doc/{id}"
}

type reqInfoKey struct{}

func routeOf(r *http.Request) string {
	if ri, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok && ri.route != "" {
		return ri.route
	}
	return "unmatched"
}

// routeRecorder runs inside the router and records the matched template.
func routeRecorder(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ri, ok := r.Context().Value(reqInfoKey{}).(*reqInfo); ok {
			if cr := mux.CurrentRoute(r); cr != nil {
				if t, err := cr.GetPathTemplate(); err == nil {
					ri.route = t
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status and the bytes written.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog logs one line per request: method, route template, status,
// bytes and duration. It never logs the query string (it holds the user's
// search) nor any header.
func (s *server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{}
		r = r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		d := time.Since(start)
		route := routeOf(r)
		s.log.LogAttrs(r.Context(), levelFor(sw.status), "http request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", d),
		)
		if s.metrics != nil {
			s.metrics.observe(r.Method, route, sw.status, d)
		}
	})
}

// recoverPanics turns a handler's panic into a 500 without internal text.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, kindAuto, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitRequest caps the URI length and the request body.
func (s *server) limitRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > maxURILength || len(r.URL.RawQuery) > maxURILength {
			s.writeError(w, r, kindAuto, &httpError{status: http.StatusRequestURITooLong, code: "uri_too_long", msg: "The address is too long. Shorten the query."})
			return
		}
		if r.ContentLength > maxBodyBytes {
			s.writeError(w, r, kindAuto, &httpError{status: http.StatusRequestEntityTooLarge, code: "too_large", msg: "The request body is too large."})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// limiter is a token bucket per client IP. Idle clients are swept as new
// ones arrive, so it needs no goroutine of its own.
type limiter struct {
	rate  rate.Limit
	burst int

	mu        sync.Mutex
	clients   map[string]*client
	lastSweep time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

const (
	limiterIdle       = 5 * time.Minute
	limiterMaxClients = 100_000
)

func newLimiter(perSecond float64) *limiter {
	burst := int(math.Ceil(perSecond * 2))
	if burst < 1 {
		burst = 1
	}
	return &limiter{rate: rate.Limit(perSecond), burst: burst, clients: make(map[string]*client)}
}

// allow reports whether the client may go on and, if not, how long it
// should wait.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute || len(l.clients) >= limiterMaxClients {
		for k, c := range l.clients {
			if now.Sub(c.seen) > limiterIdle {
				delete(l.clients, k)
			}
		}
		if len(l.clients) >= limiterMaxClients { // a flood of addresses: start over
			clear(l.clients)
		}
		l.lastSweep = now
	}
	c, ok := l.clients[key]
	if !ok {
		c = &client{lim: rate.NewLimiter(l.rate, l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	res := c.lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Second
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// rateLimit applies the limiter to the JSON API.
func (s *server) rateLimit(l *limiter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			if ok, wait := l.allow(clientIP(r), time.Now()); !ok {
				secs := int(math.Ceil(wait.Seconds()))
				if secs < 1 {
					secs = 1
				}
				w.Header().Set("Retry-After", strconv.Itoa(secs))
				s.writeError(w, r, kindJSON, &httpError{status: http.StatusTooManyRequests, code: "too_many_requests", msg: "Too many requests. Retry after " + strconv.Itoa(secs) + " s."})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// metrics are the server's Prometheus collectors.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry, indexSize func() int64, health func(context.Context) (Health, bool, error)) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrsearch_http_requests_total",
			Help: "HTTP requests by method, route template and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hrsearch_http_request_duration_seconds",
			Help:    "HTTP request latency in seconds by method and route template.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if indexSize != nil {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "hrsearch_index_size_bytes",
			Help: "Size of the search index's files on disk, in bytes.",
		}, func() float64 { return float64(indexSize()) }))
	}
	if health != nil {
		gauge := func(name, help string, v func(Health) float64) {
			reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
				h, known, err := health(context.Background())
				if err != nil || !known {
					return math.NaN()
				}
				return v(h)
			}))
		}
		gauge("hrsearch_index_documents", "Documents in the library.", func(h Health) float64 { return float64(h.Documents) })
		gauge("hrsearch_index_passages", "Passages in the search index.", func(h Health) float64 { return float64(h.Passages) })
		gauge("hrsearch_index_generation", "The index's generation: it changes whenever the index does.",
			func(h Health) float64 { return float64(h.Generation) })
		gauge("hrsearch_ready", "1 while the server can serve searches, 0 while the index is not ready.", func(h Health) float64 {
			if h.Ready {
				return 1
			}
			return 0
		})
	}
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // keep label cardinality bounded
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

func (s *server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{ErrorLog: slogPrintln{s.log}})
}
