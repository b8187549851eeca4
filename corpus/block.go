package corpus

// Block is a piece of a document's text as a format reader found it, before
// segmentation: a heading or a paragraph, in reading order. Readers (in
// package indexer) turn raw bytes into blocks; Segment turns blocks into
// passages.
type Block struct {
	Text string `json:"text"`
	// Heading marks a heading: a Markdown "#" line, an HTML h1–h6, or a
	// heading the reader recognised in plain or PDF text.
	Heading bool `json:"heading,omitempty"`
	// Level is the heading level where the format has one (1 for "#").
	Level int `json:"level,omitempty"`
	// Number is the paragraph number the format carries, as printed
	// (paragraph JSON's ID field, untrimmed).
	Number string `json:"number,omitempty"`
	// Section is the heading the block sits under, where the format says.
	Section string `json:"section,omitempty"`
	// Labels are curated tags the format carries.
	Labels []string `json:"labels,omitempty"`
	// Recovered marks a heading found at the end of the paragraph before
	// it (see CleanParagraphs): it is the section of the paragraphs after
	// it, not their heading.
	Recovered bool `json:"recovered,omitempty"`
	// Notes are the footnotes taken out of Text (see CleanParagraphs).
	Notes []Note `json:"notes,omitempty"`
}
