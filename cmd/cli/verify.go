package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/breachscope/breachscope/analysis/verify"
)

// verifyOptions are the options of verify.
type verifyOptions struct {
	*globalOptions
	caseDir string
}

func newVerifyCmd(g *globalOptions) *cobra.Command {
	opts := &verifyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "verify <run-dir>",
		Short: "Check a run's outputs and inputs against its manifest",
		Long: `verify re-hashes every output of a run and every input it was made from
(and the case file) and compares them with the run's manifest.json. It names
every file that is missing, differs, or is in the run directory without being
in the manifest, and exits with status 3 when there is any.`,
		Example: "  breachscope verify samples/demo-case/runs/final\n" +
			"  breachscope verify --case /evidence/acme /archive/acme-run-final",
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), opts, args[0])
		},
	}
	cmd.Flags().StringVar(&opts.caseDir, "case", "", "case directory holding the inputs (default: the run directory's grandparent)")
	return cmd
}

func runVerify(ctx context.Context, opts *verifyOptions, runDir string) error {
	res, err := verify.Run(ctx, runDir, verify.Options{CaseDir: opts.caseDir})
	if res == nil {
		return err
	}
	out := opts.streams.out
	if opts.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil {
			return jerr
		}
		return err
	}
	if opts.quiet {
		return err
	}
	fmt.Fprintf(out, "run %s\n", res.RunDir)
	fmt.Fprintf(out, "  checked      %d output(s), %d input(s)", res.Outputs, res.Inputs)
	if res.CaseFile {
		fmt.Fprint(out, " and the case file")
	}
	fmt.Fprintln(out)
	if len(res.Problems) == 0 {
		fmt.Fprintln(out, "  verified     every file matches the manifest")
		return nil
	}
	fmt.Fprintf(out, "  problems     %d\n", len(res.Problems))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, p := range res.Problems {
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", p.Kind, p.Path, p.Issue)
	}
	if ferr := tw.Flush(); ferr != nil {
		return ferr
	}
	return err
}
