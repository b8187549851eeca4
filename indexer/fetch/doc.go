// Package fetch gets documents over HTTP politely and safely: robots.txt,
// per-host delays, retries, timeouts, body limits, conditional requests,
// and a dialer that refuses private addresses.
package fetch
