package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/hrsearch/hrsearch/indexer/reader"
)

// usePDFCache keeps PDFium's compiled code (about 21 MB) in the user's cache
// directory, shared by every data directory: without it each fresh data
// directory compiles PDFium again, about 3 s of CPU and 335 MB at the first
// PDF of the process. Where there is no user cache directory, each data
// directory keeps its own (DATA/cache/pdfium).
func usePDFCache() {
	if dir, err := os.UserCacheDir(); err == nil {
		reader.SetPDFCacheDir(filepath.Join(dir, "hrsearch", "pdfium"))
	}
}

// startCPUProfile profiles the process's CPU into path until the returned
// function is called (index --cpuprofile, for developers measuring ingest).
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeMemProfile writes the allocation profile (every allocation since the
// start, by bytes and count) to path; a failure is reported, not fatal.
func writeMemProfile(path string, stderr io.Writer) {
	f, err := os.Create(path)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "hrsearch index: memory profile:", err)
	}
}
