package corpus_test

import (
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestCitation(t *testing.T) {
	tests := []struct {
		name string
		src  corpus.CiteSource
		want string
	}{
		{"decision with a case name", corpus.CiteSource{Kind: corpus.KindDecision, Symbol: "CAT/C/38/D/300/2006", Unit: "para-8.2",
			Case: &corpus.Case{Name: "Tebourski v. France"}}, "Tebourski v. France (CAT/C/38/D/300/2006), para. 8.2"},
		{"decision without a name", corpus.CiteSource{Kind: corpus.KindDecision, Symbol: "CAT/C/70/D/925/2019", Unit: "para-1",
			Title: "Committee against Torture, communication No. 925/2019 (CAT/C/70/D/925/2019)"},
			"Committee against Torture, communication No. 925/2019 (CAT/C/70/D/925/2019), para. 1"},
		{"repeated paragraph id", corpus.CiteSource{Kind: corpus.KindDecision, Symbol: "CAT/C/36/D/273/2005", Unit: "para-2-2",
			Case: &corpus.Case{Name: "A v. Canada"}}, "A v. Canada (CAT/C/36/D/273/2005), para. 2"},
		{"treaty article", corpus.CiteSource{Kind: corpus.KindTreaty, Title: "Convention against Torture and Other…", Unit: "art-3", OwnArticle: "CAT 3"},
			"Convention against Torture, art. 3"},
		{"article with the paragraph a reference names", corpus.CiteSource{Kind: corpus.KindTreaty, Unit: "art-22", OwnArticle: "ACHR 22", Paragraph: "8"},
			"American Convention on Human Rights, art. 22(8)"},
		{"translation of an article", corpus.CiteSource{Kind: corpus.KindTreaty, Unit: "nl-art-3", OwnArticle: "CAT 3"},
			"Convention against Torture, art. 3"},
		{"rule", corpus.CiteSource{Kind: corpus.KindRules, Unit: "rule-43", OwnArticle: "SMR 43"}, "Nelson Mandela Rules, rule 43"},
		{"declaration", corpus.CiteSource{Kind: corpus.KindDeclaration, Unit: "art-5", OwnArticle: "UDHR 5"}, "Universal Declaration of Human Rights, art. 5"},
		{"general comment by symbol", corpus.CiteSource{Kind: corpus.KindGeneralComment, Symbol: "CAT/C/GC/4", Body: "CAT", Year: 2017, Unit: "para-9"},
			"Committee against Torture, general comment No. 4 (2017), para. 9"},
		{"general comment whose title states its year", corpus.CiteSource{Kind: corpus.KindGeneralComment, Symbol: "CAT/C/GC/4", Body: "CAT", Year: 2018,
			Unit: "para-9", Title: "General Comment No. 4 (2017) on the implementation of article 3"}, "Committee against Torture, general comment No. 4 (2017), para. 9"},
		{"general comment by title", corpus.CiteSource{Kind: corpus.KindGeneralComment, Symbol: "A/53/44", Body: "CAT", Year: 1997, Unit: "para-2",
			Title: "General Comment No. 01: Implementation of article 3"}, "Committee against Torture, general comment No. 1 (1997), para. 2"},
		{"report", corpus.CiteSource{Kind: corpus.KindReport, Symbol: "A/HRC/37/50", Unit: "para-38", Title: "Report"}, "A/HRC/37/50, para. 38"},
		{"article of a review", corpus.CiteSource{Kind: corpus.KindArticle, Title: "People as products", Year: 2025, Unit: "p-10"},
			"People as products (2025), para. 10"},
		{"preamble", corpus.CiteSource{Kind: corpus.KindDeclaration, Title: "Universal Declaration of Human Rights", Unit: "preamble"},
			"Universal Declaration of Human Rights, preamble"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := corpus.Citation(tt.src); got != tt.want {
				t.Errorf("Citation = %q, want %q", got, tt.want)
			}
		})
	}
}
