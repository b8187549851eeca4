// Package crawl crawls from seed URLs within a scope, breadth-first, and
// stores and indexes what it finds; it removes the documents it stored
// whose pages are gone.
package crawl
