package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
)

// exportWriter writes the records of one export in its format: the
// framing (a byte-order mark and header for CSV, the array of CSL-JSON)
// and then one record at a time, buffered, so that an export of any size
// holds one page of records in memory.
type exportWriter struct {
	format string
	buf    *bufio.Writer
	csv    *csv.Writer
	json   *json.Encoder
	first  bool
}

// exportRow is a record of an export by passage or by document: its CSV
// row, and itself as JSON Lines.
type exportRow interface {
	row() []string
}

func newExportWriter(w io.Writer, format string, csvHeader []string) *exportWriter {
	e := &exportWriter{format: format, buf: bufio.NewWriterSize(w, 32<<10), first: true}
	e.json = json.NewEncoder(e.buf)
	switch format {
	case formatCSV:
		e.buf.WriteString("\ufeff") // spreadsheets read UTF-8 by it
		e.csv = csv.NewWriter(e.buf)
		_ = e.csv.Write(csvHeader)
	case formatCSLJSON:
		e.buf.WriteString("[\n")
	}
	return e
}

// write adds one record: rec in CSV and JSON Lines, its citation c in
// the reference formats. Errors surface at flush.
func (e *exportWriter) write(rec exportRow, c citation) {
	switch e.format {
	case formatCSV:
		_ = e.csv.Write(rec.row())
	case formatJSONL:
		_ = e.json.Encode(rec)
	case formatRIS:
		writeRIS(e.buf, c)
	case formatBibTeX:
		writeBibTeX(e.buf, c)
	case formatCSLJSON:
		if !e.first {
			e.buf.WriteString(",\n")
		}
		b, _ := json.Marshal(toCSL(c)) // plain strings and numbers: cannot fail
		e.buf.Write(b)
	}
	e.first = false
}

// flush sends what is buffered; an error means the client went away.
func (e *exportWriter) flush() error {
	if e.csv != nil {
		e.csv.Flush()
	}
	return e.buf.Flush()
}

// close ends the framing and sends the rest.
func (e *exportWriter) close() error {
	if e.format == formatCSLJSON {
		e.buf.WriteString("\n]\n")
	}
	return e.flush()
}
