package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/reader"
)

// Errors of fetching, tested with errors.Is. Limits exceeded wrap
// corpus.ErrTooLarge and unreadable content corpus.ErrUnsupported.
var (
	// ErrDisallowed: robots.txt forbids the URL.
	ErrDisallowed = errors.New("disallowed by robots.txt")
	// ErrOffScope: a redirect leads out of the crawl's scope.
	ErrOffScope = errors.New("out of scope")
	// ErrBlockedAddress: the host resolves to a loopback, private,
	// link-local, unspecified or multicast address.
	ErrBlockedAddress = errors.New("address not allowed")
	// ErrRedirect: a redirect loop, too many redirects, or a redirect to
	// something other than http(s).
	ErrRedirect = errors.New("redirect refused")
	// ErrTimeout: the server did not answer (headers or whole body) in time.
	ErrTimeout = errors.New("timed out")
)

// HTTPError is a response status that gave no document.
type HTTPError struct {
	URL    string
	Status int
	// RetryAfter is what the server asked for, when it was more than the
	// fetcher is willing to wait.
	RetryAfter time.Duration
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (Retry-After %s)", e.RetryAfter)
	}
	return s
}

// NoHostDelay is FetchConfig.HostDelay for no delay between requests to a
// host: zero is the 1s default. A robots.txt Crawl-delay still applies.
const NoHostDelay time.Duration = -1

// FetchConfig configures a Fetcher. Zero fields take the defaults given.
type FetchConfig struct {
	// UserAgent is sent with every request; default "hrsearch/1.0", with
	// " (+Contact)" appended when Contact is set. Its first word is the
	// product token matched against robots.txt groups.
	UserAgent string
	Contact   string
	// HostDelay is the least time between two requests to one host
	// (default 1s; NoHostDelay for none); a larger robots.txt Crawl-delay
	// wins, up to MaxCrawlDelay (default 60s).
	HostDelay     time.Duration
	MaxCrawlDelay time.Duration
	// DialTimeout bounds connecting (default 10s), HeaderTimeout waiting for
	// response headers (default 20s), Timeout one whole request including
	// its body (default 2m).
	DialTimeout   time.Duration
	HeaderTimeout time.Duration
	Timeout       time.Duration
	// MaxBody bounds a body after decompression (default 50 MiB).
	MaxBody int64
	// MaxRedirects bounds a redirect chain (default 10).
	MaxRedirects int
	// MaxAttempts bounds tries of one request on 429, 503 and connection
	// errors (default 4); backoff starts at BackoffBase (default 1s) and
	// doubles, with jitter, up to MaxBackoff (default 1m). A Retry-After
	// longer than MaxRetryAfter (default 5m) is not waited for.
	MaxAttempts   int
	BackoffBase   time.Duration
	MaxBackoff    time.Duration
	MaxRetryAfter time.Duration
	// AllowPrivate lets requests reach loopback, private and link-local
	// addresses: tests against httptest servers, intranet deployments.
	AllowPrivate bool
	// IgnoreRobots skips robots.txt (never for crawling others' sites;
	// for a librarian's own server).
	IgnoreRobots bool
	// RobotsTTL is how long a robots.txt is cached (default and at most
	// 24h); RobotsErrorTTL how long a failed one is (default 10m).
	RobotsTTL      time.Duration
	RobotsErrorTTL time.Duration
	// Now is the clock of the robots.txt cache (default time.Now).
	Now func() time.Time
	Log *slog.Logger
}

