// Package queries holds breachscope's SQL, embedded into the binary.
//
// The SQL is part of the product: every statement that runs is recorded and
// printed into the methodology sheet. Some files are templates, because
// column names come from the case file; the only way a case-file string can
// enter SQL text is through the ident function, which quotes it as an
// identifier. Values are always bound parameters, never template output.
package queries

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"text/template"
)

//go:embed *.sql
var files embed.FS

var templates = template.Must(template.New("").
	Funcs(template.FuncMap{"ident": Ident}).
	Option("missingkey=error").
	ParseFS(files, "*.sql"))

// Ident quotes name as a DuckDB identifier.
func Ident(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Render returns the SQL of the named file (for example "resolve.sql") with data applied.
func Render(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("render query %s: %w", name, err)
	}
	return b.String(), nil
}

// Names lists the embedded SQL files.
func Names() []string {
	names, _ := fs.Glob(files, "*.sql")
	return names
}

// Statements splits a script into statements at a ";" that ends a line
// outside quotes: a quoted identifier from a case file may itself hold
// ";" and a line break.
func Statements(script string) []string {
	var out []string
	start := 0
	var quote byte // the open quote, or 0
	comment := false
	for i := 0; i < len(script); i++ {
		ch := script[i]
		switch {
		case comment:
			if ch == '\n' {
				comment = false
			}
		case quote != 0:
			if ch == quote {
				quote = 0 // a doubled quote reopens on the next byte
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '-' && i+1 < len(script) && script[i+1] == '-':
			comment = true
		case ch == ';' && restOfLineBlank(script[i+1:]):
			if st := strings.TrimSpace(script[start : i+1]); st != "" && !onlyComments(st) {
				out = append(out, st)
			}
			start = i + 1
		}
	}
	if st := strings.TrimSpace(script[start:]); st != "" && !onlyComments(st) {
		out = append(out, st)
	}
	return out
}

func restOfLineBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\n':
			return true
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

func onlyComments(s string) bool {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}
