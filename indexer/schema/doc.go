// Package schema is the shape of the index: the Bleve mapping, its
// analyzers and the fold filter, the field names and the document form of a
// passage. It is the only part of indexer that search imports.
package schema