func (c *FetchConfig) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.UserAgent == "" {
		c.UserAgent = "hrsearch/1.0"
		if c.Contact != "" {
			c.UserAgent += " (+" + c.Contact + ")"
		}
	}
	// Run once, by NewFetcher: after it, a zero HostDelay is no delay.
	switch {
	case c.HostDelay == 0:
		c.HostDelay = time.Second
	case c.HostDelay < 0: // NoHostDelay
		c.HostDelay = 0
	}
	def(&c.MaxCrawlDelay, time.Minute)
	def(&c.DialTimeout, 10*time.Second)
	def(&c.HeaderTimeout, 20*time.Second)
	def(&c.Timeout, 2*time.Minute)
	def(&c.BackoffBase, time.Second)
	def(&c.MaxBackoff, time.Minute)
	def(&c.MaxRetryAfter, 5*time.Minute)
	def(&c.RobotsTTL, 24*time.Hour)
	def(&c.RobotsErrorTTL, 10*time.Minute)
	c.RobotsTTL = min(c.RobotsTTL, 24*time.Hour)
	if c.MaxBody <= 0 {
		c.MaxBody = 50 << 20
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = 10
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 4
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Fetcher fetches documents over HTTP politely and defensively: robots.txt,
// one request at a time per host with a delay between them, timeouts, body
// limits after decompression, bounded redirects and retries, no private
// addresses unless allowed. It is safe for concurrent use.
type Fetcher struct {
	cfg    FetchConfig
	client *http.Client
	agent  string // robots.txt product token

	mu     sync.Mutex
	hosts  map[string]*hostSlot
	robots map[string]*robotsEntry
}

// NewFetcher returns a fetcher with cfg (defaults filled in).
func NewFetcher(cfg FetchConfig) *Fetcher {
	cfg.defaults()
	f := &Fetcher{cfg: cfg, hosts: make(map[string]*hostSlot), robots: make(map[string]*robotsEntry)}
	f.agent = reader.ProductToken(cfg.UserAgent)
	dialer := &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		// The check runs on the address actually dialled, after DNS
		// resolution: a name that resolves (or rebinds) to a private
		// address is refused as surely as a literal one.
		dialer.Control = refusePrivate
	}
	tr := &http.Transport{
		Proxy:                  nil, // a proxy would hide the address dialled
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxConnsPerHost:        1,
		MaxIdleConnsPerHost:    1,
		IdleConnTimeout:        90 * time.Second,
		DisableCompression:     true, // gzip is asked for and decoded here, under the body limit
		MaxResponseHeaderBytes: 1 << 20,
	}
	f.client = &http.Client{
		Transport: tr,
		// Redirects are followed by Fetch itself, hop by hop, each one
		// checked for scheme, scope, loops and robots.txt.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f
}

// Close releases idle connections.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

// UserAgent is the User-Agent header the fetcher sends.
func (f *Fetcher) UserAgent() string { return f.cfg.UserAgent }

// FetchOptions are per-request choices.
type FetchOptions struct {
	// ETag and Modified are validators from an earlier fetch: they make
	// the request conditional (If-None-Match, If-Modified-Since).
	ETag, Modified string
	// InScope, if set, is asked about every redirect target; a target it
	// refuses ends the fetch with ErrOffScope.
	InScope func(*url.URL) bool
}

// Fetched is a fetched document.
type Fetched struct {
	URL       string // as requested
	FinalURL  string // after redirects
	Status    int
	FetchedAt time.Time
	// ContentType is the Content-Type header as the server sent it.
	ContentType string
	// ContentLanguage is the Content-Language header.
	ContentLanguage string
	ETag, Modified  string
	// NotModified is set when a conditional request was answered 304: Body
	// is empty and the earlier copy stands.
	NotModified bool
	// Format is html, markdown, text or pdf.
	Format string
	// Charset is the encoding a text body was decoded from; Body holds it
	// as UTF-8. A PDF's Body is the bytes as sent.
	Charset string
	Body    []byte
	// Raw is the body as sent (after transfer decompression): what the
	// store keeps. Body is derived from it.
	Raw []byte
	// NoIndex and NoFollow come from an X-Robots-Tag header.
	NoIndex, NoFollow bool
	Redirects         int
	Attempts          int
}

// Fetch gets u: robots.txt permitting, following redirects, retrying what
// is worth retrying. The result's Body is bounded by MaxBody and, for text,
// converted to UTF-8.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, opt FetchOptions) (*Fetched, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	res := &Fetched{URL: u.String()}
	seen := map[string]bool{u.String(): true}
	for {
		if err := f.checkRobots(ctx, u); err != nil {
			return nil, err
		}
		hdr := http.Header{}
		if opt.ETag != "" {
			hdr.Set("If-None-Match", opt.ETag)
		}
		if opt.Modified != "" {
			hdr.Set("If-Modified-Since", opt.Modified)
		}
		r, attempts, err := f.getWithRetry(ctx, u, hdr, readLimit{max: f.cfg.MaxBody})
		res.Attempts += attempts
		if err != nil {
			return nil, err
		}
		res.Status = r.status
		res.FinalURL = u.String()
		res.FetchedAt = time.Now().UTC()
		switch {
		case r.status == http.StatusNotModified:
			res.NotModified = true
			res.ETag, res.Modified = r.header.Get("ETag"), r.header.Get("Last-Modified")
			return res, nil
		case isRedirect(r.status):
			loc := r.header.Get("Location")
			if loc == "" {
				return nil, &HTTPError{URL: u.String(), Status: r.status}
			}
			next, err := u.Parse(loc)
			if err != nil {
				return nil, fmt.Errorf("%s: %w: bad Location %q", u, ErrRedirect, loc)
			}
			next.Fragment, next.RawFragment = "", ""
			if next.Scheme != "http" && next.Scheme != "https" {
				return nil, fmt.Errorf("%s: %w: to %q (only http and https are followed)", u, ErrRedirect, next.Scheme+":")
			}
			if next.Hostname() == "" || next.User != nil {
				return nil, fmt.Errorf("%s: %w: to %q", u, ErrRedirect, loc)
			}
			if seen[next.String()] {
				return nil, fmt.Errorf("%s: %w: loop back to %s", u, ErrRedirect, next)
			}
			if res.Redirects >= f.cfg.MaxRedirects {
				return nil, fmt.Errorf("%s: %w: more than %d redirects", res.URL, ErrRedirect, f.cfg.MaxRedirects)
			}
			if opt.InScope != nil && !opt.InScope(next) {
				return nil, fmt.Errorf("redirect from %s to %s: %w", u, next, ErrOffScope)
			}
			seen[next.String()] = true
			res.Redirects++
			u = next
			continue
		case r.status < 200 || r.status > 299:
			return nil, &HTTPError{URL: u.String(), Status: r.status}
		}
		res.ContentType = r.header.Get("Content-Type")
		res.ContentLanguage = r.header.Get("Content-Language")
		res.ETag, res.Modified = r.header.Get("ETag"), r.header.Get("Last-Modified")
		res.NoIndex, res.NoFollow = reader.RobotsTag(r.header.Values("X-Robots-Tag"), f.agent)
		res.Format, err = reader.FormatOfResponse(res.ContentType, u, r.body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		res.Body, res.Raw = r.body, r.body
		if res.Format != corpus.FormatPDF {
			res.Body, res.Charset = reader.DecodeText(r.body, res.ContentType, res.Format == corpus.FormatHTML)
		}
		return res, nil
	}
}

// ParseURL checks a URL to fetch: absolute http(s), with a host, no
// credentials; the fragment is dropped.
func ParseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: url %q: %v", corpus.ErrInvalid, raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%w: url %q: only http and https are fetched", corpus.ErrInvalid, raw)
	case u.Hostname() == "":
		return nil, fmt.Errorf("%w: url %q has no host", corpus.ErrInvalid, raw)
	case u.User != nil:
		return nil, fmt.Errorf("%w: url %q carries credentials", corpus.ErrInvalid, raw)
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// response is one HTTP exchange's outcome; body is read only for 2xx.
type response struct {
	status int
	header http.Header
	body   []byte
}

