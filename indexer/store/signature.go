package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// signatureFile holds, in a document's directory, the signature of its
// text that near-duplicate detection compares (library.Signature): kept
// with the document, so it moves into the trash and back with it.
const signatureFile = "signature.json"

// PutSignature stores a document's text signature beside its record. It
// is derived data: a lost one is computed again at the next change.
func (s *Store) PutSignature(id string, sig any) error {
	dir, err := s.docDir(id)
	if err != nil {
		return err
	}
	b, err := json.Marshal(sig)
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, signatureFile), b); err != nil {
		return fmt.Errorf("storing the signature of %s: %w", id, err)
	}
	return nil
}

// Signature reads a document's signature into sig; ok is false when it
// has none.
func (s *Store) Signature(id string, sig any) (ok bool, err error) {
	dir, err := s.docDir(id)
	if err != nil {
		return false, err
	}
	b, err := os.ReadFile(filepath.Join(dir, signatureFile))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, sig); err != nil {
		return false, nil // a torn or older file: as if none
	}
	return true, nil
}
