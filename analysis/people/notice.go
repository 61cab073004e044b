package people

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/jurisdiction"
	"github.com/breachscope/breachscope/analysis/store"
)

// Rules returns the shipped jurisdiction rules with the case's overrides
// (notice.rules_file) applied.
func Rules(c *casefile.Case) ([]jurisdiction.Rule, error) {
	rules, err := jurisdiction.Load()
	if err != nil {
		return nil, fmt.Errorf("jurisdiction rules: %w", err)
	}
	if c.Notice.RulesFile == "" {
		return rules, nil
	}
	f, err := os.Open(c.Resolve(c.Notice.RulesFile))
	if err != nil {
		return nil, fmt.Errorf("notice.rules_file: %w", err)
	}
	defer f.Close()
	over, err := jurisdiction.Parse(f, c.Notice.RulesFile, c.ExtraFields()...)
	if err != nil {
		return nil, fmt.Errorf("notice.rules_file: %w", err)
	}
	return jurisdiction.Merge(rules, over), nil
}

// decideNotices records the rules and, for every distinct pair of
// jurisdiction and exposed elements among the people (few, however many
// people there are), whether notice is required there and which element
// combinations triggered it.
func decideNotices(ctx context.Context, db *store.DB, c *casefile.Case) error {
	rules, err := Rules(c)
	if err != nil {
		return err
	}
	if err := db.Script(ctx, "notice_tables.sql", nil, nil); err != nil {
		return err
	}
	byCode := map[string]jurisdiction.Rule{}
	for _, r := range rules {
		byCode[r.Code] = r
		var asOf any
		if !r.AsOf.IsZero() {
			asOf = r.AsOf
		}
		err := db.Exec(ctx, "INSERT INTO notice_rules VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			r.Code, r.Name, r.Triggers.String(), r.Regulator, r.RegulatorThreshold, r.RegulatorDeadlineDays, r.CRAThreshold,
			r.DeadlineDays, r.Citation, asOf, strings.Join(r.Unverified(), "; "), strings.Join(r.SourceURLs, " "))
		if err != nil {
			return fmt.Errorf("record rule %s: %w", r.Code, err)
		}
	}
	rows, err := db.Query(ctx, "SELECT DISTINCT coalesce(jurisdiction, ''), elements FROM people")
	if err != nil {
		return err
	}
	type pair struct {
		code     string
		elements []string
	}
	var pairs []pair
	for rows.Next() {
		var p pair
		var els []any
		if err := rows.Scan(&p.code, &els); err != nil {
			rows.Close()
			return err
		}
		for _, e := range els {
			p.elements = append(p.elements, fmt.Sprint(e))
		}
		pairs = append(pairs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range pairs {
		rule, ok := byCode[p.code]
		var required any
		reason := "no rule for this jurisdiction in the table"
		if p.code == "" {
			reason = "jurisdiction unknown (no usable address)"
		}
		if ok {
			exposed := map[string]bool{}
			for _, e := range p.elements {
				exposed[e] = true
			}
			hit, combos := rule.Triggered(exposed)
			required = hit
			reason = "no combination of exposed elements triggers notice"
			if hit {
				reason = strings.Join(combos, " | ")
			}
		}
		if err := db.Exec(ctx, "INSERT INTO notice_decisions VALUES (?, ?, ?, ?)",
			p.code, strings.Join(p.elements, ","), required, reason); err != nil {
			return err
		}
	}
	var discovery any
	if !c.Discovery.IsZero() {
		discovery = c.Discovery
	}
	return db.Script(ctx, "notice_jurisdictions.sql", nil, map[string]any{"discovery": discovery})
}
