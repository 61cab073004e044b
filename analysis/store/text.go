package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Text runs a query and renders its rows as tab-separated text with a
// header line (NULL for nulls), for golden files and small listings. The
// result is materialised: keep it small.
func (s *DB) Text(ctx context.Context, query string) (string, error) {
	rows, err := s.conn.QueryContext(ctx, query)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(strings.Join(cols, "\t") + "\n")
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('\t')
			}
			switch x := v.(type) {
			case nil:
				b.WriteString("NULL")
			case time.Time:
				b.WriteString(x.UTC().Format("2006-01-02 15:04:05.999999"))
			default:
				fmt.Fprintf(&b, "%v", x)
			}
		}
		b.WriteByte('\n')
	}
	return b.String(), rows.Err()
}
