// Package scaffold writes a first case file from the inputs of a case:
// it sniffs customer tables (CSV dialect and header, Parquet schema, JSON
// keys) and access logs (format by content, JSON keys as dotted paths),
// proposes the column and field mappings from names and sample values,
// proposes endpoints from the most frequent request templates, measures
// which customer field their identifiers match, and renders a commented
// case.yaml in which every guess is marked for review and every value it
// cannot guess is marked TODO. Sample values are never written anywhere:
// they may be personal data.
package scaffold

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// Markers put on the lines of a written case file the analyst must look at.
const (
	MarkGuess = "# GUESS: review"
	MarkTODO  = "# TODO"
)

// ErrCaseExists is returned when the case directory already has a case file.
var ErrCaseExists = errors.New("case file already exists")

// Options configures Propose and Init.
type Options struct {
	// Customers and Logs are files, globs or directories.
	Customers, Logs []string
	// SampleLines is how many lines of each log file are sniffed (default 5000).
	SampleLines int
	// Force overwrites an existing case.yaml.
	Force bool
	// Store configures the scratch database (threads, memory, spill directory).
	Store store.Options
}

// Proposal is everything init proposes for a case file.
type Proposal struct {
	Name      string
	Customers []*CustomerSource
	Logs      []*LogSource
	Endpoints []*Endpoint
	// Skipped are frequent request templates not proposed as endpoints, with why.
	Skipped []string
	// Requests is how many sampled log records were read as requests.
	Requests int
	// Window is the time range of the sampled log records (zero when none parsed).
	Window TimeRange
	// MinBytes is the proposed minimum response size of a success.
	MinBytes Guess
	// Identifiers holds the settings of the identifier kinds the endpoints use.
	Identifiers map[string]IdentifierSettings
}

// CustomerSource is a proposed customer source.
type CustomerSource struct {
	Name, Path, Format, Note string
	Columns                  map[string]Guess
	// Extra are the columns no canonical field took, with a proposed element name.
	Extra []ExtraColumn
	Files int
	files []string
	table *table
}

// ExtraColumn is a column that may be a case-specific data element.
type ExtraColumn struct{ Element, Column string }

// LogSource is a proposed log source.
type LogSource struct {
	Name, Path, Format, Why string
	// Fields is the proposed mapping; nil for formats with a fixed layout.
	Fields map[string]Guess
	// NeedTimezone is set when sampled times carry no zone of their own.
	NeedTimezone bool
	Files, Lines int
	mapping      map[string]Guess
	records      []map[string]string
}

// Endpoint is a proposed endpoint.
type Endpoint struct {
	Name, Method, Path, QueryParam string
	Identifier                     Guess
	Requests, Successful           int
	Why                            string
}

// IdentifierSettings are the proposed settings of one identifier kind.
type IdentifierSettings struct {
	LeadingZeros Guess // account_number: significant or ignore
	CountryCode  Guess // phone: default calling code
}

// Init proposes a case file for the inputs and writes it to caseDir/case.yaml
// (creating caseDir, and removing it again if it created it and fails). It
// returns the proposal for a summary.
func Init(ctx context.Context, caseDir string, opts Options) (p *Proposal, err error) {
	path := filepath.Join(caseDir, casefile.FileName)
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return nil, fmt.Errorf("%s: %w: edit it, or pass --force to replace it", path, ErrCaseExists)
	}
	if _, statErr := os.Stat(caseDir); errors.Is(statErr, os.ErrNotExist) {
		defer func() {
			if err != nil {
				os.RemoveAll(caseDir)
			}
		}()
	}
	if err := os.MkdirAll(caseDir, 0o700); err != nil {
		return nil, fmt.Errorf("create case directory: %w", err)
	}
	if opts.Store.TempDir == "" {
		// Samples of the inputs may spill: keep them inside the case.
		opts.Store.TempDir = filepath.Join(caseDir, ".tmp")
		defer os.RemoveAll(opts.Store.TempDir)
	}
	db, err := store.Open(ctx, "", opts.Store)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if p, err = Propose(ctx, db, caseDir, opts); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, Render(p), 0o600); err != nil {
		return nil, fmt.Errorf("write case file: %w", err)
	}
	return p, nil
}

