package corpus

import (
	"slices"
	"testing"
)

func TestDefinedTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{`1. For the purposes of this Charter, the term "widget abuse" means any act by which a widget is misused.`, []string{"widget abuse"}},
		{`For the purposes of the present Covenant, the term “lantern” shall apply to any light carried by hand.`, []string{"lantern"}},
		{`2. For the purposes of the present Protocol, loss of footing means any fall on a staircase.`, []string{"loss of footing"}},
		{`For the purpose of this Treaty, a minor means every person below the age of twelve.`, []string{"minor"}},
		{`Para los efectos de la presente Carta se entenderá por naufragio todo hecho que hunda un barco.`, []string{"naufragio"}},
		{`A los efectos de este Pacto, se entenderá por el término «sequía» toda falta prolongada de lluvia.`, []string{"sequía"}},
		{`Aux fins de la présente Charte, le terme « tempête » désigne tout vent violent.`, []string{"tempête"}},
		{`In this Charter: (a) "harbour" means a sheltered port; (b) "vessel" means any boat.`, []string{"harbour", "vessel"}},
		// Not definitions.
		{`Each State Party shall take effective measures, by all appropriate means, to protect the coast.`, nil},
		{`The members of the Board shall be elected for a term of four years.`, nil},
		{`The term of office of the members shall expire after two years.`, nil},
		{`No one shall be subjected to "special measures" without a hearing.`, nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := DefinedTerms(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("DefinedTerms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDefinitionKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Torture", "torture"},
		{"torturas", "tortura"},
		{"Refugees", "refugee"},
		{"Deprivation  of Liberty", "deprivation of liberty"},
		{"desaparición forzada", "desaparicion forzada"},
		{"« tempête »", "tempete"},
		{"bus", "bus"}, // three letters keep their s
		{"", ""},
	}
	for _, tt := range tests {
		if got := DefinitionKey(tt.in); got != tt.want {
			t.Errorf("DefinitionKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestDefinitionNeeds checks that each definition pattern's needs are in
// every text it matches.
func TestDefinitionNeeds(t *testing.T) {
	texts := []string{
		`For the purposes of this Convention, the term "torture" means any act`,
		`the expression « réfugié » s'applique`, `el término "tortura" significa`, `la expresión "niño" designa`,
		`"Refugee" shall mean any person`, `For the purpose of the present Convention, a child means every human being`,
		`Para los efectos de la presente Convención se entenderá por tortura todo acto`,
		`Aux fins de la présente Convention, on entend par torture tout acte`,
	}
	matched := 0
	for _, p := range definitionPatterns {
		for _, s := range texts {
			if !p.re.MatchString(s) {
				continue
			}
			matched++
			if p.needs != nil && !slices.ContainsFunc(p.needs, func(w string) bool { return containsFoldASCII(s, w) }) {
				t.Errorf("%q: %v matches, but holds none of %q", s, p.re, p.needs)
			}
		}
	}
	if matched < len(definitionPatterns) {
		t.Errorf("only %d matches of the %d patterns", matched, len(definitionPatterns))
	}
}
