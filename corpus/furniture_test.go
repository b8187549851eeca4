package corpus

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestIsFurnitureLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"8", true},
		{"8/33", true},
		{"Page 8 of 33", true},
		{"9/3/23, 9:24", true},
		{"28/2/23, 8:40 Pacto Internacional de Derechos Civiles y Políticos | OHCHR", true},
		{"https://www.oas.org/juridico/spanish/tratados/a-51.html", true},
		{"https://example.org/page 1/5", true},
		{"Print Friendly, PDF & Email", true},
		{"Logo-favicon", true},
		{"[Estado de Firmas y Ratificaciones] [English]", true},
		{"15-16929 (E)", true},
		{"*1516929* Please recycle", true},
		{"", false},
		{"Article 3", false},
		{"1. No State Party shall expel", false},
		{"See https://example.org for more.", false},
		{"1984", false},
	}
	for _, tt := range tests {
		if got := IsFurnitureLine(tt.line); got != tt.want {
			t.Errorf("IsFurnitureLine(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestStartsNewsletter(t *testing.T) {
	for s, want := range map[string]bool{
		"Sign up to receive the latest news in your inbox.":   true,
		"Sign up today to receive the latest news.":           true,
		"  Subscribe to our newsletter":                       true,
		"Prisoners may sign up to receive visits on Sundays.": false,
		"": false,
	} {
		if got := StartsNewsletter(s); got != want {
			t.Errorf("StartsNewsletter(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestRemovePageFurniture(t *testing.T) {
	var pages [][]string
	for i := 1; i <= 6; i++ {
		pages = append(pages, []string{
			fmt.Sprintf("%d/6", i),
			"Standard Rules for Testing",
			fmt.Sprintf("Body line %c of page %d.", 'a'+rune(i), i),
			"Rule " + fmt.Sprint(i),
			"Repeated body sentence that is not furniture.",
			"",
			fmt.Sprint(i),
		})
	}
	// Body text that recurs far from the page edges stays.
	pages[2] = append([]string{"9/3/23, 9:24"}, pages[2]...)
	got := RemovePageFurniture(pages)
	for i, p := range got {
		for _, l := range p {
			if strings.Contains(l, "Standard Rules for Testing") || IsPageNumberLine(l) || IsBrowserPrintLine(l) {
				t.Errorf("page %d kept furniture %q", i+1, l)
			}
		}
		if !reflect.DeepEqual(p[1], "Rule "+fmt.Sprint(i+1)) {
			t.Errorf("page %d lost its unit heading: %q", i+1, p)
		}
	}
	if pages[0][0] != "1/6" {
		t.Errorf("input modified: %q", pages[0])
	}
}

func TestRemoveMenuRuns(t *testing.T) {
	in := []string{
		"Bienvenidos a las Naciones Unidas",
		"Recursos",
		"Español",
		"Artículo 1",
		"1. Todos los pueblos tienen el derecho de libre determinación.",
		"Short line",
		"Other short line",
		"Artículo 2",
		"Etiquetas",
		"Derechos civiles y políticos",
		"V E R E S TA PÁ G I N A E N :",
		"English",
	}
	want := []string{
		"Artículo 1",
		"1. Todos los pueblos tienen el derecho de libre determinación.",
		"Short line",
		"Other short line",
		"Artículo 2",
	}
	if got := RemoveMenuRuns(in); !reflect.DeepEqual(got, want) {
		t.Errorf("RemoveMenuRuns:\n got %q\nwant %q", got, want)
	}
}

// Blank lines (the gaps between paragraphs) do not count towards a run:
// two short lines before a blank line are text.
func TestRemoveMenuRunsBlankLines(t *testing.T) {
	in := []string{
		"The Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or",
		"Punishment3",
		"and the Optional Protocol thereto,4",
		"",
		"Noting the standards and norms adopted by the General Assembly since 1955,",
	}
	if got := RemoveMenuRuns(in); !reflect.DeepEqual(got, in) {
		t.Errorf("RemoveMenuRuns:\n got %q\nwant %q", got, in)
	}
}
