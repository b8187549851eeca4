package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/hrsearch/hrsearch/corpus"
	"github.com/hrsearch/hrsearch/search"
)

func isNotFound(err error) bool { return errors.Is(err, corpus.ErrNotFound) }

func itoa(n int) string { return strconv.Itoa(n) }

func escapePath(s string) string { return url.PathEscape(s) }

// fieldLabels name the filter fields for people.
var fieldLabels = map[string]string{
	search.FilterInstrument: "Instrument",
	search.FilterArticle:    "Article",
	search.FilterState:      "State",
	search.FilterKind:       "Kind",
	search.FilterLanguage:   "Language",
	search.FilterYear:       "Year",
	search.FilterSymbol:     "Symbol",
	search.FilterDocument:   "Document",
	search.FilterParty:      "State party",
	search.FilterOutcome:    "Outcome",
	search.FilterGroup:      "Concerned group",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return f
}

var kindLabels = map[string]string{
	corpus.KindTreaty:         "Treaty",
	corpus.KindRules:          "Rules",
	corpus.KindDeclaration:    "Declaration",
	corpus.KindGeneralComment: "General comment",
	corpus.KindDecision:       "Decision",
	corpus.KindReport:         "Report",
	corpus.KindArticle:        "Analysis",
	corpus.KindFollowUp:       "Follow-up report",
}

// name is a facet value's display name: Config.Names's answer, the kind's
// label, or the value itself.
func (s *server) name(field, code string) string {
	switch field {
	case search.FilterParty:
		field = search.FilterState // a State party is named as a state
	case search.FilterOutcome:
		if l, ok := outcomeLabels[code]; ok {
			return l
		}
	}
	if s.names != nil {
		if n := s.names(field, code); n != "" && n != code {
			return n
		}
	}
	if field == search.FilterKind {
		if l, ok := kindLabels[code]; ok {
			return l
		}
	}
	return code
}

// articleWords say "Article" in the languages of the corpus's translations.
var articleWords = map[string]string{
	"nl": "Artikel", "de": "Artikel", "es": "Artículo", "fr": "Article", "pt": "Artigo", "it": "Articolo",
}

// unitLabel is a readable label for a passage unit:
// art-3 → "Article 3", rule-58 → "Rule 58", para-13.4 → "para. 13.4",
// preamble → "Preamble", p-4 → "¶ 4", nl-art-3 → "Artikel 3 (nl)",
// op1-art-1 → "Optional Protocol, Article 1".
func unitLabel(unit string) string {
	if unit == "" {
		return ""
	}
	head, rest, _ := strings.Cut(unit, "-")
	switch head {
	case "art":
		return "Article " + rest
	case "rule":
		return "Rule " + rest
	case "para":
		return "para. " + rest
	case "p":
		return "¶ " + rest
	case "preamble":
		if rest != "" {
			return "Preamble (" + rest + ")"
		}
		return "Preamble"
	}
	if rest == "" {
		return unit
	}
	// Optional protocols: op1-art-1, op2-art-1.
	if len(head) >= 3 && head[:2] == "op" && isDigits(head[2:]) {
		name := "Optional Protocol"
		if head[2:] != "1" {
			name = "Optional Protocol " + head[2:]
		}
		return name + ", " + unitLabel(rest)
	}
	// Another language version: nl-art-3.
	if len(head) == 2 && isLower(head) {
		inner := unitLabel(rest)
		if w, ok := articleWords[head]; ok && strings.HasPrefix(inner, "Article ") {
			inner = w + strings.TrimPrefix(inner, "Article")
		}
		return inner + " (" + head + ")"
	}
	return unit
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isLower(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// safeURL returns u if it is an absolute http(s) URL, for use as an href;
// anything else (javascript:, data:, relative) is shown as text only.
func safeURL(u string) (string, bool) {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", false
	}
	return p.String(), true
}