// getWithRetry GETs u, retrying 429, 503 and connection errors with
// exponential backoff and jitter, honouring Retry-After, up to MaxAttempts.
func (f *Fetcher) getWithRetry(ctx context.Context, u *url.URL, hdr http.Header, lim readLimit) (*response, int, error) {
	for attempt := 1; ; attempt++ {
		r, err := f.get(ctx, u, hdr, lim)
		wait, retry := f.retryAfter(u, r, err, attempt)
		if !retry {
			if err == nil && (r.status == http.StatusTooManyRequests || r.status == http.StatusServiceUnavailable) {
				return nil, attempt, &HTTPError{URL: u.String(), Status: r.status, RetryAfter: wait}
			}
			return r, attempt, err
		}
		f.cfg.Log.Debug("retrying", "url", u.String(), "attempt", attempt, "wait", wait, "err", err)
		// Other requests to the host wait too.
		f.slot(u.Host).deferUntil(time.Now().Add(wait))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, attempt, ctx.Err()
		case <-t.C:
		}
	}
}

// retryAfter decides whether to try again and how long to wait first. When
// it says no for a 429 or 503, wait is a Retry-After that was too long.
func (f *Fetcher) retryAfter(u *url.URL, r *response, err error, attempt int) (time.Duration, bool) {
	if err != nil {
		if !retryable(err) || attempt >= f.cfg.MaxAttempts {
			return 0, false
		}
		return f.backoff(attempt), true
	}
	if r.status != http.StatusTooManyRequests && r.status != http.StatusServiceUnavailable {
		return 0, false
	}
	wait, ok := parseRetryAfter(r.header.Get("Retry-After"), time.Now())
	if ok && wait > f.cfg.MaxRetryAfter {
		return wait, false
	}
	if attempt >= f.cfg.MaxAttempts {
		return 0, false
	}
	if !ok {
		wait = f.backoff(attempt)
	}
	return wait, true
}

