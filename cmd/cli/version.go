package cli

import (
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/breachscope/breachscope/analysis/report"
)

// Version and Commit are set at build time (see the Makefile's LDFLAGS);
// Commit falls back to the VCS revision Go records in the binary.
var (
	Version = "dev"
	Commit  = ""
)

func version() string { return Version }

// toolInfo describes this build for the manifest. Library versions come
// from the build information compiled into the binary.
func toolInfo() report.Tool {
	t := report.Tool{Name: "breachscope", Version: Version, Commit: "unknown", Go: runtime.Version(), Libraries: map[string]string{}}
	if Commit != "" {
		t.Commit = Commit
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && Commit == "" {
			t.Commit = s.Value
		}
	}
	for _, d := range bi.Deps {
		for _, lib := range []string{"spf13/cobra", "marcboeker/go-duckdb", "apache/arrow/go", "xuri/excelize", "yaml"} {
			if strings.Contains(d.Path, lib) {
				t.Libraries[d.Path] = d.Version
			}
		}
	}
	return t
}
