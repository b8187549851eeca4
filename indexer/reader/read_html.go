package reader

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/hrsearch/hrsearch/corpus"
)

// htmlSkip are elements whose content is never document text.
var htmlSkip = map[string]bool{
	"script": true, "style": true, "nav": true, "noscript": true, "template": true,
	"head": true, "iframe": true, "svg": true, "button": true, "form": true,
	"select": true, "textarea": true, "object": true, "canvas": true, "footer": true,
}

// htmlBlock are elements that break the text into blocks.
var htmlBlock = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "header": true, "footer": true,
	"main": true, "aside": true, "ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"table": true, "thead": true, "tbody": true, "tfoot": true, "tr": true, "td": true, "th": true,
	"blockquote": true, "pre": true, "figure": true, "figcaption": true, "caption": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "br": true,
	"body": true, "html": true, "address": true, "center": true, "hgroup": true, "details": true, "summary": true,
}

// readHTML reads an HTML page into heading blocks (h1–h6) and paragraph
// blocks in reading order, skipping scripts, styles and navigation. Items
// of an ordered list are numbered as a browser shows them ("1. …").
func readHTML(raw []byte) ([]corpus.Block, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(toText(raw)))
	if err != nil {
		return nil, fmt.Errorf("html: %w: %v", corpus.ErrInvalid, err)
	}
	r := &htmlReader{}
	for _, n := range doc.Nodes {
		r.walk(n)
	}
	r.flush()
	return r.blocks, nil
}

type htmlReader struct {
	blocks []corpus.Block
	inline strings.Builder // text of the current paragraph
	prefix string          // list-item number waiting for the paragraph
}

func (r *htmlReader) flush() {
	t := strings.Join(strings.Fields(r.inline.String()), " ")
	r.inline.Reset()
	if t == "" {
		return
	}
	if r.prefix != "" {
		t = r.prefix + " " + t
		r.prefix = ""
	}
	r.blocks = append(r.blocks, corpus.Block{Text: t})
}

func (r *htmlReader) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.inline.WriteString(n.Data)
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			r.walk(c)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	tag := n.Data
	if htmlSkip[tag] || hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" || attr(n, "role") == "navigation" {
		return
	}
	if len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' {
		r.flush()
		var b strings.Builder
		htmlText(n, &b)
		if t := strings.Join(strings.Fields(b.String()), " "); t != "" {
			r.blocks = append(r.blocks, corpus.Block{Text: t, Heading: true, Level: int(tag[1] - '0')})
		}
		return
	}
	if tag == "img" {
		return
	}
	block := htmlBlock[tag]
	if block {
		r.flush()
	}
	if tag == "ol" {
		r.walkList(n)
		return
	}
	if tag == "br" {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.walk(c)
	}
	if block {
		r.flush()
	}
}

// walkList walks an ordered list, numbering its items.
func (r *htmlReader) walkList(n *html.Node) {
	num := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil {
		num = s
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "li" {
			if v, err := strconv.Atoi(attr(c, "value")); err == nil {
				num = v
			}
			r.flush()
			r.prefix = strconv.Itoa(num) + "."
			for cc := c.FirstChild; cc != nil; cc = cc.NextSibling {
				r.walk(cc)
			}
			r.flush()
			r.prefix = ""
			num++
			continue
		}
		r.walk(c)
	}
	r.flush()
}

// htmlText appends the text of n, skipping what is never text.
func htmlText(n *html.Node, b *strings.Builder) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(n.Data)
		return
	case html.ElementNode:
		if htmlSkip[n.Data] {
			return
		}
		if n.Data == "br" {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		htmlText(c, b)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
