// Package indexer keeps the Bleve index of passages and its write path:
// the data directory (store and index opened together, one owner), the
// ingest of a catalog, and the rebuild of the index from the store. What a
// passage holds comes from reader.Derive; the mapping from schema.
package indexer
