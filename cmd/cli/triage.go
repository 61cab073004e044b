package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis"
	"github.com/breachscope/breachscope/analysis/triage"
)

type triageOptions struct {
	*globalOptions
	caseDir    string
	top        int
	writeScope string
}

func newTriageCmd(g *globalOptions) *cobra.Command {
	opts := &triageOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "triage <case-dir>",
		Short: "Rank clients by enumeration signals and propose scope indicators",
		Long: `triage ranks the clients of an ingested case (API keys or principals, IPv4 /24
networks, IPs, user agents) by how much they look like an enumeration: many
distinct identifiers, few repeats, sequential identifiers, 401/403/404 probing.
It prints counts and client identifiers only, never customer data.`,
		Example: "  breachscope ingest ./acme-breach\n  breachscope triage --top 10 --write-scope proposed-scope.yaml ./acme-breach",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.caseDir = args[0]
			return runTriage(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.top, "top", 5, "candidates to show per kind")
	cmd.Flags().StringVar(&opts.writeScope, "write-scope", "", "write the top candidates as a scope block to this file")
	return cmd
}

func runTriage(ctx context.Context, opts *triageOptions) error {
	if opts.top < 1 {
		return usageError{fmt.Errorf("--top must be at least 1")}
	}
	sess, err := analysis.Open(ctx, opts.caseDir, opts.sessionOptions())
	if err != nil {
		return err
	}
	defer sess.Close()
	cands, err := triage.Run(ctx, sess.DB, sess.Case, opts.top)
	if err != nil {
		return err
	}
	if opts.writeScope != "" {
		f, err := os.OpenFile(opts.writeScope, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("write scope: %w", err)
		}
		if err := triage.WriteScope(f, cands); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	out := opts.streams.out
	if opts.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(cands)
	}
	if opts.quiet {
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tRANK\tCLIENT\tSCORE\tREQUESTS\tDISTINCT IDS\tDISTINCT/REQ\tSEQUENTIAL\tPROBING\tNIGHT\tVOL/P99\tPEAK/BASELINE")
	for _, k := range cands {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.1f\t%d\t%d\t%.2f\t%.0f%%\t%.0f%%\t%.0f%%\t%.1f\t%.1f\n",
			k.Kind, k.Rank, printable(k.Client), k.Score, k.Requests, k.DistinctIdentifiers, k.DistinctRatio,
			100*k.SequentialShare, 100*k.ProbeShare, 100*k.NightShare, k.VolumeVsP99, k.PeakVsBaseline)
	}
	return tw.Flush()
}

// printable keeps attacker-controlled client strings (user agents) from
// moving the terminal's cursor or breaking the table.
func printable(s string) string {
	r := []rune(s)
	for i, c := range r {
		if c < 0x20 || c == 0x7f {
			r[i] = '?'
		}
	}
	if len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return string(r)
}
