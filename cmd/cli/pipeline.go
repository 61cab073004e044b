package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/phases"
	"github.com/breachscope/breachscope/analysis/report"
	"github.com/breachscope/breachscope/analysis/resolve"
)

// pipelineOptions are the options of run, ingest, analyze and report.
type pipelineOptions struct {
	*globalOptions
	caseDir  string
	runID    string
	unmasked bool
	// workbookIndividuals caps the workbook's Individuals sheet.
	workbookIndividuals int64
}

// steps says which phases a command runs.
type steps struct{ ingest, analyze, report bool }

func newPipelineCmd(g *globalOptions, use, short, example string, st steps) *cobra.Command {
	opts := &pipelineOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:     use + " <case-dir>",
		Short:   short,
		Example: example,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.caseDir = args[0]
			return runPipeline(cmd.Context(), opts, st)
		},
	}
	if st.report {
		cmd.Flags().StringVar(&opts.runID, "run-id", "", "name of the run directory under <case>/runs (default: start time, UTC)")
		cmd.Flags().BoolVar(&opts.unmasked, "unmasked", false, "write full personal data into the workbook's Individuals sheet (recorded in the manifest)")
		cmd.Flags().Int64Var(&opts.workbookIndividuals, "workbook-individuals", report.DefaultWorkbookIndividuals,
			"people listed on the workbook's Individuals sheet, by reference code (0: everyone); every person is in notify/ and data/people.parquet")
	}
	return cmd
}

func newRunCmd(g *globalOptions) *cobra.Command {
	return newPipelineCmd(g, "run", "Ingest, analyze and report a case (the main job)",
		"  breachscope run samples/demo-case\n  breachscope run --memory-limit 8GB --run-id final ./acme-breach",
		steps{ingest: true, analyze: true, report: true})
}

func newIngestCmd(g *globalOptions) *cobra.Command {
	return newPipelineCmd(g, "ingest", "Load and hash a case's inputs into its case database, quarantining bad lines",
		"  breachscope ingest samples/demo-case", steps{ingest: true})
}

func newAnalyzeCmd(g *globalOptions) *cobra.Command {
	return newPipelineCmd(g, "analyze", "Scope, resolve and expose an ingested case; fails unless every count reconciles",
		"  breachscope analyze samples/demo-case", steps{analyze: true})
}

func newReportCmd(g *globalOptions) *cobra.Command {
	return newPipelineCmd(g, "report", "Write a run's notification list, workbook, exports and manifest",
		"  breachscope report --run-id final samples/demo-case", steps{report: true})
}

// summary is what a pipeline command prints: counts and paths only, never PII.
type summary struct {
	Case           string          `json:"case"`
	Inputs         []ingest.Input  `json:"inputs,omitempty"`
	Counts         *resolve.Counts `json:"counts,omitempty"`
	ChecksHeld     int             `json:"reconciliation_checks_held,omitempty"`
	RunID          string          `json:"run_id,omitempty"`
	RunDir         string          `json:"run_dir,omitempty"`
	Reconciliation []resolve.Check `json:"-"`
}

func runPipeline(ctx context.Context, opts *pipelineOptions, st steps) error {
	if opts.workbookIndividuals < 0 {
		return usageError{fmt.Errorf("--workbook-individuals %d: give a number of people, or 0 to list everyone", opts.workbookIndividuals)}
	}
	sessOpts := opts.sessionOptions()
	sessOpts.Phases = phases.NewRecorder(newProgress(opts.globalOptions), nil)
	sess, err := analysis.Open(ctx, opts.caseDir, sessOpts)
	if err != nil {
		return err
	}
	defer sess.Close()
	sum := &summary{Case: opts.caseDir}
	if st.ingest {
		res, err := sess.Ingest(ctx)
		if err != nil {
			return err
		}
		sum.Inputs = res.Inputs
	}
	if st.analyze {
		res, err := sess.Analyze(ctx)
		if res != nil {
			sum.Counts, sum.Reconciliation = res.Counts, res.Checks
		}
		if err != nil {
			return err
		}
		sum.ChecksHeld = len(res.Checks)
	}
	if st.report {
		res, err := sess.Report(ctx, analysis.ReportOptions{RunID: opts.runID, Tool: toolInfo(), Unmasked: opts.unmasked,
			WorkbookIndividuals: opts.workbookIndividuals})
		if err != nil {
			return err
		}
		sum.RunID, sum.RunDir = res.RunID, res.Dir
		sum.Counts = res.Manifest.Counts
		sum.ChecksHeld = len(res.Manifest.Reconciliation)
	}
	return printSummary(opts.globalOptions, sum)
}

func printSummary(g *globalOptions, s *summary) error {
	out := g.streams.out
	if g.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	if g.quiet {
		return nil
	}
	fmt.Fprintf(out, "case %s\n", s.Case)
	if len(s.Inputs) > 0 {
		var files, lines, rejected, custFiles, records int64
		for _, i := range s.Inputs {
			if i.Kind == "logs" {
				files++
				lines += i.Read
				rejected += i.Rejected
			} else if i.Kind == "customers" {
				custFiles++
				records += i.Accepted
			}
		}
		fmt.Fprintf(out, "  ingested     %d customer file(s), %d records; %d log file(s), %d lines, %d rejected\n",
			custFiles, records, files, lines, rejected)
	}
	if c := s.Counts; c != nil {
		fmt.Fprintf(out, "  in scope     %d attacker requests: %d matched, %d unmatched, %d ambiguous, %d unsuccessful, %d to no endpoint\n",
			c.InScope, c.Matched, c.Unmatched, c.Ambiguous, c.Unsuccessful, c.NoEndpoint)
		fmt.Fprintf(out, "  exposed      %d customers\n", c.ExposedCustomers)
		if c.People > 0 {
			fmt.Fprintf(out, "  people       %d to notify: %d by mail, %d by email only, %d substitute notice\n",
				c.People, c.PeopleMail, c.PeopleEmail, c.PeopleSubstitute)
		}
		fmt.Fprintf(out, "  reconciled   %d checks hold\n", s.ChecksHeld)
	}
	if s.RunDir != "" {
		fmt.Fprintf(out, "  run          %s\n", s.RunDir)
	}
	return nil
}
