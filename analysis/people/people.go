// Package people merges exposed customer records into the individuals who
// get notices: explicit, tiered merge rules (fields that must agree, fields
// that must not conflict), a reason recorded for every merge, near-misses
// listed for review, and stable person ids. It then decides each person's
// channel, jurisdiction, notice requirement and letter version.
package people

import (
	"context"
	"fmt"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// maxRounds bounds label propagation; components wider than this many hops
// would mean a merge rule links far more than one person's records.
const maxRounds = 100

// ErrRunaway is returned when merging does not settle within maxRounds.
var ErrRunaway = fmt.Errorf("people: merging did not settle in %d rounds: a merge rule links too many records (check people.rules)", maxRounds)

// Run builds the people table (and person_members, person_edges,
// near_misses) from the exposed customers of an analysed case.
func Run(ctx context.Context, db *store.DB, c *casefile.Case) error {
	phone, _ := c.IdentifierKind("phone")
	if err := db.Script(ctx, "people_keys.sql", nil, map[string]any{"cc": phone.DefaultCountryCode, "default_country": "US"}); err != nil {
		return fmt.Errorf("people: %w", err)
	}
	for _, r := range c.People.Rules {
		if err := db.Script(ctx, "people_edges.sql", r, map[string]any{"rule": r.Name}); err != nil {
			return fmt.Errorf("people rule %q: %w", r.Name, err)
		}
	}
	if err := db.Script(ctx, "people_components.sql", nil, nil); err != nil {
		return fmt.Errorf("people: %w", err)
	}
	if err := propagate(ctx, db); err != nil {
		return err
	}
	var ref any
	if !c.Reference.IsZero() {
		ref = c.Reference
	}
	if err := db.Script(ctx, "people.sql", nil, map[string]any{"reference_date": ref}); err != nil {
		return fmt.Errorf("people: %w", err)
	}
	if err := decideNotices(ctx, db, c); err != nil {
		return err
	}
	if err := db.Script(ctx, "people_letters.sql", nil, nil); err != nil {
		return fmt.Errorf("letter versions: %w", err)
	}
	if err := db.Exec(ctx, "CREATE OR REPLACE TABLE near_misses (rule VARCHAR, person_a VARCHAR, person_b VARCHAR, differs VARCHAR[])"); err != nil {
		return err
	}
	for _, n := range c.People.NearMiss {
		if err := db.Script(ctx, "people_near_miss.sql", n, map[string]any{"rule": n.Name}); err != nil {
			return fmt.Errorf("near-miss %q: %w", n.Name, err)
		}
	}
	return nil
}

// propagate repeats one round of label propagation until no label changes.
func propagate(ctx context.Context, db *store.DB) error {
	for round := 0; round < maxRounds; round++ {
		if err := db.Script(ctx, "people_step.sql", nil, nil); err != nil {
			return fmt.Errorf("people: %w", err)
		}
		changed, err := db.Int(ctx, `SELECT count(*) FROM person_labels_next n JOIN person_labels l USING (customer_id) WHERE n.label <> l.label`)
		if err != nil {
			return err
		}
		if err := db.Exec(ctx, "DROP TABLE person_labels"); err != nil {
			return err
		}
		if err := db.Exec(ctx, "ALTER TABLE person_labels_next RENAME TO person_labels"); err != nil {
			return err
		}
		if changed == 0 {
			return nil
		}
	}
	return ErrRunaway
}
