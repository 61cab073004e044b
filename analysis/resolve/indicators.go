package resolve

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// pageSize bounds how many distinct values one query materialises.
const pageSize = 50000

// ipHits classifies every distinct client IP against the IP and CIDR
// indicators. It runs in Go over distinct values because DuckDB's inet
// extension is not available offline, and distinct IPs are few compared
// with requests. A client IP may carry a port (ALB) or be IPv4-mapped IPv6.
func ipHits(ctx context.Context, db *store.DB, indicators []string) error {
	if len(indicators) == 0 {
		return nil
	}
	prefixes := make([]netip.Prefix, len(indicators))
	for i, s := range indicators {
		p, err := casefile.ParseIPIndicator(s)
		if err != nil {
			return err
		}
		prefixes[i] = p
	}
	return eachDistinct(ctx, db, "client_ip", "scope_ip_hits", func(v string) string {
		addr, ok := parseClientIP(v)
		if !ok {
			return ""
		}
		for i, p := range prefixes {
			if p.Contains(addr) {
				return strings.TrimSpace(indicators[i])
			}
		}
		return ""
	})
}

func parseClientIP(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// userAgentHits classifies every distinct user agent against the user-agent
// patterns with Go's regexp (RE2, the same syntax DuckDB uses).
func userAgentHits(ctx context.Context, db *store.DB, patterns []string) error {
	if len(patterns) == 0 {
		return nil
	}
	res := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return err
		}
		res[i] = re
	}
	return eachDistinct(ctx, db, "user_agent", "scope_ua_hits", func(v string) string {
		for i, re := range res {
			if re.MatchString(v) {
				return patterns[i]
			}
		}
		return ""
	})
}

// eachDistinct pages through the distinct values of an access column with
// a keyset and appends (value, indicator) to table for every value classify
// names an indicator for.
func eachDistinct(ctx context.Context, db *store.DB, column, table string, classify func(string) string) error {
	distinct := "bs_distinct_" + column
	if err := db.Exec(ctx, fmt.Sprintf(
		"CREATE OR REPLACE TEMP TABLE %s AS SELECT DISTINCT %s AS v FROM access WHERE %s IS NOT NULL",
		distinct, column, column)); err != nil {
		return err
	}
	defer db.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS "+distinct)
	app, err := db.Appender(ctx, table)
	if err != nil {
		return err
	}
	last, first := "", true
	for {
		page, err := distinctPage(ctx, db, distinct, first, last)
		if err != nil {
			app.Close()
			return err
		}
		for _, v := range page {
			if ind := classify(v); ind != "" {
				if err := app.AppendRow(v, ind); err != nil {
					app.Close()
					return err
				}
			}
		}
		if len(page) < pageSize {
			break
		}
		first, last = false, page[len(page)-1]
	}
	return app.Close()
}

// distinctPage reads the next page of values after last (keyset paging keeps
// each materialised result bounded).
func distinctPage(ctx context.Context, db *store.DB, table string, first bool, last string) ([]string, error) {
	rows, err := db.Query(ctx, fmt.Sprintf("SELECT v FROM %s WHERE ? OR v > ? ORDER BY v LIMIT %d", table, pageSize), first, last)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		page = append(page, v)
	}
	return page, rows.Err()
}
