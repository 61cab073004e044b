// Package fault is a test hook for crash tests. It exists because the only
// honest way to prove that an interrupted run leaves nothing that looks
// complete is to kill a real process at a known point of its work; without
// a hook the point would depend on timing, and tests must never depend on
// timing. Production runs never set the variable, and then a Point costs
// one environment lookup.
//
// BREACHSCOPE_FAULT=pause:<phase> makes the process write Marker+phase to
// stderr when it reaches the phase, then wait until a line arrives on stdin
// (resume) or the context ends (Ctrl-C); a test waits for the marker and
// then kills the process, interrupts it, or changes the world and resumes
// it. BREACHSCOPE_FAULT=fail:<phase> makes the phase fail with ErrInjected,
// for in-process tests of the cleanup paths.
package fault

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Env is the environment variable read at every Point.
const Env = "BREACHSCOPE_FAULT"

// Marker starts the stderr line a paused process writes, followed by the phase.
const Marker = "breachscope-fault: paused at "

// The phases where a fault can be injected, in the order a run reaches them.
const (
	Ingest         = "ingest"                 // ingest's tables written, not yet marked complete
	Analyze        = "analyze"                // resolve's tables written, not yet marked analysed
	ReportStart    = "report-start"           // disk space checked, nothing written yet
	BeforeManifest = "report-before-manifest" // every output in runs/<id>.partial, no manifest
	BeforeRename   = "report-before-rename"   // manifest written, directory not yet published
)

// ErrInjected is the error of a fail:<phase> fault.
var ErrInjected = errors.New("fault injected")

// Point is called by the pipeline at each phase; see the package comment.
func Point(ctx context.Context, phase string) error {
	mode, at, ok := strings.Cut(os.Getenv(Env), ":")
	if !ok || at != phase {
		return nil
	}
	switch mode {
	case "fail":
		return fmt.Errorf("%s: %w (%s=%s)", phase, ErrInjected, Env, os.Getenv(Env))
	case "pause":
		fmt.Fprintln(os.Stderr, Marker+phase)
		resume := make(chan struct{})
		go func() {
			// EOF (no stdin) never resumes: the test kills or interrupts us.
			if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err == nil {
				close(resume)
			}
		}()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-resume:
			return nil
		}
	}
	return nil
}