// backoff is BackoffBase·2^(attempt-1), capped at MaxBackoff, of which a
// random half is waited ("equal jitter"), so that clients do not retry in
// step.
func (f *Fetcher) backoff(attempt int) time.Duration {
	d := f.cfg.BackoffBase << min(attempt-1, 30)
	if d <= 0 || d > f.cfg.MaxBackoff {
		d = f.cfg.MaxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

// parseRetryAfter reads a Retry-After value: seconds or an HTTP-date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(min(s, 1<<32)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// retryable reports whether a request error is worth another try:
// connections refused, reset or closed early. Timeouts are not (a server
// that was too slow once is asked again only on the next crawl), nor are
// refused addresses, limits and cancellations.
func retryable(err error) bool {
	switch {
	case errors.Is(err, ErrBlockedAddress), errors.Is(err, corpus.ErrTooLarge), errors.Is(err, corpus.ErrUnsupported),
		errors.Is(err, ErrTimeout), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.IsTemporary
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.EPIPE)
}

// readLimit says how a body is read.
type readLimit struct {
	max int64
	// truncate keeps the first max bytes of a longer body instead of
	// failing (robots.txt).
	truncate bool
	// anyType reads whatever the Content-Type (robots.txt).
	anyType bool
}

// get performs one GET of u, holding u's host slot for the whole exchange
// (one request in flight per host, HostDelay between them). The body of a
// 2xx response is read, decompressed and bounded by lim.
func (f *Fetcher) get(ctx context.Context, u *url.URL, hdr http.Header, lim readLimit) (*response, error) {
	slot := f.slot(u.Host)
	if err := slot.acquire(ctx); err != nil {
		return nil, err
	}
	defer slot.release()

	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", corpus.ErrInvalid, err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/html, application/xhtml+xml, text/markdown, text/plain;q=0.9, application/pdf;q=0.9, */*;q=0.1")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.requestError(parent, ctx, u, err)
	}
	defer resp.Body.Close()
	r := &response{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.CopyN(io.Discard, resp.Body, 4<<10) // lets a short error body keep the connection
		return r, nil
	}
	if !lim.anyType && !reader.AcceptableType(resp.Header.Get("Content-Type")) {
		return nil, fmt.Errorf("%s: %w: content type %q", u, corpus.ErrUnsupported, reader.MediaType(resp.Header.Get("Content-Type")))
	}
	if !lim.truncate && resp.ContentLength > lim.max && resp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("%s: %w: Content-Length %d is over the limit of %d bytes", u, corpus.ErrTooLarge, resp.ContentLength, lim.max)
	}
	r.body, err = readBody(resp, lim)
	if err != nil {
		if errors.Is(err, corpus.ErrTooLarge) {
			return nil, fmt.Errorf("%s: %w", u, err)
		}
		return nil, f.requestError(parent, ctx, u, err)
	}
	return r, nil
}

// requestError names timeouts and refused addresses as such. parent is
// the caller's context, ctx the request's (parent with Timeout).
func (f *Fetcher) requestError(parent, ctx context.Context, u *url.URL, err error) error {
	var ne net.Error
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return fmt.Errorf("%s: %w", u, unwrapBlocked(err))
	case parent.Err() != nil:
		return fmt.Errorf("%s: %w", u, parent.Err())
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Errorf("%s: %w: no complete response within %s", u, ErrTimeout, f.cfg.Timeout)
	case errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("%s: %w: %v", u, ErrTimeout, err)
	}
	return fmt.Errorf("%s: %w", u, err)
}

// unwrapBlocked digs the address refusal out of url.Error and net.OpError.
func unwrapBlocked(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if be, ok := e.(*blockedError); ok {
			return be
		}
	}
	return err
}

// readBody reads a response body, decompressing gzip, and fails with
// corpus.ErrTooLarge once more than limit bytes come out: the limit applies
// after decompression, so a gzip bomb stops there.
func readBody(resp *http.Response, lim readLimit) ([]byte, error) {
	limit := lim.max
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip body: %v", corpus.ErrInvalid, err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("%w: content encoding %q", corpus.ErrUnsupported, enc)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(b)) > limit && lim.truncate {
		return b[:limit], nil
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: body over the limit of %d bytes (after decompression)", corpus.ErrTooLarge, limit)
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// hostSlot serialises requests to one host and spaces them out.
type hostSlot struct {
	sem chan struct{} // one request in flight

	mu    sync.Mutex
	next  time.Time     // earliest start of the next request
	delay time.Duration // space after each request
}

func (f *Fetcher) slot(host string) *hostSlot {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.hosts[host]
	if !ok {
		s = &hostSlot{sem: make(chan struct{}, 1), delay: f.cfg.HostDelay}
		f.hosts[host] = s
	}
	return s
}

// acquire waits for the host's turn: no other request in flight, and the
// delay since the last one elapsed.
func (s *hostSlot) acquire(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		s.mu.Lock()
		wait := time.Until(s.next)
		s.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			<-s.sem
			return ctx.Err()
		case <-t.C:
		}
	}
}

// release ends a request: the next may start after the delay.
func (s *hostSlot) release() {
	s.mu.Lock()
	if t := time.Now().Add(s.delay); t.After(s.next) {
		s.next = t
	}
	s.mu.Unlock()
	<-s.sem
}

// deferUntil keeps the host's next request from starting before t.
func (s *hostSlot) deferUntil(t time.Time) {
	s.mu.Lock()
	if t.After(s.next) {
		s.next = t
	}
	s.mu.Unlock()
}

// setDelay sets the space between requests (HostDelay, or a larger
// robots.txt Crawl-delay).
func (s *hostSlot) setDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}
