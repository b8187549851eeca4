package corpus

import "fmt"

// bodyNames are the treaty bodies' names, by the committee code of UN symbols.
var bodyNames = map[string]string{
	"CAT":   "Committee against Torture",
	"CCPR":  "Human Rights Committee",
	"CEDAW": "Committee on the Elimination of Discrimination against Women",
	"CERD":  "Committee on the Elimination of Racial Discrimination",
	"CESCR": "Committee on Economic, Social and Cultural Rights",
	"CRC":   "Committee on the Rights of the Child",
	"CRPD":  "Committee on the Rights of Persons with Disabilities",
	"CED":   "Committee on Enforced Disappearances",
	"CMW":   "Committee on Migrant Workers",
}

// DisplayTitle is the entry's title or, when the catalog gives none (as for
// treaty-body decisions), one made from its body and symbol:
// "Committee against Torture, communication No. 13/1993 (CAT/C/12/D/13/1993)".
func DisplayTitle(e *Entry) string {
	if e.Title != "" {
		return e.Title
	}
	body := e.Body
	sym, err := ParseSymbol(e.Symbol)
	if err == nil && sym.Committee != "" {
		body = sym.Committee
	}
	name := bodyNames[body]
	if name == "" {
		name = body
	}
	switch {
	case err == nil && len(communicationsOf(sym)) > 1 && name != "":
		return fmt.Sprintf("%s, communications Nos. %s (%s)", name, sym.Communication, sym.Normalized)
	case err == nil && sym.Communication != "" && name != "":
		return fmt.Sprintf("%s, communication No. %s (%s)", name, sym.Communication, sym.Normalized)
	case e.Symbol != "" && name != "":
		return fmt.Sprintf("%s, %s", name, e.Symbol)
	case e.Symbol != "":
		return e.Symbol
	}
	return e.ID
}
