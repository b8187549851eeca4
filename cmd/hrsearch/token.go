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
  hrsearch token create --name NAME [--role editor|admin] [--data DIR]
                                                   make a librarian's API token; it is printed once.
                                                   An editor adds, edits, deletes and restores; an admin
                                                   also manages tokens and purges the trash
  hrsearch token list   [--data DIR] [--json]      names, roles, creation and last-use times (never the tokens)
  hrsearch token rotate [--data DIR] NAME          replace a token by a new one, printed once; the old one stops working
  hrsearch token revoke [--data DIR] NAME          stop a token working, at once (its name is never reused)
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
	var name, role *string
	var asJSON *bool
	switch sub {
	case "create", "revoke", "rotate":
		name = fs.String("name", "", "the token's `NAME` (lower-case letters, digits, . _ -)")
		if sub == "create" {
			role = fs.String("role", tokens.RoleEditor, "the token's `ROLE`: editor or admin")
		}
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
	if role != nil && !tokens.ValidRole(*role) {
		fmt.Fprintf(stderr, "hrsearch token create: --role must be %s or %s\n", tokens.RoleEditor, tokens.RoleAdmin)
		return errUsage
	}
	tk := tokens.OpenTokens(*data)
	switch sub {
	case "create":
		if *name == "" {
			fmt.Fprintln(stderr, "hrsearch token create: --name is required")
			return errUsage
		}
		tok, err := tk.CreateRole(*name, *role)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		fmt.Fprintf(stderr, "%s token %q created in %s; it is shown only this once: keep it somewhere safe.\n", *role, *name, *data)
		return nil
	case "rotate":
		if *name == "" {
			fmt.Fprintln(stderr, "hrsearch token rotate: give the token's name")
			return errUsage
		}
		tok, err := tk.Rotate(*name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		fmt.Fprintf(stderr, "token %q rotated: the old one no longer works; the new one is shown only this once.\n", *name)
		return nil
	case "revoke":
		if *name == "" {
			fmt.Fprintln(stderr, "hrsearch token revoke: give the token's name")
			return errUsage
		}
		if err := tk.Revoke(*name); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "token %q revoked.\n", *name)
		return nil
	}
	list, err := tk.List()
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(list)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tLAST USED")
	for _, t := range list {
		used := "never"
		if t.LastUsed != nil {
			used = t.LastUsed.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.Role, t.Created.UTC().Format(time.RFC3339), used)
	}
	return tw.Flush()
}
