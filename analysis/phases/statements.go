package phases

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
)

// StatementTiming is how long one SQL statement took, so a slow run can be
// explained statement by statement (the manifest lists the slowest).
type StatementTiming struct {
	Phase   string  `json:"phase"`
	File    string  `json:"file"`
	Seconds float64 `json:"seconds"`
	// Start is the statement's first words: the query text, never data
	// (values are bound parameters).
	Start string `json:"start"`
}

// Statement records that a statement of file ran for d in the phase ctx
// records (if any).
func Statement(ctx context.Context, file, sql string, d time.Duration) {
	rec := FromContext(ctx)
	if rec == nil {
		return
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	phase := "" // a statement between phases belongs to none
	if rec.running != nil {
		phase = rec.running.name
	}
	rec.statements = append(rec.statements, StatementTiming{Phase: phase, File: file, Seconds: d.Seconds(), Start: firstWords(sql, 12)})
}

// Slowest returns the n slowest statements, slowest first.
func (r *Recorder) Slowest(n int) []StatementTiming {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	all := slices.Clone(r.statements)
	r.mu.Unlock()
	slices.SortStableFunc(all, func(a, b StatementTiming) int { return cmp.Compare(b.Seconds, a.Seconds) })
	return all[:min(n, len(all))]
}

func firstWords(sql string, n int) string {
	var words []string
	for _, line := range strings.Split(sql, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
			words = append(words, strings.Fields(t)...)
		}
		if len(words) >= n {
			return strings.Join(words[:n], " ") + " ..."
		}
	}
	return strings.Join(words, " ")
}
