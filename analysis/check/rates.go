package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/ingest"
	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/queries"
)

// parseRates reports how much of each log source's sample parsed, why the
// rest was rejected, and how often the optional fields it maps are filled.
func parseRates(ctx context.Context, db *store.DB, c *casefile.Case, res *ingest.Result, r *Report) error {
	for _, s := range c.Customers.Sources {
		var accepted, rejected int64
		for _, in := range res.Inputs {
			if in.Kind == "customers" && in.Source == s.Name {
				accepted += in.Accepted
				rejected += in.Rejected
			}
		}
		st := OK
		if accepted == 0 {
			st = Fail
		}
		r.add("customers", s.Name, st, "%d records loaded, %d rejected", accepted, rejected)
	}
	for _, l := range c.Logs {
		var read, accepted, rejected int64
		for _, in := range res.Inputs {
			if in.Kind == "logs" && in.Source == l.Name {
				read += in.Read
				accepted += in.Accepted
				rejected += in.Rejected
			}
		}
		r.SampledLines += read
		r.SampledRequests += accepted
		if read == 0 {
			r.add("logs", l.Name, Warn, "the sample holds no line")
			continue
		}
		reasons, err := rejectReasons(ctx, db, l.Name)
		if err != nil {
			return err
		}
		rate := float64(accepted) / float64(read)
		st := OK
		switch {
		case rate < 0.5:
			st = Fail
		case rate < 0.95:
			st = Warn
		}
		msg := fmt.Sprintf("sample of %d lines: %d parsed (%.1f%%), %d rejected", read, accepted, 100*rate, rejected)
		if reasons != "" {
			msg += " (" + reasons + ")"
		}
		if st == Fail {
			msg += ": check the format and the field mapping"
		}
		r.add("logs", l.Name, st, "%s", msg)
		if accepted > 0 {
			if err := fillRates(ctx, db, l, accepted, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// rejectReasons lists a source's commonest reject reasons with counts.
func rejectReasons(ctx context.Context, db *store.DB, source string) (string, error) {
	rows, err := db.Query(ctx, `
		SELECT reason, count(*) AS n FROM rejects JOIN inputs USING (input_id)
		WHERE inputs.source = ? GROUP BY reason ORDER BY n DESC, reason LIMIT 3`, source)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var reason string
		var n int64
		if err := rows.Scan(&reason, &n); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, reason))
	}
	return strings.Join(parts, ", "), rows.Err()
}

// optionalFields are the access columns a mapping may leave empty; a
// mapped one that is empty in every sampled request is probably mis-mapped.
var optionalFields = []string{"request_id", "client_ip", "principal", "bytes", "user_agent"}

func fillRates(ctx context.Context, db *store.DB, l casefile.LogSource, accepted int64, r *Report) error {
	var parts []string
	var empty []string
	for _, f := range optionalFields {
		if l.Fields[f] == "" {
			continue
		}
		n, err := db.Int(ctx, "SELECT count("+queries.Ident(f)+") FROM access JOIN inputs USING (input_id) WHERE inputs.source = ?", l.Name)
		if err != nil {
			return err
		}
		parts = append(parts, fmt.Sprintf("%s %.0f%%", f, 100*float64(n)/float64(accepted)))
		if n == 0 {
			empty = append(empty, fmt.Sprintf("%s (%s)", f, l.Fields[f]))
		}
	}
	switch {
	case len(empty) > 0:
		r.add("logs", l.Name, Warn, "mapped but empty in every sampled request: %s; check the key names", strings.Join(empty, ", "))
	case len(parts) > 0:
		r.add("logs", l.Name, OK, "fields filled: %s", strings.Join(parts, ", "))
	}
	return nil
}

// endpointRates reports, per endpoint, how many sampled requests its
// pattern matches and how many of their identifiers match a customer.
func endpointRates(ctx context.Context, db *store.DB, c *casefile.Case, r *Report) error {
	for _, e := range c.Endpoints {
		var reqs, ok, matched, ambiguous, unmatched int64
		err := db.QueryRow(ctx, `
			SELECT count(*), count(*) FILTER (successful),
			  count(*) FILTER (outcome = 'matched'), count(*) FILTER (outcome = 'ambiguous'), count(*) FILTER (outcome = 'unmatched')
			FROM in_scope WHERE endpoint = ?`, e.Name).Scan(&reqs, &ok, &matched, &ambiguous, &unmatched)
		if err != nil {
			return fmt.Errorf("endpoint %s: %w", e.Name, err)
		}
		target := e.Method + " " + e.Path + e.PathRegex
		if e.QueryParam != "" {
			target += "?" + e.QueryParam + "="
		}
		if reqs == 0 {
			r.add("endpoint", e.Name, Warn, "no sampled request matches %s: check the method and the path template", target)
			continue
		}
		r.add("endpoint", e.Name, OK, "%d of %d sampled requests match %s, %d successful", reqs, r.SampledRequests, target, ok)
		if ok == 0 {
			continue
		}
		rate := float64(matched+ambiguous) / float64(ok)
		st := OK
		hint := ""
		switch {
		case matched+ambiguous == 0:
			st, hint = Fail, ": check the identifier kind, its normalisation (leading_zeros, default_country_code) and the customer column it matches"
		case rate < 0.5:
			st, hint = Warn, ": check the identifier's normalisation"
		}
		r.add("identifiers", e.Name, st, "%s: %d of %d successful sampled requests match one customer (%.1f%%), %d several, %d none%s",
			e.Identifier, matched, ok, 100*float64(matched)/float64(ok), ambiguous, unmatched, hint)
	}
	return nil
}