// Propose sniffs the inputs and proposes a case file for caseDir, using db
// as a scratch database.
func Propose(ctx context.Context, db *store.DB, caseDir string, opts Options) (*Proposal, error) {
	if opts.SampleLines <= 0 {
		opts.SampleLines = 5000
	}
	custFiles, err := expand("customers", opts.Customers)
	if err != nil {
		return nil, err
	}
	logFiles, err := expand("logs", opts.Logs)
	if err != nil {
		return nil, err
	}
	abs, _ := filepath.Abs(caseDir)
	p := &Proposal{Name: filepath.Base(abs), Identifiers: map[string]IdentifierSettings{}}
	if p.Customers, err = proposeCustomers(ctx, db, caseDir, custFiles); err != nil {
		return nil, err
	}
	if p.Logs, err = proposeLogs(ctx, db, caseDir, logFiles, opts.SampleLines); err != nil {
		return nil, err
	}
	var reqs []request
	bytesMapped := false
	for _, l := range p.Logs {
		reqs = append(reqs, requests(l.records, l.mapping)...)
		tr := times(l.records, l.mapping)
		if tr.N > 0 {
			if p.Window.N == 0 || tr.Min.Before(p.Window.Min) {
				p.Window.Min = tr.Min
			}
			if p.Window.N == 0 || tr.Max.After(p.Window.Max) {
				p.Window.Max = tr.Max
			}
			p.Window.N += tr.N
		}
		bytesMapped = bytesMapped || l.mapping["bytes"].Value != ""
	}
	p.Requests = len(reqs)
	if bytesMapped {
		p.MinBytes = Guess{Value: "1", Why: "a 2xx response with an empty body returned no data"}
	} else {
		p.MinBytes = Guess{Value: "0", Why: "no response size in the logs"}
	}
	if err := p.proposeEndpoints(ctx, db, templates(reqs)); err != nil {
		return nil, err
	}
	return p, nil
}

