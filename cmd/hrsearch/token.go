package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/hrsearch/hrsearch/indexer/tokens"
)

const tokenUsage = `Usage:
  hrsearch token create --name NAME [--data DIR]   make a librarian's API token; it is printed once
  hrsearch token list   [--data DIR] [--json]      names and creation times (never the tokens)
  hrsearch token revoke [--data DIR] NAME          stop a token working, at once
`

// runToken manages the librarians' API tokens. The data directory keeps
// only their SHA-256 digests; a new token is printed to stdout once, and
// nothing else (no log line) ever shows it.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, tokenUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs := newFlags("token "+sub, stderr)
	data := fs.String("data", defaultData, "data `DIR`")
	var name *string
	var asJSON *bool
	switch sub {
	case "create", "revoke":
		name = fs.String("name", "", "the token's `NAME` (lower-case letters, digits, . _ -)")
	case "list":
		asJSON = fs.Bool("json", false, "print JSON")
	case "-h", "--help", "help":
		fmt.Fprint(stderr, tokenUsage)
		return nil
	default:
		fmt.Fprintf(stderr, "hrsearch token: unknown subcommand %q\n\n%s", sub, tokenUsage)
		return errUsage
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if name != nil && *name == "" && len(pos) == 1 {
		*name, pos = pos[0], nil
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "hrsearch token %s: unexpected arguments %q\n", sub, pos)
		return errUsage
	}
	if err := needLibrary(*data); err != nil {
		return err
	}
	tokens := tokens.OpenTokens(*data)
	switch sub {
	case "create":
		if *name == "" {
			fmt.Fprintln(stderr, "hrsearch token create: --name is required")
			return errUsage
		}
		tok, err := tokens.Create(*name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		fmt.Fprintf(stderr, "token %q created in %s; it is shown only this once: keep it somewhere safe.\n", *name, *data)
		return nil
	case "revoke":
		if *name == "" {
			fmt.Fprintln(stderr, "hrsearch token revoke: give the token's name")
			return errUsage
		}
		if err := tokens.Revoke(*name); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "token %q revoked.\n", *name)
		return nil
	}
	list, err := tokens.List()
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(list)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCREATED")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\n", t.Name, t.Created.UTC().Format(time.RFC3339))
	}
	return tw.Flush()
}
