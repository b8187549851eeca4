// Package library is the librarian's operations on the store and the
// index (add, preview, correct, replace, delete) and the audit log that
// records each of them.
package library
