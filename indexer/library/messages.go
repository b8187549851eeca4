package library

import (
	"regexp"
	"strings"
)

var pdftotextExit = regexp.MustCompile(`pdftotext: exit status (\d+)`)

// plainReason says a reader's failure in plain words: the PDF reader's
// exit statuses mean something to the librarian only when translated.
func plainReason(msg string) string {
	m := pdftotextExit.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	var why string
	switch m[1] {
	case "1":
		why = "the PDF cannot be opened: it is damaged, cut short, or not a PDF at all"
	case "3":
		why = "the PDF's permissions forbid copying its text"
	default:
		why = "the PDF's text cannot be read: the file may be damaged"
	}
	return strings.Replace(msg, m[0], why, 1)
}
