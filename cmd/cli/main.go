// Package cli is breachscope's command line: cobra commands that parse
// flags and call the analysis library. It holds no analysis logic.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/verify"
)

// Exit codes, decided here and nowhere else.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2 // bad flags or arguments, or an invalid case file
	ExitVerify      = 3 // verify found files that do not match the manifest
	ExitInterrupted = 130
)

// Main runs the CLI with args and streams and returns the exit code; tests
// call it in-process.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, stdin, stdout, stderr)
}

// Run is Main with a caller-controlled context.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(&streams{in: stdin, out: stdout, err: stderr})
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCode(ctx, err)
	if code == ExitInterrupted {
		fmt.Fprintln(stderr, "breachscope: interrupted; no run was published (an interrupted run leaves only a .partial directory)")
		return code
	}
	fmt.Fprintln(stderr, "breachscope:", err)
	return code
}

// usageError marks errors in how the command was called.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func exitCode(ctx context.Context, err error) int {
	var u usageError
	switch {
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return ExitInterrupted
	case errors.As(err, &u), errors.Is(err, casefile.ErrInvalid):
		return ExitUsage
	case errors.Is(err, verify.ErrMismatch):
		return ExitVerify
	default:
		return ExitFailure
	}
}
