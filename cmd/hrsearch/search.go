package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/hrsearch/hrsearch/search"
)

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	asJSON := fs.Bool("json", false, "print the API's JSON")
	size := fs.Int("size", 10, "hits per page (at most 100)")
	page := fs.Int("page", 1, "page")
	sortBy := fs.String("sort", "", "relevance | date | date-asc")
	exact := fs.Bool("exact", false, "the words as typed: no stemming, no lexicon equivalents (the API's exact=1)")
	filters := map[string]*multiFlag{}
	for _, f := range search.FilterNames {
		m := &multiFlag{}
		filters[f] = m
		fs.Var(m, f, "filter on "+f+" (repeat to OR values)")
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	req := search.Request{Query: strings.Join(pos, " "), Size: *size, Page: *page, Sort: *sortBy, Exact: *exact, Filters: map[string][]string{}}
	for f, m := range filters {
		if len(*m) > 0 {
			req.Filters[f] = *m
		}
	}
	if req.Query == "" && len(req.Filters) == 0 {
		fmt.Fprintln(stderr, "hrsearch search: give a query or a filter")
		return errUsage
	}
	if err := needData(*data); err != nil {
		return err
	}
	lib, err := openLibrary(*data, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer lib.Close()
	res, err := lib.searcher.Search(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%d passages (%s)\n\n", res.Total, res.Took.Round(1000))
	for i, h := range res.Hits {
		fmt.Fprintf(stdout, "%2d. %s  [%s] %.3f\n    %s\n    %s\n\n", (res.Page-1)*res.Size+i+1, h.ID, h.Kind, h.Score,
			h.Title, plainSnippet(h.Snippet))
	}
	return nil
}

var markTags = regexp.MustCompile(`</?mark>`)

// plainSnippet turns a snippet's HTML into terminal text, matches in *stars*.
func plainSnippet(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "<mark>", "*"), "</mark>", "*")
	return html.UnescapeString(markTags.ReplaceAllString(s, ""))
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	topicsPath := fs.String("topics", "", "topics `FILE` (id TAB query)")
	qrelsPath := fs.String("qrels", "", "TREC qrels `FILE`")
	runPath := fs.String("run", "", "write a TREC run `FILE`")
	verbose := fs.Bool("v", false, "print per-query scores")
	casesPath := fs.String("cases", "", "case-metadata gold `FILE` (default: cases.jsonl beside the topics, if there)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *topicsPath == "" || *qrelsPath == "" {
		fmt.Fprintln(stderr, "hrsearch eval: --topics and --qrels are required")
		return errUsage
	}
	tf, err := os.Open(*topicsPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	topics, err := search.ReadTopics(tf)
	if err != nil {
		return err
	}
	qf, err := os.Open(*qrelsPath)
	if err != nil {
		return err
	}
	defer qf.Close()
	qrels, err := search.ReadQrels(qf)
	if err != nil {
		return err
	}
	if err := needData(*data); err != nil {
		return err
	}
	lib, err := openLibrary(*data, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer lib.Close()
	var run io.Writer = io.Discard
	if *runPath != "" {
		f, err := os.Create(*runPath)
		if err != nil {
			return err
		}
		defer f.Close()
		run = f
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	if *verbose {
		fmt.Fprintln(tw, "topic\tnDCG@10\tMRR@10\tR@10\tquery")
	}
	var mean search.Scores
	n := 0
	for _, t := range topics {
		res, err := lib.searcher.Search(ctx, search.Request{Query: t.Query, Size: 10, NoSnippets: true})
		if err != nil {
			return fmt.Errorf("topic %s: %w", t.ID, err)
		}
		var ranked []string
		for i, h := range res.Hits {
			ranked = append(ranked, h.ID)
			fmt.Fprintf(run, "%s Q0 %s %d %.4f hrsearch\n", t.ID, h.ID, i+1, h.Score)
		}
		judged, ok := qrels[t.ID]
		if !ok {
			continue
		}
		s := search.Evaluate(ranked, judged, 10)
		if *verbose {
			fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%s\n", t.ID, s.NDCG, s.MRR, s.Recall, t.Query)
		}
		mean.NDCG += s.NDCG
		mean.MRR += s.MRR
		mean.Recall += s.Recall
		n++
	}
	if n > 0 {
		mean.NDCG /= float64(n)
		mean.MRR /= float64(n)
		mean.Recall /= float64(n)
	}
	fmt.Fprintf(tw, "all\t%.3f\t%.3f\t%.3f\t%d topics\n", mean.NDCG, mean.MRR, mean.Recall, n)
	if err := tw.Flush(); err != nil {
		return err
	}
	if *casesPath == "" {
		if p := filepath.Join(filepath.Dir(*topicsPath), "cases.jsonl"); fileExists(p) {
			*casesPath = p
		}
	}
	if *casesPath != "" {
		return evalCases(ctx, lib.searcher, *casesPath, *verbose, stdout)
	}
	return nil
}
