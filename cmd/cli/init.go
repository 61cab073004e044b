package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/breachscope/breachscope/analysis/scaffold"
)

type initOptions struct {
	*globalOptions
	caseDir     string
	lists       *fileLists
	sampleLines int
	force       bool
}

func newInitCmd(g *globalOptions) *cobra.Command {
	opts := &initOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "init <case-dir> --customers <files...> --logs <files...>",
		Short: "Write a commented case.yaml from the customer tables and logs of a case",
		Long: `init reads samples of the customer tables (CSV dialect and header, Parquet
schema, JSON keys) and access logs (format recognised by content: JSON lines,
nginx/Apache combined, AWS ALB, API Gateway, CloudTrail, CSV, TSV, Parquet),
proposes the column and field mappings from names and sample values, proposes
endpoints from the most frequent request templates (numbers, ids, emails and
phone numbers collapsed to placeholders) and measures which customer field
their identifiers match. It writes <case-dir>/case.yaml, where every guess is
marked "# GUESS: review" and every value only you know is marked "# TODO".

The inputs stay where they are: case.yaml names them by path (relative to the
case directory when they are inside it). Files, globs and directories are
accepted; several files may follow one flag. Nothing from the inputs is
printed or written into case.yaml but column names, keys and counts.`,
		Example: `  breachscope init ./acme-breach --customers exports/subscribers.csv --logs exports/gateway/*.log.gz
  $EDITOR ./acme-breach/case.yaml      # review every GUESS, fill every TODO
  breachscope check ./acme-breach
  breachscope run ./acme-breach`,
		Args: func(cmd *cobra.Command, args []string) error {
			rest := opts.lists.assign(args)
			if len(rest) != 1 {
				return usageError{fmt.Errorf("give exactly one case directory before the flags, as in: breachscope init <case-dir> --customers <files...> --logs <files...> (see %s --help)", cmd.CommandPath())}
			}
			opts.caseDir = rest[0]
			if len(opts.lists.values["customers"]) == 0 || len(opts.lists.values["logs"]) == 0 {
				return usageError{fmt.Errorf("both --customers and --logs are required: init proposes the case from the inputs (see %s --help)", cmd.CommandPath())}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInit(cmd.Context(), opts)
		},
	}
	opts.lists = newFileLists(cmd, "customers", "logs")
	cmd.Flags().Var(opts.lists.flag("customers"), "customers", "customer tables: files, globs or directories (csv, tsv, parquet, jsonl; .gz too)")
	cmd.Flags().Var(opts.lists.flag("logs"), "logs", "access logs: files, globs or directories (any supported format; .gz too)")
	cmd.Flags().IntVar(&opts.sampleLines, "sample-lines", 5000, "lines of each log file to sniff")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace an existing case.yaml")
	_ = cmd.MarkFlagFilename("customers")
	_ = cmd.MarkFlagFilename("logs")
	return cmd
}

func runInit(ctx context.Context, opts *initOptions) error {
	p, err := scaffold.Init(ctx, opts.caseDir, scaffold.Options{
		Customers: opts.lists.values["customers"], Logs: opts.lists.values["logs"],
		SampleLines: opts.sampleLines, Force: opts.force, Store: opts.sessionOptions().Store,
	})
	if err != nil {
		return err
	}
	path := filepath.Join(opts.caseDir, "case.yaml")
	out := opts.streams.out
	if opts.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(initSummary(path, p))
	}
	if opts.quiet {
		return nil
	}
	s := initSummary(path, p)
	fmt.Fprintf(out, "wrote %s\n", path)
	fmt.Fprintf(out, "  customers    %d source(s), %d column(s) mapped\n", s.CustomerSources, s.ColumnsMapped)
	fmt.Fprintf(out, "  logs         %d source(s): %s\n", s.LogSources, strings.Join(s.LogFormats, ", "))
	fmt.Fprintf(out, "  endpoints    %d proposed from %d sampled requests\n", s.Endpoints, s.SampledRequests)
	fmt.Fprintf(out, "  to review    %d line(s) marked GUESS, %d marked TODO\n", s.Guesses, s.TODOs)
	fmt.Fprintf(out, "next: edit those lines, then run breachscope check %s\n", opts.caseDir)
	return nil
}

// initJSON is what init prints with --json.
type initJSON struct {
	CaseFile        string   `json:"case_file"`
	CustomerSources int      `json:"customer_sources"`
	ColumnsMapped   int      `json:"columns_mapped"`
	LogSources      int      `json:"log_sources"`
	LogFormats      []string `json:"log_formats"`
	Endpoints       int      `json:"endpoints"`
	SampledRequests int      `json:"sampled_requests"`
	Guesses         int      `json:"guesses"`
	TODOs           int      `json:"todos"`
}

func initSummary(path string, p *scaffold.Proposal) initJSON {
	s := initJSON{CaseFile: path, CustomerSources: len(p.Customers), LogSources: len(p.Logs), Endpoints: len(p.Endpoints), SampledRequests: p.Requests}
	for _, c := range p.Customers {
		for _, g := range c.Columns {
			if g.Value != "" {
				s.ColumnsMapped++
			}
		}
	}
	for _, l := range p.Logs {
		f := l.Format
		if f == "" {
			f = "unrecognised"
		}
		s.LogFormats = append(s.LogFormats, f)
	}
	for _, line := range strings.Split(string(scaffold.Render(p)), "\n") {
		switch {
		case strings.HasPrefix(line, "#"): // the header explains the marks
		case strings.Contains(line, scaffold.MarkGuess):
			s.Guesses++
		case strings.Contains(line, scaffold.MarkTODO):
			s.TODOs++
		}
	}
	return s
}

// fileLists are flags that take several values each, as a shell expands
// them: --logs a.log b.log c.log. pflag hands the first value to the flag
// and the rest to the positional arguments; each flag records how many
// positional arguments existed when it was set, so the positional
// arguments that followed it can be given back to it.
type fileLists struct {
	cmd    *cobra.Command
	values map[string][]string
	marks  []mark
}

type mark struct {
	flag string
	at   int // positional arguments before this flag
}

func newFileLists(cmd *cobra.Command, names ...string) *fileLists {
	l := &fileLists{cmd: cmd, values: map[string][]string{}}
	for _, n := range names {
		l.values[n] = nil
	}
	return l
}

func (l *fileLists) flag(name string) pflag.Value { return &fileListFlag{l: l, name: name} }

// assign gives the positional arguments that followed a list flag to it
// and returns the others.
func (l *fileLists) assign(args []string) []string {
	var rest []string
	for i, a := range args {
		owner := ""
		for _, m := range l.marks {
			if m.at <= i {
				owner = m.flag
			}
		}
		if owner == "" {
			rest = append(rest, a)
		} else {
			l.values[owner] = append(l.values[owner], a)
		}
	}
	l.marks = nil // assign runs once per parse
	return rest
}

type fileListFlag struct {
	l    *fileLists
	name string
}

// String, Type and Set make fileListFlag a pflag.Value.
func (f *fileListFlag) String() string { return strings.Join(f.l.values[f.name], " ") }

// Type names the value in help: --logs files.
func (f *fileListFlag) Type() string { return "files" }

// Set records the value and how many positional arguments preceded it.
func (f *fileListFlag) Set(v string) error {
	f.l.values[f.name] = append(f.l.values[f.name], v)
	f.l.marks = append(f.l.marks, mark{flag: f.name, at: len(f.l.cmd.Flags().Args())})
	return nil
}
