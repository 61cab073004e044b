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

// Statements splits a script into statements on lines that end with ";".
// Our scripts never put ";" at the end of a line inside a string literal.
func Statements(script string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.SplitAfter(script, "\n") {
		cur.WriteString(line)
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			if s := strings.TrimSpace(cur.String()); s != "" && !onlyComments(s) {
				out = append(out, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" && !onlyComments(s) {
		out = append(out, s)
	}
	return out
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
