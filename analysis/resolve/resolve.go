// Package resolve runs the analysis on an ingested case: scope (which
// requests are the attacker's), resolve (which customer each request
// returned) and expose (which fields of which customers were exposed).
package resolve

import (
	"context"
	"fmt"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// Run performs scope, resolve and expose, leaving the results in the case
// database (in_scope, evidence, exposed_customers, unmatched_identifiers,
// ambiguous_identifiers).
func Run(ctx context.Context, db *store.DB, c *casefile.Case) error {
	if err := LoadConfig(ctx, db, c); err != nil {
		return err
	}
	if err := ipHits(ctx, db, c.Scope.IPs); err != nil {
		return fmt.Errorf("scope ips: %w", err)
	}
	if err := userAgentHits(ctx, db, c.Scope.UserAgents); err != nil {
		return fmt.Errorf("scope user agents: %w", err)
	}
	s := c.Scope
	var start, end any
	if !c.Window.Start.IsZero() {
		start = c.Window.Start
	}
	if !c.Window.End.IsZero() {
		end = c.Window.End
	}
	scope := map[string]any{
		"start": start, "end": end, "match_all": s.Match == "all",
		"has_ips": len(s.IPs) > 0, "has_principals": len(s.Principals) > 0, "has_user_agents": len(s.UserAgents) > 0,
	}
	if err := db.Script(ctx, "scope.sql", nil, scope); err != nil {
		return fmt.Errorf("scope: %w", err)
	}
	kinds, params := identifierKinds(c)
	params["status_low"] = s.Success.Status[0]
	params["status_high"] = s.Success.Status[1]
	params["min_bytes"] = s.Success.MinBytes
	if err := MatchEndpoints(ctx, db, "scoped", "requests", s.Success); err != nil {
		return fmt.Errorf("resolve: %w", err)
	}
	if err := db.Script(ctx, "resolve.sql", struct{ Kinds []casefile.Identifier }{kinds}, params); err != nil {
		return fmt.Errorf("resolve: %w", err)
	}
	if err := db.Script(ctx, "expose.sql", struct{ Elements []casefile.Element }{c.Elements()}, params); err != nil {
		return fmt.Errorf("expose: %w", err)
	}
	return nil
}

// MatchEndpoints gives every request of table from its endpoint, success
// and normalised identifier in table into; the endpoints table must be loaded.
// Each endpoint's id, method and pattern are bound as $id_N, $method_N and
// $regex_N so DuckDB compiles each pattern once, not once per request.
func MatchEndpoints(ctx context.Context, db *store.DB, from, into string, success casefile.Success) error {
	params := map[string]any{"status_low": success.Status[0], "status_high": success.Status[1], "min_bytes": success.MinBytes}
	rows, err := db.Query(ctx, "SELECT endpoint_id, method, regex FROM endpoints ORDER BY endpoint_id")
	if err != nil {
		return fmt.Errorf("read endpoints: %w", err)
	}
	defer rows.Close()
	var endpoints []int
	for rows.Next() {
		var id int32
		var method, regex string
		if err := rows.Scan(&id, &method, &regex); err != nil {
			return fmt.Errorf("read endpoints: %w", err)
		}
		n := len(endpoints)
		params[fmt.Sprintf("id_%d", n)] = id
		params[fmt.Sprintf("method_%d", n)] = method
		params[fmt.Sprintf("regex_%d", n)] = regex
		endpoints = append(endpoints, n)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read endpoints: %w", err)
	}
	rows.Close()
	data := struct {
		From, Into string
		Endpoints  []int
	}{from, into, endpoints}
	return db.Script(ctx, "endpoint_match.sql", data, params)
}

// identifierKinds returns the identifier kinds the endpoints use, in
// endpoint order, and their bound parameters for resolve.sql.
func identifierKinds(c *casefile.Case) ([]casefile.Identifier, map[string]any) {
	params := map[string]any{}
	var kinds []casefile.Identifier
	seen := map[string]bool{}
	for _, e := range c.Endpoints {
		if seen[e.Identifier] {
			continue
		}
		seen[e.Identifier] = true
		id, _ := c.IdentifierKind(e.Identifier)
		i := len(kinds)
		params[fmt.Sprintf("kind_%d", i)] = e.Identifier
		params[fmt.Sprintf("norm_%d", i)] = id.Normalize
		params[fmt.Sprintf("cc_%d", i)] = id.DefaultCountryCode
		params[fmt.Sprintf("zeros_%d", i)] = id.LeadingZeros == "ignore"
		kinds = append(kinds, id)
	}
	return kinds, params
}

// LoadConfig (re)creates the configuration tables and writes endpoints,
// exposed elements, labels and principals into them as bound values.
func LoadConfig(ctx context.Context, db *store.DB, c *casefile.Case) error {
	if err := db.Script(ctx, "analyze_tables.sql", nil, nil); err != nil {
		return err
	}
	for i, e := range c.Endpoints {
		id, _ := c.IdentifierKind(e.Identifier)
		var qp any
		if e.QueryParam != "" {
			qp = e.QueryParam
		}
		if err := db.Exec(ctx, "INSERT INTO endpoints VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			i+1, e.Name, e.Method, e.Regex, qp, e.Identifier, id.Normalize, id.DefaultCountryCode, id.LeadingZeros == "ignore"); err != nil {
			return fmt.Errorf("load endpoint %s: %w", e.Name, err)
		}
		for _, el := range e.Exposes {
			if err := db.Exec(ctx, "INSERT INTO endpoint_exposes VALUES (?, ?)", i+1, el); err != nil {
				return fmt.Errorf("load endpoint %s: %w", e.Name, err)
			}
		}
		for _, src := range e.AlsoReturns {
			if err := db.Exec(ctx, "INSERT INTO endpoint_also_returns VALUES (?, ?)", i+1, src); err != nil {
				return fmt.Errorf("load endpoint %s: %w", e.Name, err)
			}
		}
	}
	for i, el := range c.Elements() {
		if err := db.Exec(ctx, "INSERT INTO elements VALUES (?, ?, ?)", i+1, el.Name, el.Label); err != nil {
			return fmt.Errorf("load elements: %w", err)
		}
	}
	for _, p := range c.Scope.Principals {
		if err := db.Exec(ctx, "INSERT OR IGNORE INTO scope_principals VALUES (?)", p); err != nil {
			return fmt.Errorf("load principals: %w", err)
		}
	}
	return nil
}
