package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// wireCommands finishes the command tree after every command is added:
// shell completion of case directories, run directories and run ids, the
// completion command's help, and unknown commands as usage errors.
func wireCommands(root *cobra.Command) {
	root.CompletionOptions.HiddenDefaultCmd = false
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = "  source <(breachscope completion bash)            # bash, this shell\n" +
				"  breachscope completion zsh > \"${fpath[1]}/_breachscope\"\n" +
				"  breachscope completion fish > ~/.config/fish/completions/breachscope.fish"
		}
		switch {
		case strings.Contains(c.Use, "<case-dir>") && c.ValidArgsFunction == nil:
			c.ValidArgsFunction = completeFirstArg(caseDirs)
		case strings.Contains(c.Use, "<run-dir>") && c.ValidArgsFunction == nil:
			c.ValidArgsFunction = completeFirstArg(runDirs)
		}
		if c.Flags().Lookup("run-id") != nil {
			_ = c.RegisterFlagCompletionFunc("run-id", completeRunIDs)
		}
		if c.Flags().Lookup("case") != nil {
			_ = c.RegisterFlagCompletionFunc("case", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				return caseDirs(toComplete)
			})
		}
	}
	// Without Args, cobra reports an unknown command as a plain error
	// (exit 1); it is a usage error, with the nearest command suggested.
	root.SuggestionsMinimumDistance = 2
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		return usageError{fmt.Errorf("%s; commands: %s (see %s --help)", msg, strings.Join(commandNames(cmd), ", "), cmd.CommandPath())}
	}
	root.RunE = func(cmd *cobra.Command, args []string) error { return cmd.Help() }
}

func commandNames(root *cobra.Command) []string {
	var out []string
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() && c.Name() != "help" {
			out = append(out, c.Name())
		}
	}
	return out
}

// completeFirstArg completes the first positional argument with fn and
// nothing after it.
func completeFirstArg(fn func(string) ([]string, cobra.ShellCompDirective)) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return fn(toComplete)
	}
}

// caseDirs completes directories: ones holding a case.yaml are offered
// as they are, the others with a trailing slash to descend into.
func caseDirs(toComplete string) ([]string, cobra.ShellCompDirective) {
	return dirsWhere(toComplete, func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, "case.yaml"))
		return err == nil
	})
}

// runDirs completes directories, offering run directories (holding a
// manifest.json) as they are.
func runDirs(toComplete string) ([]string, cobra.ShellCompDirective) {
	return dirsWhere(toComplete, func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, "manifest.json"))
		return err == nil
	})
}

func dirsWhere(toComplete string, final func(string) bool) ([]string, cobra.ShellCompDirective) {
	dir, prefix := filepath.Split(toComplete)
	list := dir
	if list == "" {
		list = "."
	}
	entries, err := os.ReadDir(list)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	descend := false
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
			continue
		}
		full := filepath.Join(list, name)
		if st, err := os.Stat(full); err != nil || !st.IsDir() {
			continue
		}
		if final(full) {
			out = append(out, dir+name)
		} else {
			out = append(out, dir+name+"/")
			descend = true
		}
	}
	sort.Strings(out)
	directive := cobra.ShellCompDirectiveNoFileComp
	if descend {
		directive |= cobra.ShellCompDirectiveNoSpace
	}
	return out, directive
}

// completeRunIDs completes --run-id with the runs of the case named by the
// first argument.
func completeRunIDs(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) == 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	entries, err := os.ReadDir(filepath.Join(args[0], "runs"))
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), toComplete) && !strings.HasSuffix(e.Name(), ".partial") {
			out = append(out, e.Name())
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
