package xlsx

import "fmt"

// Kind says how a column's values are stored and displayed. A value whose Go
// type does not fit the column's Kind is an error rather than a silent
// conversion, because a mistyped column usually means a query changed shape.
// Pointers are followed and database/sql/driver.Valuer types (sql.NullString,
// sql.NullTime, ...) are unwrapped; nil, a nil pointer or SQL NULL leaves the
// cell empty.
type Kind int

const (
	// Text stores any value as neutralised text (see Neutralise); non-string
	// values are formatted with fmt. Cells are formatted "@" so a later edit
	// in Excel cannot turn them into numbers or formulas.
	Text Kind = iota
	// Int stores Go integers with a "#,##0" format. Integers of more than 15
	// digits are stored as text instead, because Excel keeps only 15 digits
	// and would silently change identifiers such as card numbers.
	Int
	// Float stores any Go number with a "#,##0.00" format. NaN and
	// infinities, which Excel cannot hold, are stored as text.
	Float
	// Date stores a time.Time as an Excel date shown yyyy-mm-dd, taken in UTC
	// and cut to midnight so the stored value matches what is shown. The
	// zero time is an empty cell; dates Excel cannot represent (before
	// 1900-03-01 or after 9999) are stored as text in the same layout.
	Date
	// Timestamp stores a time.Time as an Excel date-time shown
	// yyyy-mm-dd hh:mm:ss in UTC, cut to whole seconds so Excel's display
	// rounding can never show the next second (or the next day). Zero and
	// out-of-range times are handled as for Date.
	Timestamp
	// Percent stores a fraction (0.25 is 25%) of any Go number type with a
	// "0.00%" format.
	Percent
	// Bool stores TRUE or FALSE.
	Bool

	kindCount // keep last: bounds validation of Column.Kind
)

// String names the kind for error messages.
func (k Kind) String() string {
	switch k {
	case Text:
		return "text"
	case Int:
		return "integer"
	case Float:
		return "float"
	case Date:
		return "date"
	case Timestamp:
		return "timestamp"
	case Percent:
		return "percent"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Column describes one column of a sheet.
type Column struct {
	// Header is the column title; it is neutralised like any text cell.
	Header string
	// Kind selects storage and number format.
	Kind Kind
	// Width is the column width in characters, at most 255; 0 fits it to
	// the header and the first 1,000 rows, between 8 (12 for numbers) and
	// 80.
	Width float64
}
