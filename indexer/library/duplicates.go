package library

import (
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/indexer/store"
)

// Near-duplicates: the same text reworded or re-paginated. A document's
// signature is a MinHash of the word pairs (2-shingles) of its whole text,
// folded (case and diacritics) and read across passage boundaries, so a
// different pagination changes nothing and a rewording changes only the
// pairs it touches. The share of equal minima estimates the Jaccard
// similarity of two documents' pair sets.

// sigSize is the number of hash functions of a signature.
const sigSize = 128

// NearThreshold is the estimated similarity from which two documents are
// flagged as near-duplicates. Short decisions of one committee that share
// its boilerplate (discontinuances, above all) reach it too: on the demo
// library 2,540 pairs of its 923 documents do, 30 of them 0.9. Such
// documents bear their own, different UN symbols (Near.Distinct), and
// search never folds them; a librarian's page still lists them.
const NearThreshold = 0.3

// minWords is the least text a signature is made of: below it, any two
// short notes would look alike.
const minWords = 20

// Signature is a document's MinHash signature.
type Signature struct {
	Version int             `json:"v"`
	Words   int             `json:"words"`
	Min     [sigSize]uint64 `json:"min"`
}

const signatureVersion = 1

// SignatureOf computes the signature of a document's passages; ok is
// false when it has too little text to compare.
func SignatureOf(doc *corpus.Document) (sig Signature, ok bool) {
	var words []string
	for i := range doc.Passages {
		words = append(words, strings.FieldsFunc(corpus.Fold(doc.Passages[i].Text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	if len(words) < minWords {
		return Signature{}, false
	}
	sig = Signature{Version: signatureVersion, Words: len(words)}
	for i := range sig.Min {
		sig.Min[i] = math.MaxUint64
	}
	for i := 0; i+1 < len(words); i++ {
		h := fnv.New64a()
		h.Write([]byte(words[i]))
		h.Write([]byte{0})
		h.Write([]byte(words[i+1]))
		x := h.Sum64()
		for k := range sig.Min {
			if v := mix(x ^ seeds[k]); v < sig.Min[k] {
				sig.Min[k] = v
			}
		}
	}
	return sig, true
}

// mix is splitmix64's finaliser: a fresh hash function per seed.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

var seeds = func() (s [sigSize]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x)
	}
	return s
}()

// Similarity estimates the Jaccard similarity of two signatures' texts.
func (a *Signature) Similarity(b *Signature) float64 {
	if a.Version != b.Version {
		return 0
	}
	same := 0
	for i := range a.Min {
		if a.Min[i] == b.Min[i] {
			same++
		}
	}
	return float64(same) / sigSize
}

// Near is a stored document like another, with the estimated similarity.
type Near struct {
	ID         string
	Similarity float64
	// Distinct: both documents bear their own UN symbols, and they
	// differ. They are two documents however alike their texts (two
	// decisions of one committee discontinuing a case read the same), so
	// search does not fold one into the other.
	Distinct bool
}

// Duplicates finds the stored documents (other than self) whose bytes
// are the same as raw's (exact) and those whose text is like doc's (near,
// most similar first).
func (l *Library) Duplicates(self string, raw []byte, doc *corpus.Document) (exact []string, near []Near, err error) {
	sum := store.SHA256(raw)
	ids, err := l.store.IDs()
	if err != nil {
		return nil, nil, err
	}
	sig, sigOK := Signature{}, false
	if doc != nil {
		sig, sigOK = SignatureOf(doc)
	}
	for _, id := range ids {
		if id == self {
			continue
		}
		rec, err := l.store.Get(id)
		if err != nil {
			continue
		}
		if rec.SHA256 == sum {
			exact = append(exact, id)
			continue
		}
		if !sigOK {
			continue
		}
		var other Signature
		if ok, _ := l.store.Signature(id, &other); ok {
			if s := sig.Similarity(&other); s >= NearThreshold {
				near = append(near, Near{ID: id, Similarity: s})
			}
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].Similarity > near[j].Similarity })
	return exact, near, nil
}

// NearDuplicates finds the stored documents like the stored document id,
// most similar first. It compares signatures held in memory (read from
// the store on first use, kept up to date by the library's changes and
// the backfill), so that a search page can ask it for each of its
// documents.
func (l *Library) NearDuplicates(id string) ([]Near, error) {
	sigs := l.signatures()
	var near []Near
	var symbol string
	if rec, err := l.store.Get(id); err == nil {
		symbol = corpus.NormalizeSymbol(rec.Effective().Symbol)
	}
	for _, n := range sigs.like(id) {
		if rec, err := l.store.Get(n.ID); err == nil { // not trashed or purged since
			other := corpus.NormalizeSymbol(rec.Effective().Symbol)
			n.Distinct = symbol != "" && other != "" && symbol != other
			near = append(near, n)
		}
	}
	return near, nil
}

// signatures are the library's signatures in memory, loaded on first use.
func (l *Library) signatures() *Signatures {
	l.sigsOnce.Do(func() { l.sigs = LoadSignatures(l.store) })
	return l.sigs
}

// keepSignature stores a document's signature after a change; a failure
// is logged (the signature is derived data).
func (l *Library) keepSignature(id string, doc *corpus.Document) {
	if doc == nil {
		return
	}
	sig, ok := SignatureOf(doc)
	if !ok {
		return
	}
	if err := l.store.PutSignature(id, &sig); err != nil {
		l.log.Warn("storing a document's signature", "id", id, "err", err)
	}
	l.signatures().put(id, &sig)
}

// Signatures are the text signatures of a store's documents held in
// memory, for a process that compares many new documents with the library
// (a crawl). Safe for concurrent use.
type Signatures struct {
	mu   sync.Mutex
	sigs map[string]*Signature
}

// LoadSignatures reads the signatures the store holds (documents without
// one are not compared; serve's backfill gives them one).
func LoadSignatures(st *store.Store) *Signatures {
	s := &Signatures{sigs: make(map[string]*Signature)}
	ids, _ := st.IDs()
	for _, id := range ids {
		var sig Signature
		if ok, _ := st.Signature(id, &sig); ok && sig.Version == signatureVersion {
			s.sigs[id] = &sig
		}
	}
	return s
}

// Add stores the signature of the stored document id (doc, as derived)
// and returns the other document most like it, if one is at least
// NearThreshold alike.
func (s *Signatures) Add(st *store.Store, id string, doc *corpus.Document) (near Near, ok bool) {
	sig, sigOK := SignatureOf(doc)
	if !sigOK {
		return Near{}, false
	}
	_ = st.PutSignature(id, &sig) // derived data: a failure costs a comparison
	s.mu.Lock()
	defer s.mu.Unlock()
	for other, o := range s.sigs {
		if other == id {
			continue
		}
		if sim := sig.Similarity(o); sim >= NearThreshold && (sim > near.Similarity || sim == near.Similarity && other < near.ID) {
			near, ok = Near{ID: other, Similarity: sim}, true
		}
	}
	s.sigs[id] = &sig
	return near, ok
}

func (s *Signatures) put(id string, sig *Signature) {
	s.mu.Lock()
	s.sigs[id] = sig
	s.mu.Unlock()
}

// like is the documents like id (by its signature here), most similar
// first, then by id.
func (s *Signatures) like(id string) []Near {
	s.mu.Lock()
	defer s.mu.Unlock()
	sig, ok := s.sigs[id]
	if !ok {
		return nil
	}
	var near []Near
	for other, o := range s.sigs {
		if other == id {
			continue
		}
		if sim := sig.Similarity(o); sim >= NearThreshold {
			near = append(near, Near{ID: other, Similarity: sim})
		}
	}
	sort.Slice(near, func(i, j int) bool {
		if near[i].Similarity != near[j].Similarity {
			return near[i].Similarity > near[j].Similarity
		}
		return near[i].ID < near[j].ID
	})
	return near
}
