//go:build race

package search_test

// raceEnabled: the race detector slows Bleve several times over, so time
// limits in tests are scaled by it.
const raceEnabled = true
