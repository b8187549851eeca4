// Package tokens keeps the librarians' API tokens: only their SHA-256 is
// stored, in a file of the data directory.
package tokens
