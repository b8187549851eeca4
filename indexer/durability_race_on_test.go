//go:build race

package indexer_test

// raceEnabled says the tests run under the race detector.
const raceEnabled = true