func proposeCustomers(ctx context.Context, db *store.DB, caseDir string, files []string) ([]*CustomerSource, error) {
	type group struct {
		key   string
		files []string
		t     *table
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range files {
		t, err := sniffTable(ctx, db, f)
		if err != nil {
			return nil, fmt.Errorf("customers: %w", err)
		}
		key := filepath.Dir(f) + "\x00" + t.Format + "\x00" + strings.Join(t.Columns, "\x00")
		g := byKey[key]
		if g == nil {
			g = &group{key: key, t: t}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.files = append(g.files, f)
	}
	taken := map[string]bool{}
	var out []*CustomerSource
	for _, g := range groups {
		for _, files := range splitUnlessGlob(g.files) {
			cols, rest := mapCustomerColumns(g.t)
			s := &CustomerSource{
				Name: sourceName(files[0], taken), Path: sourcePath(caseDir, files, globFor(files)),
				Format: g.t.Format, Note: g.t.Note, Columns: cols, Files: len(files), files: files, table: g.t,
			}
			for _, col := range rest {
				s.Extra = append(s.Extra, ExtraColumn{Element: elementName(col), Column: col})
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// splitUnlessGlob keeps files together when one glob names exactly them,
// and otherwise makes a source of each file.
func splitUnlessGlob(files []string) [][]string {
	if globFor(files) != "" {
		return [][]string{files}
	}
	out := make([][]string, len(files))
	for i, f := range files {
		out[i] = []string{f}
	}
	return out
}

func proposeLogs(ctx context.Context, db *store.DB, caseDir string, files []string, n int) ([]*LogSource, error) {
	type group struct {
		files []string
		logs  []*logFile
		m     map[string]Guess
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range files {
		lf, err := sniffLog(ctx, db, f, n)
		if err != nil {
			return nil, fmt.Errorf("logs: %w", err)
		}
		m := fixedMapping(lf.Format, lf.keys(), lf.Records)
		key := filepath.Dir(f) + "\x00" + lf.Format + "\x00" + mappingKey(m)
		g := byKey[key]
		if g == nil {
			g = &group{m: m}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.files = append(g.files, f)
		g.logs = append(g.logs, lf)
	}
	taken := map[string]bool{}
	var out []*LogSource
	for _, g := range groups {
		parts := splitUnlessGlob(g.files)
		for _, files := range parts {
			s := &LogSource{Name: sourceName(files[0], taken), Path: sourcePath(caseDir, files, globFor(files)), Files: len(files)}
			var mine []*logFile
			for _, lf := range g.logs {
				if slices.Contains(files, lf.Path) {
					mine = append(mine, lf)
					s.Format = lf.Format
					s.records = append(s.records, lf.Records...)
					s.Lines += lf.Lines
				}
			}
			s.Why = why(mine)
			// The mapping is proposed again from every sampled record of the source.
			s.mapping = fixedMapping(s.Format, (&logFile{Records: s.records}).keys(), s.records)
			if !fixedLayout(s.Format) && s.Format != "" {
				s.Fields = s.mapping
			}
			tr := times(s.records, s.mapping)
			s.NeedTimezone = tr.N > 0 && !tr.AllOffset
			out = append(out, s)
		}
	}
	return out, nil
}

func mappingKey(m map[string]Guess) string {
	var parts []string
	for _, f := range casefile.LogFields {
		parts = append(parts, m[f].Value)
	}
	return strings.Join(parts, "\x00")
}

// maxEndpoints bounds how many endpoints init proposes.
const maxEndpoints = 8

// proposeEndpoints turns the most frequent templates that carry an
// identifier and returned data into endpoints, and decides each one's
// identifier kind by matching sampled identifiers against the customers.
func (p *Proposal) proposeEndpoints(ctx context.Context, db *store.DB, tmpls []*template) error {
	m, err := loadCustomers(ctx, db, p.Customers)
	if err != nil {
		return err
	}
	cc := "1"
	for _, c := range p.Customers {
		if col := c.Columns["phone"].Value; col != "" {
			cc = countryCode(c.table.Values[slices.Index(c.table.Columns, col)])
			break
		}
	}
	names := map[string]bool{}
	for _, t := range tmpls {
		var values []string
		var where, hint, qp string
		switch {
		case t.Holes > 1:
			p.skip(t, "more than one identifier-like segment: write a path_regex with one capture group if it returns customer data")
			continue
		case t.Holes == 1:
			values, where, hint = t.HoleValues, "path", identifierHints[joined(t.HoleWord)]
		default:
			prm := t.idParam()
			if prm == nil {
				p.skip(t, "no identifier in the path or query")
				continue
			}
			values, where, qp, hint = prm.Values, "query parameter "+prm.Name, prm.Name, identifierHints[joined(prm.Name)]
		}
		if t.Successful == 0 {
			p.skip(t, "no successful response in the sample")
			continue
		}
		if len(p.Endpoints) >= maxEndpoints {
			p.skip(t, "less frequent than the endpoints above")
			continue
		}
		if hint == "" {
			hint = shapeHint(t.HoleKind, values)
		}
		e := &Endpoint{Method: t.Method, QueryParam: qp, Requests: t.Requests, Successful: t.Successful}
		e.Name = t.name()
		for n := 2; names[e.Name]; n++ {
			e.Name = fmt.Sprintf("%s-%d", t.name(), n)
		}
		names[e.Name] = true
		best, matched, total, ok, err := m.bestMatch(ctx, values, cc, hint)
		if err != nil {
			return err
		}
		switch {
		case ok:
			e.Identifier = Guess{Value: best.Kind, Why: fmt.Sprintf("%d of %d distinct sampled identifiers (%s) match a customer's %s", matched, total, where, best.Kind)}
			if err := p.settle(ctx, m, values, best, matched, total); err != nil {
				return err
			}
		case hint != "":
			e.Identifier = Guess{Value: hint, Why: fmt.Sprintf("from the %s; no sampled identifier matched a customer: check the customer mapping", where)}
		default:
			e.Identifier = Guess{Why: "no sampled identifier matched a customer; kinds: " + strings.Join(identifierFields, ", ")}
		}
		placeholder := e.Identifier.Value
		if placeholder == "" {
			placeholder = "id"
		}
		if qp == "" {
			e.Path = t.path(placeholder)
		} else {
			e.Path = t.path("")
		}
		e.Why = fmt.Sprintf("%d sampled requests, %d successful", t.Requests, t.Successful)
		p.Endpoints = append(p.Endpoints, e)
	}
	return nil
}

// settle records the identifier settings the best match implies.
func (p *Proposal) settle(ctx context.Context, m *matcher, values []string, v variant, matched, total int) error {
	s := p.Identifiers[v.Kind]
	switch v.Kind {
	case "account_number":
		if s.LeadingZeros.Value == "" {
			sig := v
			sig.IgnoreZeros = false
			n, _, err := m.rate(ctx, values, sig)
			if err != nil {
				return err
			}
			s.LeadingZeros = Guess{Value: "significant", Why: fmt.Sprintf("%d of %d distinct sampled identifiers match as written", n, total)}
			if v.IgnoreZeros {
				s.LeadingZeros = Guess{Value: "ignore", Why: fmt.Sprintf("%d of %d distinct sampled identifiers match with leading zeros ignored, %d as written", matched, total, n)}
			}
		}
	case "phone":
		s.CountryCode = Guess{Value: v.CC, Why: "the calling code of phone numbers written without one"}
	}
	p.Identifiers[v.Kind] = s
	return nil
}

func (p *Proposal) skip(t *template, why string) {
	if len(p.Skipped) < 12 {
		p.Skipped = append(p.Skipped, fmt.Sprintf("%s (%d request(s)): %s", t, t.Requests, why))
	}
}

// shapeHint guesses an identifier kind from what the values look like.
func shapeHint(holeKind string, values []string) string {
	switch holeKind {
	case holeEmail:
		return "email"
	case holePhone:
		return "phone"
	}
	if r, n := share(values, isEmail); n > 0 && r >= 0.8 {
		return "email"
	}
	if r, n := share(values, isPhone); n > 0 && r >= 0.8 {
		return "phone"
	}
	return ""
}

// day truncates t to midnight UTC.
func day(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// sortedFields returns the keys of m in canonical order.
func sortedFields(m map[string]Guess, order []string) []string {
	var out []string
	for _, f := range order {
		if _, ok := m[f]; ok {
			out = append(out, f)
		}
	}
	var rest []string
	for f := range m {
		if !slices.Contains(order, f) {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
