package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis/query"
)

type queryOptions struct {
	*globalOptions
	caseDir  string
	sql      string
	format   string
	unmasked bool
	schema   bool
	limit    int
}

func newQueryCmd(g *globalOptions) *cobra.Command {
	opts := &queryOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   `query <case-dir> ["SQL"]`,
		Short: "Run read-only SQL on a case database (table, CSV or JSON)",
		Long: `query runs one read-only statement (SELECT, WITH, FROM, DESCRIBE, SHOW,
SUMMARIZE, EXPLAIN) on the case database and prints the result as an aligned
table, CSV or JSON. The database is opened read-only and with file access
switched off, so a query cannot change the case or write files; statements
that would are refused.

In table output, columns that hold personal data (the customer tables' fields,
and any column named like them: names, address parts, email, phone,
date_of_birth, account_number, identifier) show *** unless --unmasked, as do
email addresses and international phone numbers in any column and the
identifiers in request paths and query strings. The mask goes by column name
and value shape, so an alias can escape it: it guards the screen, not the
database. CSV and JSON are exports for scripts and are never masked. Table
output shows at most --limit rows.

--schema lists the case tables and their columns with a line on each.`,
		Example: `  breachscope query --schema ./acme-breach
  breachscope query ./acme-breach "SELECT outcome, count(*) FROM in_scope GROUP BY ALL ORDER BY 2 DESC"
  breachscope query --format csv ./acme-breach "FROM exposed_customers" > exposed.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			want := 2
			if opts.schema {
				want = 1
			}
			if len(args) != want {
				return usageError{fmt.Errorf("give the case directory and one SQL statement in quotes, or --schema and the case directory (see %s --help)", cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.caseDir = args[0]
			if len(args) > 1 {
				opts.sql = args[1]
			}
			return runQuery(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "table", "output format: table, csv or json")
	cmd.Flags().BoolVar(&opts.unmasked, "unmasked", false, "show personal data in table output")
	cmd.Flags().BoolVar(&opts.schema, "schema", false, "list the case tables and columns with a description of each")
	cmd.Flags().IntVar(&opts.limit, "limit", 0, "most rows to print (default 1000 for table output, all for csv and json; 0: the default)")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"table", "csv", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runQuery(ctx context.Context, opts *queryOptions) error {
	format := opts.format
	if opts.json {
		format = "json"
	}
	if format != "table" && format != "csv" && format != "json" {
		return usageError{fmt.Errorf("--format %q: use table, csv or json", opts.format)}
	}
	db, err := query.Open(ctx, opts.caseDir, opts.sessionOptions().Store)
	if err != nil {
		return err
	}
	defer db.Close()
	out := opts.streams.out
	if opts.schema {
		return printSchema(ctx, db, opts, format)
	}
	limit := opts.limit
	if limit <= 0 && format == "table" {
		limit = 1000
	}
	res, err := db.Run(ctx, opts.sql, limit)
	if errors.Is(err, query.ErrReadOnly) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	switch format {
	case "csv":
		err = query.WriteCSV(out, res)
	case "json":
		err = query.WriteJSON(out, res)
	default:
		var mask *query.Masker
		if !opts.unmasked {
			mask = db.Masker(ctx)
		}
		err = query.WriteTable(out, res, mask)
	}
	if err != nil {
		return err
	}
	if res.Truncated && !opts.quiet {
		fmt.Fprintf(opts.streams.err, "showing the first %d rows; more exist (--limit N to see more, or --format csv)\n", limit)
	}
	return nil
}

func printSchema(ctx context.Context, db *query.DB, opts *queryOptions, format string) error {
	tables, err := db.Schema(ctx)
	if err != nil {
		return err
	}
	out := opts.streams.out
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(tables)
	}
	width := 0
	for _, t := range tables {
		for _, c := range t.Columns {
			width = max(width, len(c.Name)+1+len(c.Type))
		}
	}
	var b strings.Builder
	for i, t := range tables {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s  %s\n", t.Name, t.Description)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  %-*s  %s\n", width, c.Name+" "+c.Type, c.Description)
		}
	}
	_, err = fmt.Fprint(out, b.String())
	return err
}
