// Package store keeps the raw bytes of every document with its provenance
// and the librarian's corrections, written atomically and fsynced (one
// document at a time or in batches), and the tombstones of deleted
// documents. It is the source of truth the index is derived from.
package store
