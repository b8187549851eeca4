package reader

import (
	"regexp"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
)

var (
	mdHeadingRe = regexp.MustCompile(`^(#{1,6})\s*(.*?)\s*#*\s*$`)
	mdImageRe   = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLinkRe    = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdEmphRe    = regexp.MustCompile(`\*\*([^*\n]+)\*\*|\*([^*\n]+)\*|__([^_\n]+)__`)
	htmlTagLine = regexp.MustCompile(`^\s*<[^>]*>\s*$`)
	mdRuleRe    = regexp.MustCompile(`^\s*(?:-{3,}|\*{3,}|_{3,})\s*$`)
	mdTableSep  = regexp.MustCompile(`^\|?[\s|:\-]*$`)
)

// readMarkdown reads Markdown as the treaty database's converter writes it:
// "#" headings (with or without a space after the hashes), paragraphs
// separated by blank lines or by headings, Markdown links and emphasis
// reduced to their text, images and stray HTML tag lines (the <meta> line)
// dropped, and table rows reduced to their cells.
func readMarkdown(raw []byte) []corpus.Block {
	var blocks []corpus.Block
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			if t := strings.TrimSpace(strings.Join(cur, "\n")); t != "" {
				blocks = append(blocks, corpus.Block{Text: t})
			}
			cur = nil
		}
	}
	for _, l := range strings.Split(toText(raw), "\n") {
		if isBlankLine(l) || htmlTagLine.MatchString(l) || mdRuleRe.MatchString(l) {
			flush()
			continue
		}
		if m := mdHeadingRe.FindStringSubmatch(l); m != nil {
			flush()
			text := strings.Join(strings.Fields(mdInline(m[2])), " ")
			if text != "" {
				blocks = append(blocks, corpus.Block{Text: text, Heading: true, Level: len(m[1])})
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			if mdTableSep.MatchString(l) {
				continue
			}
			l = mdTableRow(l)
			if l == "" {
				continue
			}
		}
		if t := strings.TrimSpace(mdInline(l)); t != "" {
			cur = append(cur, t)
		}
	}
	flush()
	return blocks
}

// mdInline removes images and reduces links and emphasis to their text.
func mdInline(s string) string {
	if !strings.ContainsAny(s, "[*_!") {
		return s
	}
	s = mdImageRe.ReplaceAllString(s, "")
	s = mdLinkRe.ReplaceAllString(s, "$1")
	s = mdEmphRe.ReplaceAllStringFunc(s, func(m string) string {
		return strings.Trim(m, "*_")
	})
	return s
}

// mdTableRow joins a table row's non-empty cells with "; ".
func mdTableRow(l string) string {
	var cells []string
	for _, c := range strings.Split(l, "|") {
		c = strings.TrimSpace(c)
		if c != "" && strings.Trim(c, "-: ") != "" {
			cells = append(cells, c)
		}
	}
	return strings.Join(cells, "; ")
}
