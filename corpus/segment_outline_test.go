package corpus

import "testing"

// TestSegmentOutline: a resolution with an annexed rules instrument keeps
// the resolution as its preamble, the observations before the rules as
// passages of their own, and gives each rule the titles of the parts it
// sits in.
func TestSegmentOutline(t *testing.T) {
	e := &Entry{ID: "r", Kind: KindRules, Language: "en", Instrument: "SMR"}
	h := func(s string) Block { return Block{Text: s, Heading: true} }
	p := func(s string) Block { return Block{Text: s} }
	blocks := []Block{
		p("The General Assembly, recalling its earlier resolutions,"), p("1. Adopts the rules annexed to the present resolution;"),
		h("Annex"), p("Model Rules for the Keeping of Lighthouses"),
		h("Preliminary observation 1"), p("The following rules describe good practice."),
		h("Preliminary observation 2"), p("1. Not every rule applies everywhere."), p("2. The rules are minimum conditions."),
		h("I. Rules of general application"), h("Basic principles"), h("Rule 1"), p("Every keeper shall be treated with respect."),
		h("Keeper file management"), h("Rule 2"), p("There shall be a file for every keeper."),
		h("II. Rules applicable to special categories"), h("Rule 3"), p("Apprentices shall be trained."),
	}
	got := Segment(e, blocks)
	type ps struct{ unit, heading, section string }
	want := []ps{
		{"preamble", "Preamble", ""},
		{"p-2", "Annex", "Annex"},
		{"p-3", "Preliminary observation 1", "Annex"},
		{"p-4", "Preliminary observation 2", "Annex"},
		{"rule-1", "Rule 1", "Rules of general application › Basic principles"},
		{"rule-2", "Rule 2", "Rules of general application › Keeper file management"},
		{"rule-3", "Rule 3", "Rules applicable to special categories"},
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("%s %q %q", g.Unit, g.Heading, g.Section)
		}
		t.Fatalf("%d passages, want %d", len(got), len(want))
	}
	for i, w := range want {
		if g := got[i]; g.Unit != w.unit || g.Heading != w.heading || g.Section != w.section {
			t.Errorf("passage %d = %s %q %q, want %s %q %q", i, g.Unit, g.Heading, g.Section, w.unit, w.heading, w.section)
		}
	}
}
