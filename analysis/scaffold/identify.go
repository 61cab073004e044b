package scaffold

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/breachscope/breachscope/analysis/sample"
	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/queries"
)

// identifierFields are the customer fields an identifier kind is matched
// against, in the order ties are broken.
var identifierFields = []string{"account_number", "phone", "email", "customer_id"}

// variant is one way to normalise an identifier kind.
type variant struct {
	Kind        string
	Normalize   string
	CC          string
	IgnoreZeros bool
}

// matcher measures how many sampled identifiers match a customer, with
// the same normalisation macros the analysis uses, against the mapped
// customer columns of every customer file (loaded into a scratch table).
type matcher struct {
	db     *store.DB
	fields []string // identifier fields mapped by some customer source
	keys   map[variant]string
}

// loadCustomers reads the mapped identifier columns of every customer file.
func loadCustomers(ctx context.Context, db *store.DB, sources []*CustomerSource) (*matcher, error) {
	m := &matcher{db: db, keys: map[variant]string{}}
	var cols []string
	for _, f := range identifierFields {
		cols = append(cols, queries.Ident(f)+" VARCHAR")
	}
	if err := db.Exec(ctx, "CREATE OR REPLACE TEMP TABLE bs_init_customers ("+strings.Join(cols, ", ")+")"); err != nil {
		return nil, err
	}
	mapped := map[string]bool{}
	for _, src := range sources {
		if src.Format == "" {
			continue
		}
		var sel []string
		for _, f := range identifierFields {
			if col := src.Columns[f].Value; col != "" {
				sel = append(sel, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", queries.Ident(col), queries.Ident(f)))
				mapped[f] = true
			}
		}
		if len(sel) == 0 {
			continue
		}
		for _, path := range src.files {
			reader, args := sample.TableFunction(src.Format, path)
			if err := db.Exec(ctx, "INSERT INTO bs_init_customers BY NAME SELECT "+strings.Join(sel, ", ")+" FROM "+reader, args...); err != nil {
				return nil, fmt.Errorf("read %s: %w", path, sample.Sanitize(err))
			}
		}
	}
	for _, f := range identifierFields {
		if mapped[f] {
			m.fields = append(m.fields, f)
		}
	}
	return m, nil
}

// variants are the normalisations tried for identifiers in field.
func (m *matcher) variants(field, cc string) []variant {
	switch field {
	case "account_number":
		return []variant{{Kind: field, Normalize: "account_number"}, {Kind: field, Normalize: "account_number", IgnoreZeros: true}}
	case "phone":
		return []variant{{Kind: field, Normalize: "phone", CC: cc}}
	case "email":
		return []variant{{Kind: field, Normalize: "email"}}
	}
	return []variant{{Kind: field, Normalize: "text"}}
}

// rate returns how many of the distinct values match a customer under v.
func (m *matcher) rate(ctx context.Context, values []string, v variant) (matched, total int, err error) {
	table, err := m.keyTable(ctx, v)
	if err != nil {
		return 0, 0, err
	}
	if err := m.db.Exec(ctx, "CREATE OR REPLACE TEMP TABLE bs_init_values (v VARCHAR)"); err != nil {
		return 0, 0, err
	}
	app, err := m.db.Appender(ctx, "bs_init_values")
	if err != nil {
		return 0, 0, err
	}
	seen := map[string]bool{}
	for _, val := range values {
		if !seen[val] {
			seen[val] = true
			if err := app.AppendRow(val); err != nil {
				app.Close()
				return 0, 0, err
			}
		}
	}
	if err := app.Close(); err != nil {
		return 0, 0, err
	}
	n, err := m.db.Int(ctx, "SELECT count(*) FROM bs_init_values WHERE bs_normalize(?, v, ?, ?) IN (SELECT k FROM "+table+")",
		v.Normalize, v.CC, v.IgnoreZeros)
	return int(n), len(seen), err
}

// keyTable holds the normalised values of a customer field under v,
// computed once per variant.
func (m *matcher) keyTable(ctx context.Context, v variant) (string, error) {
	if t, ok := m.keys[v]; ok {
		return t, nil
	}
	t := fmt.Sprintf("bs_init_keys_%d", len(m.keys))
	err := m.db.Exec(ctx, "CREATE OR REPLACE TEMP TABLE "+t+" AS SELECT DISTINCT bs_normalize(?, "+queries.Ident(v.Kind)+", ?, ?) AS k FROM bs_init_customers WHERE "+queries.Ident(v.Kind)+" IS NOT NULL",
		v.Normalize, v.CC, v.IgnoreZeros)
	if err != nil {
		return "", err
	}
	m.keys[v] = t
	return t, nil
}

// bestMatch tries every mapped field and normalisation on values and
// returns the best; ok is false when nothing matched.
func (m *matcher) bestMatch(ctx context.Context, values []string, cc, hint string) (best variant, matched, total int, ok bool, err error) {
	for _, f := range m.fields {
		for _, v := range m.variants(f, cc) {
			n, tot, err := m.rate(ctx, values, v)
			if err != nil {
				return variant{}, 0, 0, false, err
			}
			better := n > matched || (n == matched && n > 0 && v.Kind == hint && best.Kind != hint)
			if better {
				best, matched, total, ok = v, n, tot, true
			}
		}
	}
	return best, matched, total, ok, nil
}

// countryCode guesses the default calling code from customer phone
// numbers written with their own (+44 ...): the most common one, else 1.
func countryCode(values []string) string {
	counts := map[int32]int{}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if !strings.HasPrefix(v, "+") {
			continue
		}
		if num, err := phonenumbers.Parse(v, "ZZ"); err == nil {
			counts[num.GetCountryCode()]++
		}
	}
	if len(counts) == 0 {
		return "1"
	}
	codes := make([]int32, 0, len(counts))
	for c := range counts {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if counts[codes[i]] != counts[codes[j]] {
			return counts[codes[i]] > counts[codes[j]]
		}
		return codes[i] < codes[j]
	})
	return strconv.Itoa(int(codes[0]))
}
