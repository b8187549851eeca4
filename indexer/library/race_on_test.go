//go:build race

package library

// raceEnabled says the tests run under the race detector.
const raceEnabled = true
