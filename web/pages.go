package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"
	"github.com/hrsearch/hrsearch/search"
)

//go:embed templates/*.html static
var assets embed.FS

// pageNames are the templates, each parsed with templates/base.html.
var pageNames = []string{"search", "doc", "facets", "help", "error", "documents"}

func (s *server) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"static":    s.staticURL,
		"ownQuotes": ownQuotes,
	}
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parsing template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// ownQuotes reports whether a query is one quoted phrase, quotes and all:
// the page shows it as typed, without the quotation marks <q> adds around
// a query (“"in no case"”).
func ownQuotes(q string) bool {
	return len(q) >= 2 && q[0] == '"' && q[len(q)-1] == '"' && !strings.Contains(q[1:len(q)-1], `"`)
}

// render executes a page into a buffer and writes it only when it is
// complete, so a template error is a clean 500.
func (s *server) render(w http.ResponseWriter, status int, page string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", data); err != nil {
		return fmt.Errorf("rendering %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

func (s *server) handleSearchPage(w http.ResponseWriter, r *http.Request) error {
	v, err := queryValues(r)
	if err != nil {
		return err
	}
	st, err := parseSearchState(v)
	if err != nil {
		return err
	}
	if st.empty() {
		page := s.buildSearchPage(st, nil)
		page.Librarian = s.signedIn(r)
		return s.render(w, http.StatusOK, "search", page)
	}
	req := st.request()
	req.FacetSize = facetTop + 1 // one more than shown tells whether there are more
	res, err := s.search.Search(r.Context(), req)
	if err != nil {
		return err
	}
	all := res.Hits
	var folded map[int][]apiSimilar
	if st.FoldSimilar {
		shown := *res
		shown.Hits, folded = s.foldHits(r.Context(), res.Hits)
		res = &shown
	}
	page := s.buildSearchPage(st, res)
	if st.FoldSimilar {
		unfold := st.clone()
		unfold.FoldSimilar = false
		page.Folded, page.UnfoldURL = len(all)-len(res.Hits), unfold.url("/search")
		for i := range page.Hits {
			for _, f := range folded[i] {
				page.Hits[i].Similar = append(page.Hits[i].Similar, similarView{Title: f.Title, URL: f.URL, Percent: int(f.Similarity*100 + 0.5)})
			}
		}
	} else if n := s.countFoldable(r.Context(), res.Hits); n > 0 {
		fold := st.clone()
		fold.FoldSimilar = true
		page.Foldable, page.FoldURL = n, fold.url("/search")
	}
	if page.Librarian = s.signedIn(r); page.Librarian != "" {
		// Hits are built one per result, in order.
		for i := range page.Hits {
			if i < len(res.Hits) {
				page.Hits[i].EditURL = s.librarianEditURL(r, res.Hits[i].Document)
			}
		}
	}
	return s.render(w, http.StatusOK, "search", page)
}

func (s *server) handleDocPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathVar(mux.Vars(r), "id")
	if err != nil {
		return err
	}
	if lower := strings.ToLower(id); lower != id && validDocumentID(lower) {
		// Ids are lower case; /doc/CAT is a person typing one.
		u := *r.URL
		u.Path = "/doc/" + url.PathEscape(lower)
		http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
		return nil
	}
	info, passages, err := s.document(r, id)
	if err != nil {
		return err
	}
	cited, err := s.citedBy(r, passages)
	if err != nil {
		return err
	}
	page := s.buildDocPage(info, passages, cited)
	c, err := s.documentCitedBy(r.Context(), id, search.CitedByDate)
	if err != nil {
		return err
	}
	if c != nil && c.Total > 0 {
		page.CitedBy = s.buildCitedBy(c)
	}
	s.caseMeta(r.Context(), &page)
	s.linkCitations(r.Context(), &page)
	page.EditURL = s.librarianEditURL(r, info.Entry.ID)
	page.Librarian = s.signedIn(r)
	return s.render(w, http.StatusOK, "doc", page)
}

// citedBy looks up, a few at a time, the passages citing each provision of
// a document.
func (s *server) citedBy(r *http.Request, passages []search.Passage) (map[string]*search.CitedBy, error) {
	var articles []string
	seen := map[string]bool{}
	for _, p := range passages {
		if p.OwnArticle != "" && !seen[p.OwnArticle] {
			seen[p.OwnArticle] = true
			articles = append(articles, p.OwnArticle)
		}
	}
	out := make(map[string]*search.CitedBy, len(articles))
	if len(articles) == 0 {
		return out, nil
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		sem      = make(chan struct{}, 8)
	)
	for _, a := range articles {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := s.search.CitedBy(r.Context(), a, citedByLimit, search.CitedByDate)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = fmt.Errorf("cited by %s: %w", a, err)
				}
				return
			}
			out[a] = c
		})
	}
	wg.Wait()
	return out, firstErr
}

func (s *server) handleFacetsPage(w http.ResponseWriter, r *http.Request) error {
	field, st, res, err := s.facetSearch(r)
	if err != nil {
		return err
	}
	page := s.buildFacetsPage(field, st, res)
	page.Librarian = s.signedIn(r)
	return s.render(w, http.StatusOK, "facets", page)
}

func (s *server) handleHelpPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "help", helpPage{Layout: Layout{Title: "Query syntax", Nav: "help", Librarian: s.signedIn(r)}})
}

// Static files, embedded and served with a content hash in their URLs.

type staticFile struct {
	data        []byte
	contentType string
	hash        string
}

var staticTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json; charset=utf-8",
	".svg":  "image/svg+xml; charset=utf-8",
	".txt":  "text/plain; charset=utf-8",
}

func loadStatic() (map[string]staticFile, error) {
	out := map[string]staticFile{}
	err := fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := staticTypes[path.Ext(p)]
		if !ok {
			return fmt.Errorf("static file %s: unknown type", p)
		}
		b, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path.Base(p)] = staticFile{data: b, contentType: ct, hash: hex.EncodeToString(sum[:])[:12]}
		return nil
	})
	return out, err
}

func (s *server) staticURL(name string) (string, error) {
	f, ok := s.static[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + name + "?v=" + f.hash, nil
}

// handleFavicon answers the request browsers make for /favicon.ico on a
// page that names no icon (the Atom feed, shown as its source) with the
// site's icon, rather than a 404 in the console.
func (s *server) handleFavicon(w http.ResponseWriter, r *http.Request) error {
	u, err := s.staticURL("favicon.svg")
	if err != nil {
		return err
	}
	http.Redirect(w, r, u, http.StatusMovedPermanently)
	return nil
}

func (s *server) handleStatic(w http.ResponseWriter, r *http.Request) error {
	name, err := pathVar(mux.Vars(r), "file")
	if err != nil {
		return err
	}
	f, ok := s.static[name]
	if !ok {
		return errNotFound("No such file.")
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
	return nil
}
