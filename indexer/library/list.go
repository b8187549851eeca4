package library

import (
	"sort"
	"time"

	"github.com/hrsearch/hrsearch/indexer/store"
)

// Listed is a stored document in the library's list, with the time of its
// last change.
type Listed struct {
	Record  store.Record
	Changed time.Time
}

// List returns every stored document, the most recently changed first: a
// librarian's change (replacement, correction, restore) or else its
// fetch or import.
func (l *Library) List() ([]Listed, error) {
	ids, err := l.store.IDs()
	if err != nil {
		return nil, err
	}
	out := make([]Listed, 0, len(ids))
	for _, id := range ids {
		rec, err := l.store.Get(id)
		if err != nil {
			continue // removed meanwhile
		}
		changed := rec.FetchedAt
		if rec.Replaced != nil && rec.Replaced.At.After(changed) {
			changed = rec.Replaced.At
		}
		if vs, err := l.store.Versions(id); err == nil && len(vs) > 0 && vs[len(vs)-1].SupersededAt.After(changed) {
			changed = vs[len(vs)-1].SupersededAt
		}
		out = append(out, Listed{Record: *rec, Changed: changed})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Changed.After(out[j].Changed) })
	return out, nil
}
