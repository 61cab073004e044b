package xlsx

// RowSource yields a sheet's rows one at a time, so a million-row sheet never
// sits in memory. Next returns the next row and true, or false once the rows
// are exhausted; a non-nil error stops the write. Each row must have exactly
// one value per column. The writer is done with a row's slice when Next is
// called again, so a source may reuse one slice for every row.
type RowSource interface {
	Next() ([]any, bool, error)
}

// RowFunc adapts a function to RowSource, for wrapping an iterator such as
// *sql.Rows without declaring a type.
type RowFunc func() ([]any, bool, error)

// Next calls fn.
func (fn RowFunc) Next() ([]any, bool, error) { return fn() }

// SliceRows returns a RowSource over rows already in memory; meant for small
// sheets such as summaries.
func SliceRows(rows [][]any) RowSource {
	return &sliceRows{rows: rows}
}

type sliceRows struct {
	rows [][]any
	next int
}

func (s *sliceRows) Next() ([]any, bool, error) {
	if s.next >= len(s.rows) {
		return nil, false, nil
	}
	s.next++
	return s.rows[s.next-1], true, nil
}

// readAhead replays rows read early (to fit column widths) before carrying on
// with the source.
type readAhead struct {
	buffered [][]any
	src      RowSource
}

func (r *readAhead) Next() ([]any, bool, error) {
	if len(r.buffered) > 0 {
		row := r.buffered[0]
		r.buffered[0] = nil // let the row be collected once written
		r.buffered = r.buffered[1:]
		return row, true, nil
	}
	if r.src == nil {
		return nil, false, nil
	}
	return r.src.Next()
}

// fill reads up to n rows from the source into the buffer, copying each
// because the source may reuse its slice.
func (r *readAhead) fill(n int) error {
	for len(r.buffered) < n && r.src != nil {
		row, ok, err := r.src.Next()
		if err != nil {
			return err
		}
		if !ok {
			r.src = nil
			break
		}
		r.buffered = append(r.buffered, append([]any(nil), row...))
	}
	return nil
}
