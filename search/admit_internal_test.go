package search

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestAdmitTurnsAwayBeyondCapacity(t *testing.T) {
	s := &Searcher{slots: make(chan struct{}, 1)}
	if err := s.admit(context.Background()); err != nil {
		t.Fatalf("first search not admitted: %v", err)
	}
	start := time.Now()
	err := s.admit(context.Background())
	if !errors.Is(err, corpus.ErrBusy) {
		t.Fatalf("second search at capacity: %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < admitWait/2 || waited > 10*admitWait {
		t.Errorf("waited %v before turning away, want about %v", waited, admitWait)
	}
	<-s.slots // the first search ends
	if err := s.admit(context.Background()); err != nil {
		t.Fatalf("search after a slot freed: %v", err)
	}
}
