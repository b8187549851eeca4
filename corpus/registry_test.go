package corpus_test

import (
	"testing"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestInstrumentRegistry(t *testing.T) {
	want := []string{"CAT", "ICCPR", "ICCPR-OP1", "ACHR", "IACPPT", "SMR", "UDHR", "ECHR", "CSR", "OPCAT",
		"ICESCR", "CEDAW", "CRC", "CRPD", "ICERD", "ICPPED", "ICMW"}
	for _, short := range want {
		in, ok := corpus.LookupInstrument(short)
		if !ok {
			t.Errorf("LookupInstrument(%q): not found", short)
			continue
		}
		if in.Title("en") == "" || in.Title("es") == "" {
			t.Errorf("%s: missing English or Spanish title", short)
		}
	}
	if n := len(corpus.Instruments()); n != len(want) {
		t.Errorf("Instruments(): %d, want %d", n, len(want))
	}
	tests := []struct {
		short, lang, want string
	}{
		{"ACHR", "es", "Convención Americana sobre Derechos Humanos (Pacto de San José)"},
		{"cat", "en", "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"},
		{"SMR", "de", "United Nations Standard Minimum Rules for the Treatment of Prisoners (the Nelson Mandela Rules)"},
		{"ICCPR", "fr", "Pacte international relatif aux droits civils et politiques"},
	}
	for _, tt := range tests {
		in, _ := corpus.LookupInstrument(tt.short)
		if got := in.Title(tt.lang); got != tt.want {
			t.Errorf("%s.Title(%q) = %q, want %q", tt.short, tt.lang, got, tt.want)
		}
	}
	if _, ok := corpus.LookupInstrument("Vienna"); ok {
		t.Error("LookupInstrument(Vienna) found something")
	}
	for body, want := range map[string]string{"CAT": "CAT", "CCPR": "ICCPR", "CESCR": "ICESCR", "CERD": "ICERD", "CED": "ICPPED", "SPT": "OPCAT"} {
		if in, ok := corpus.InstrumentOfBody(body); !ok || in.Short != want {
			t.Errorf("InstrumentOfBody(%q) = %v, want %s", body, in, want)
		}
	}
}

func TestNormalizeInstrument(t *testing.T) {
	tests := map[string]string{
		"Pact of San José":                                    "ACHR",
		"Pacto de San José":                                   "ACHR",
		"Nelson Mandela Rules":                                "SMR",
		"Standard Minimum Rules":                              "SMR",
		"European Convention on Human Rights":                 "ECHR",
		"1951 Convention":                                     "CSR",
		"Refugee Convention":                                  "CSR",
		"Convención Americana":                                "ACHR",
		"the Convention against Torture":                      "",
		"Convention against Torture":                          "CAT",
		"icescr":                                              "ICESCR",
		"Optional Protocol to the Convention against Torture": "OPCAT",
		"Vienna Convention on the Law of Treaties":            "",
	}
	for in, want := range tests {
		got, _ := corpus.NormalizeInstrument(in)
		if got != want {
			t.Errorf("NormalizeInstrument(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStateRegistry(t *testing.T) {
	tests := []struct{ code, alpha2, alpha3, en, es string }{
		{"SV", "SV", "SLV", "El Salvador", "El Salvador"},
		{"slv", "SV", "SLV", "El Salvador", "El Salvador"},
		{"US", "US", "USA", "United States", "Estados Unidos"},
		{"CH", "CH", "CHE", "Switzerland", "Suiza"},
		{"TR", "TR", "TUR", "Türkiye", ""},
	}
	for _, tt := range tests {
		s, ok := corpus.LookupState(tt.code)
		if !ok {
			t.Errorf("LookupState(%q): not found", tt.code)
			continue
		}
		if s.Alpha2 != tt.alpha2 || s.Alpha3 != tt.alpha3 || s.Name("en") != tt.en {
			t.Errorf("LookupState(%q) = %s %s %q", tt.code, s.Alpha2, s.Alpha3, s.Name("en"))
		}
		if tt.es != "" && s.Name("es") != tt.es {
			t.Errorf("%s.Name(es) = %q, want %q", tt.code, s.Name("es"), tt.es)
		}
	}
	if n := len(corpus.States()); n < 249 {
		t.Errorf("States(): %d, want all 249 of ISO 3166-1", n)
	}
	if _, ok := corpus.LookupState("XX"); ok {
		t.Error("LookupState(XX) found a state")
	}
}
