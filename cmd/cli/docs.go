package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// docsDate is the date printed in the man pages. It is fixed so the
// generated reference is reproducible and the staleness test can compare it.
var docsDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func newGenDocsCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:     "gen-docs <dir>",
		Short:   "Write the command reference (Markdown and man pages) into a directory",
		Hidden:  true,
		Example: "  breachscope gen-docs docs/cli",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return GenDocs(root, args[0])
		},
	}
}

// GenDocs writes one Markdown page per command into dir and one man page
// per command into dir/man.
func GenDocs(root *cobra.Command, dir string) error {
	root.DisableAutoGenTag = true
	man := filepath.Join(dir, "man")
	if err := os.MkdirAll(man, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", man, err)
	}
	if err := doc.GenMarkdownTree(root, dir); err != nil {
		return fmt.Errorf("write markdown reference: %w", err)
	}
	header := &doc.GenManHeader{Title: "BREACHSCOPE", Section: "1", Source: "breachscope", Manual: "breachscope manual", Date: &docsDate}
	restore := escapeAngles(root)
	defer restore()
	if err := doc.GenManTree(root, header, man); err != nil {
		return fmt.Errorf("write man pages: %w", err)
	}
	return nil
}

// escapeAngles backslash-escapes < and > in the texts the man page
// generator reads as Markdown, where <case-dir> would be taken for an HTML
// tag and dropped. It returns a function that puts the texts back.
func escapeAngles(root *cobra.Command) (restore func()) {
	var undo []func()
	esc := strings.NewReplacer("<", `\<`, ">", `\>`)
	set := func(p *string) {
		old := *p
		*p = esc.Replace(old)
		undo = append(undo, func() { *p = old })
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		set(&c.Use)
		set(&c.Short)
		set(&c.Long)
		c.LocalFlags().VisitAll(func(f *pflag.Flag) { set(&f.Usage) })
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return func() {
		for _, u := range undo {
			u()
		}
	}
}
