package scaffold

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// valueChecks are what a canonical log field's values must look like for a
// name-based guess to stand; a key that fails its check is not proposed.
var valueChecks = map[string]func(string) bool{
	"time":      isTime,
	"client_ip": isIP,
	"method":    func(v string) bool { return isMethod(strings.ToUpper(v)) },
	"status":    isStatus,
	"bytes":     isInt,
	"path":      isPathLike,
	"url":       isURLLike,
}

// mapLogFields proposes the key of each canonical log field, from key names
// checked against sample values, then from values alone.
func mapLogFields(keys []string, recs []map[string]string) map[string]Guess {
	values := func(k string) []string {
		var out []string
		for _, r := range recs {
			if v, ok := r[k]; ok {
				out = append(out, v)
			}
		}
		return out
	}
	var cands []candidate
	for i, k := range keys {
		vals := values(k)
		fits := func(field string) (bool, string) {
			check, ok := valueChecks[field]
			if !ok {
				return true, ""
			}
			r, n := share(vals, check)
			if n == 0 {
				return false, ""
			}
			return r >= 0.8, fmt.Sprintf("%.0f%% of %d sampled values fit", 100*r, n)
		}
		parts := strings.Split(k, ".")
		named := map[string]bool{}
		for _, try := range []struct {
			name  string
			score int
		}{{joined(k), 100}, {joined(parts[len(parts)-1]), 80}} {
			f, ok := logNames[try.name]
			if !ok || named[f] {
				continue
			}
			named[f] = true
			if ok, why := fits(f); ok {
				cands = append(cands, candidate{try.score, i, f, strings.TrimSuffix(fmt.Sprintf("key %q; %s", k, why), "; ")})
			}
		}
		for _, f := range []string{"time", "client_ip", "method", "status", "path"} {
			if named[f] {
				continue
			}
			if ok, why := fits(f); ok && why != "" && !(f == "status" && !isStatusKey(k)) {
				cands = append(cands, candidate{40, i, f, fmt.Sprintf("key %q: %s", k, why)})
			}
		}
	}
	out, _ := assign(cands, keys, nil)
	// A path field that carries the query string is a url.
	if p := out["path"]; p.Value != "" {
		if r, _ := share(values(p.Value), func(v string) bool { return strings.Contains(v, "?") }); r > 0 && out["query"].Value == "" {
			delete(out, "path")
			out["url"] = Guess{Value: p.Value, Why: p.Why + "; values carry the query string"}
		}
	}
	if out["path"].Value != "" && out["url"].Value != "" {
		delete(out, "url")
	}
	if out["url"].Value != "" {
		delete(out, "query")
	}
	return out
}

// isStatusKey keeps value-only status guesses to keys that could be one:
// any small integer (a count, a port) fits 100..599.
func isStatusKey(k string) bool {
	j := joined(k)
	return strings.Contains(j, "status") || strings.Contains(j, "code")
}

// fieldOf returns the value of a canonical field in a record under mapping.
func fieldOf(r map[string]string, mapping map[string]Guess, field string) string {
	if g, ok := mapping[field]; ok && g.Value != "" {
		return r[g.Value]
	}
	return ""
}

// request is what endpoint proposals need from one log record.
type request struct {
	Method, Path, Query string
	Status              int
	Bytes               int64
	HasBytes            bool
}

// successful is the default success rule: a 2xx response that carried a body.
func (r request) successful() bool {
	return r.Status >= 200 && r.Status <= 299 && (!r.HasBytes || r.Bytes > 0)
}

// requests extracts method, path, query, status and bytes from records.
func requests(recs []map[string]string, mapping map[string]Guess) []request {
	var out []request
	for _, rec := range recs {
		get := func(f string) string { return strings.TrimSpace(fieldOf(rec, mapping, f)) }
		q := request{Method: strings.ToUpper(get("method"))}
		if u := get("url"); u != "" {
			u = schemeHostRE.ReplaceAllString(u, "")
			q.Path, q.Query, _ = strings.Cut(u, "?")
		} else {
			q.Path = get("path")
			q.Query = strings.TrimPrefix(get("query"), "?")
			if p, qs, ok := strings.Cut(q.Path, "?"); ok {
				q.Path, q.Query = p, qs
			}
		}
		st, err := strconv.Atoi(get("status"))
		if err != nil || q.Method == "" || q.Path == "" {
			continue
		}
		q.Status = st
		if b := get("bytes"); b != "" {
			q.HasBytes = true
			if b != "-" {
				q.Bytes, _ = strconv.ParseInt(b, 10, 64)
			}
		}
		out = append(out, q)
	}
	return out
}

// TimeRange is the earliest and latest of N parsed times, and whether
// every one carried its own zone.
type TimeRange struct {
	Min, Max  time.Time
	N         int
	AllOffset bool
}

func times(recs []map[string]string, mapping map[string]Guess) TimeRange {
	tr := TimeRange{AllOffset: true}
	for _, rec := range recs {
		t, offset, ok := parseTime(fieldOf(rec, mapping, "time"))
		if !ok {
			continue
		}
		if tr.N == 0 || t.Before(tr.Min) {
			tr.Min = t
		}
		if tr.N == 0 || t.After(tr.Max) {
			tr.Max = t
		}
		tr.N++
		tr.AllOffset = tr.AllOffset && offset
	}
	return tr
}

// fixedMapping is the field mapping init uses internally for a format
// whose layout is fixed (nothing of it is written to case.yaml).
func fixedMapping(format string, keys []string, recs []map[string]string) map[string]Guess {
	switch format {
	case formatCombined, formatALB:
		m := map[string]Guess{}
		for _, f := range casefile.LogFields {
			m[f] = Guess{Value: f}
		}
		delete(m, "path")
		return m
	case formatCloudTrail:
		return map[string]Guess{"time": {Value: "eventTime"}, "client_ip": {Value: "sourceIPAddress"}}
	}
	return mapLogFields(keys, recs)
}
