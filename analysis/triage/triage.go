// Package triage ranks the clients of an ingested case (IPs, /24 networks,
// API keys or principals, user agents) by signals of enumeration, so an
// analyst who does not yet know the attacker's indicators gets candidates
// to review and a scope block to paste into the case file.
package triage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/resolve"
	"github.com/breachscope/breachscope/analysis/store"
)

// Kinds are the client dimensions ranked, in output order.
var Kinds = []string{"principal", "net24", "ip", "user_agent"}

// Candidate is one ranked client with the signals behind its score.
type Candidate struct {
	Kind                string    `json:"kind"`
	Client              string    `json:"client"`
	Rank                int64     `json:"rank"`
	Score               float64   `json:"score"`
	Requests            int64     `json:"requests"`
	EndpointRequests    int64     `json:"endpoint_requests"`
	DistinctIdentifiers int64     `json:"distinct_identifiers"`
	DistinctRatio       float64   `json:"distinct_ratio"`
	SequentialShare     float64   `json:"sequential_share"`
	ProbeShare          float64   `json:"probe_share"`
	NightShare          float64   `json:"night_share"`
	VolumeVsP99         float64   `json:"volume_vs_p99"`
	PeakVsBaseline      float64   `json:"peak_vs_baseline"`
	FirstSeen           time.Time `json:"first_seen"`
	LastSeen            time.Time `json:"last_seen"`
}

// ErrNoRequests means the case has no ingested requests to rank.
var ErrNoRequests = errors.New("no requests ingested: run breachscope ingest first")

// Run ranks every client of the ingested case and returns the top n of each kind.
func Run(ctx context.Context, db *store.DB, c *casefile.Case, top int) ([]Candidate, error) {
	n, err := db.Int(ctx, "SELECT count(*) FROM access")
	if err != nil || n == 0 {
		return nil, ErrNoRequests
	}
	if err := resolve.LoadConfig(ctx, db, c); err != nil {
		return nil, err
	}
	if err := resolve.MatchEndpoints(ctx, db, "access", "triage_requests", c.Scope.Success); err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	if err := db.Script(ctx, "triage.sql", nil, nil); err != nil {
		return nil, fmt.Errorf("triage: %w", err)
	}
	rows, err := db.Query(ctx, `
		SELECT kind, client, rank, score, requests, endpoint_requests, distinct_identifiers, distinct_ratio,
		  sequential_share, probe_share, night_share, volume_vs_p99, peak_vs_baseline, first_seen, last_seen
		FROM triage WHERE rank <= ?
		ORDER BY list_position(?, kind), rank`, top, Kinds)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		var k Candidate
		if err := rows.Scan(&k.Kind, &k.Client, &k.Rank, &k.Score, &k.Requests, &k.EndpointRequests, &k.DistinctIdentifiers,
			&k.DistinctRatio, &k.SequentialShare, &k.ProbeShare, &k.NightShare, &k.VolumeVsP99, &k.PeakVsBaseline,
			&k.FirstSeen, &k.LastSeen); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// WriteScope writes a case-file scope block proposing the top candidate of
// each kind, commented so the analyst reviews it before pasting it in.
func WriteScope(w io.Writer, cands []Candidate) error {
	top := map[string]Candidate{}
	for _, k := range cands {
		if k.Rank == 1 {
			top[k.Kind] = k
		}
	}
	var ips []string
	if k, ok := top["net24"]; ok {
		ips = append(ips, k.Client)
	} else if k, ok := top["ip"]; ok {
		ips = append(ips, k.Client)
	}
	fmt.Fprintln(w, "# Proposed by breachscope triage: the top-ranked client of each kind.")
	fmt.Fprintln(w, "# Review every line against the evidence before using it; the window")
	fmt.Fprintln(w, "# is the proposed clients' first and last request (end exclusive).")
	fmt.Fprintln(w, "scope:")
	var first, last time.Time
	for _, k := range top {
		if first.IsZero() || k.FirstSeen.Before(first) {
			first = k.FirstSeen
		}
		if k.LastSeen.After(last) {
			last = k.LastSeen
		}
	}
	if !first.IsZero() {
		fmt.Fprintf(w, "  window:\n    start: %s\n    end: %s\n", first.UTC().Truncate(time.Second).Format(time.RFC3339),
			last.UTC().Truncate(time.Second).Add(time.Second).Format(time.RFC3339))
	}
	fmt.Fprintln(w, "  match: any")
	for _, ip := range ips {
		fmt.Fprintf(w, "  ips: [%s]\n", yamlQuote(ip))
	}
	if k, ok := top["principal"]; ok {
		fmt.Fprintf(w, "  principals: [%s]\n", yamlQuote(k.Client))
	}
	if k, ok := top["user_agent"]; ok {
		fmt.Fprintf(w, "  # user_agents: [%s]   # user agents are easy to share and to fake\n", yamlQuote("^"+regexp.QuoteMeta(k.Client)+"$"))
	}
	return nil
}

// yamlQuote quotes s as a YAML single-quoted scalar: client strings come
// from logs and are attacker-controlled.
func yamlQuote(s string) string {
	out := []rune{'\''}
	for _, r := range s {
		if r == '\'' {
			out = append(out, '\'')
		}
		if r < 0x20 || r == 0x7f {
			r = '\uFFFD'
		}
		out = append(out, r)
	}
	return string(append(out, '\''))
}
