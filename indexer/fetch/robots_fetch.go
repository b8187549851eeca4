package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// robotsMaxRedirects is how many redirects a robots.txt request follows
// (RFC 9309: at least five); after that the file counts as unavailable.
const robotsMaxRedirects = 5

// robotsEntry is a cached robots.txt policy for one origin.
type robotsEntry struct {
	ready   chan struct{} // closed once loaded
	robots  *Robots
	expires time.Time
	// why says why the policy is not the file's own: "HTTP 503",
	// "unreachable: …"; empty when the file was read.
	why string
	err error // a refused address: the site itself is refused
}

// RobotsFor returns the robots.txt policy of u's origin, fetching it if it
// is not cached or its cache entry has expired:
//
//   - 2xx: the file's rules (the first robotsMaxBytes);
//   - 3xx: followed up to robotsMaxRedirects hops, even to other hosts;
//     beyond that the file is unavailable;
//   - 4xx (but 429): unavailable, everything is allowed;
//   - 429, 5xx, timeouts and network errors: unreachable, nothing is
//     allowed (and the answer is cached for RobotsErrorTTL only).
//
// Successful answers are cached for RobotsTTL (at most 24h) on the
// fetcher's clock. A robots.txt Crawl-delay sets the host's delay.
func (f *Fetcher) RobotsFor(ctx context.Context, u *url.URL) (*Robots, error) {
	e, err := f.robotsEntry(ctx, u)
	if err != nil {
		return nil, err
	}
	return e.robots, e.err
}

func (f *Fetcher) robotsEntry(ctx context.Context, u *url.URL) (*robotsEntry, error) {
	key := u.Scheme + "://" + u.Host
	for {
		f.mu.Lock()
		e := f.robots[key]
		if e == nil {
			e = &robotsEntry{ready: make(chan struct{})}
			f.robots[key] = e
			f.mu.Unlock()
			err := f.loadRobots(ctx, key, u.Host, e)
			if err != nil { // cancelled: not a policy, nothing cached
				f.mu.Lock()
				delete(f.robots, key)
				f.mu.Unlock()
			}
			close(e.ready)
			return e, err
		}
		f.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.robots == nil { // its loader was cancelled; try again
			continue
		}
		if f.cfg.Now().Before(e.expires) {
			return e, nil
		}
		f.mu.Lock()
		if f.robots[key] == e {
			delete(f.robots, key)
		}
		f.mu.Unlock()
	}
}

// loadRobots fetches key's robots.txt into e. It fails only when ctx ends.
func (f *Fetcher) loadRobots(ctx context.Context, key, host string, e *robotsEntry) error {
	now := f.cfg.Now()
	fail := func(why string) {
		e.robots, e.why, e.expires = disallowAllRobots(), why, now.Add(min(f.cfg.RobotsErrorTTL, f.cfg.RobotsTTL))
	}
	u, _ := url.Parse(key + "/robots.txt")
	lim := readLimit{max: robotsMaxBytes, truncate: true, anyType: true}
	for hops := 0; ; hops++ {
		r, _, err := f.getWithRetry(ctx, u, nil, lim)
		var he *HTTPError
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, ErrBlockedAddress):
			fail("refused address")
			e.err = err
			return nil
		case errors.As(err, &he):
			fail(fmt.Sprintf("robots.txt answered HTTP %d", he.Status))
			return nil
		case err != nil:
			fail(fmt.Sprintf("robots.txt unreachable: %v", err))
			return nil
		case r.status >= 200 && r.status <= 299:
			e.robots, e.expires = parseRobots(r.body), now.Add(f.cfg.RobotsTTL)
		case isRedirect(r.status) && hops < robotsMaxRedirects:
			next, err := u.Parse(r.header.Get("Location"))
			if err != nil || next.Scheme != "http" && next.Scheme != "https" || r.header.Get("Location") == "" {
				e.robots, e.expires = allowAllRobots(), now.Add(f.cfg.RobotsTTL)
				break
			}
			u = next
			continue
		case r.status == http.StatusTooManyRequests || r.status >= 500:
			fail(fmt.Sprintf("robots.txt answered HTTP %d", r.status))
			return nil
		default: // 4xx, too many redirects, 1xx oddities: unavailable
			e.robots, e.expires = allowAllRobots(), now.Add(f.cfg.RobotsTTL)
		}
		break
	}
	delay := f.cfg.HostDelay
	if d, ok := e.robots.CrawlDelay(f.agent); ok {
		delay = max(delay, min(d, f.cfg.MaxCrawlDelay))
	}
	slot := f.slot(host)
	slot.setDelay(delay)
	slot.deferUntil(time.Now().Add(delay)) // the robots.txt request counts too
	return nil
}

// checkRobots returns an error wrapping ErrDisallowed if robots.txt forbids
// u, or the address refusal that kept robots.txt from being read.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	if f.cfg.IgnoreRobots {
		return nil
	}
	e, err := f.robotsEntry(ctx, u)
	if err != nil {
		return err
	}
	if e.err != nil {
		return fmt.Errorf("%s: %w", u, e.err)
	}
	if !e.robots.Allowed(f.agent, u) {
		if e.why != "" {
			return fmt.Errorf("%s: %w (%s: nothing may be fetched)", u, ErrDisallowed, e.why)
		}
		return fmt.Errorf("%s: %w", u, ErrDisallowed)
	}
	return nil
}
