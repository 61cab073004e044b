package check

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// scopeCounts reports how many sampled requests each indicator and the
// window select, and the outcome of the sampled requests in scope. The
// indicators are the analyst's own (from case.yaml), so naming them leaks
// nothing from the inputs.
func scopeCounts(ctx context.Context, db *store.DB, c *casefile.Case, r *Report) error {
	type hit struct {
		kind, table, column, key string
		values                   []string
	}
	for _, h := range []hit{
		{"ip", "scope_ip_hits", "client_ip", "indicator", c.Scope.IPs},
		{"user agent", "scope_ua_hits", "user_agent", "indicator", c.Scope.UserAgents},
		{"principal", "scope_principals", "principal", "principal", c.Scope.Principals},
	} {
		counts, err := store.Counts[string](ctx, db, fmt.Sprintf(
			"SELECT h.%s, count(*) FROM access a JOIN %s h ON h.%s = a.%s GROUP BY ALL", h.key, h.table, h.column, h.column))
		if err != nil {
			return fmt.Errorf("count %s hits: %w", h.kind, err)
		}
		for _, v := range h.values {
			n := counts[v]
			if n == 0 {
				r.add("scope", h.kind+" "+v, Warn, "matches none of the %d sampled requests (a sample may miss a rare indicator; check --all)", r.SampledRequests)
				continue
			}
			r.add("scope", h.kind+" "+v, OK, "matches %d sampled requests", n)
		}
	}
	if err := windowCount(ctx, db, c, r); err != nil {
		return err
	}
	var in, matched, unmatched, ambiguous, unsuccessful, noEndpoint int64
	err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (outcome = 'matched'), count(*) FILTER (outcome = 'unmatched'),
		count(*) FILTER (outcome = 'ambiguous'), count(*) FILTER (outcome = 'unsuccessful'), count(*) FILTER (outcome = 'no_endpoint')
		FROM in_scope`).Scan(&in, &matched, &unmatched, &ambiguous, &unsuccessful, &noEndpoint)
	if err != nil {
		return fmt.Errorf("count in-scope requests: %w", err)
	}
	st := OK
	if in == 0 {
		st = Warn
	}
	r.add("scope", "in scope", st, "%d of %d sampled requests: %d matched, %d unmatched, %d ambiguous, %d unsuccessful, %d to no endpoint",
		in, r.SampledRequests, matched, unmatched, ambiguous, unsuccessful, noEndpoint)
	return nil
}

func windowCount(ctx context.Context, db *store.DB, c *casefile.Case, r *Report) error {
	if c.Window.Start.IsZero() && c.Window.End.IsZero() {
		return nil
	}
	var start, end any
	if !c.Window.Start.IsZero() {
		start = c.Window.Start
	}
	if !c.Window.End.IsZero() {
		end = c.Window.End
	}
	var n int64
	var first, last sql.NullTime
	err := db.QueryRow(ctx, `SELECT count(*) FILTER (($1::TIMESTAMP IS NULL OR ts >= $1::TIMESTAMP) AND ($2::TIMESTAMP IS NULL OR ts < $2::TIMESTAMP)), min(ts), max(ts) FROM access`,
		start, end).Scan(&n, &first, &last)
	if err != nil {
		return fmt.Errorf("count requests in the window: %w", err)
	}
	span := ""
	if first.Valid {
		span = fmt.Sprintf(", which run from %s to %s", first.Time.UTC().Format(time.RFC3339), last.Time.UTC().Format(time.RFC3339))
	}
	if n == 0 {
		r.add("scope", "window", Warn, "holds none of the %d sampled requests%s", r.SampledRequests, span)
		return nil
	}
	r.add("scope", "window", OK, "holds %d of the %d sampled requests%s", n, r.SampledRequests, span)
	return nil
}
