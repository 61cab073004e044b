package xlsx

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// maxExactInt is the largest magnitude Excel shows without losing digits: it
// keeps 15 significant digits, so larger integers would be altered silently.
const maxExactInt = 999_999_999_999_999

// Excel's 1900 date system cannot hold dates before 1900 and miscounts the
// first two months of 1900 (it believes 1900-02-29 existed); outside this
// range a date is written as text so it is shown exactly.
var (
	minExcelDate = time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC)
	endExcelDate = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
)

const (
	dateLayout      = "2006-01-02"
	timestampLayout = "2006-01-02 15:04:05"
)

// cellValue converts v for a column of kind k. It returns nil for an empty
// cell, otherwise an excelize.Cell; overlong is the original length in UTF-16
// units when text had to be cut, else 0. Errors name types, never values,
// because values may be personal data.
func (st *styles) cellValue(k Kind, v any) (cell any, overlong int, err error) {
	orig, v, err := unwrap(v)
	if err != nil || v == nil {
		return nil, 0, err
	}
	switch k {
	case Text:
		return st.textCell(textOf(orig, v))
	case Int:
		return st.intCell(v)
	case Float:
		return st.floatCell(k, v, st.float)
	case Percent:
		return st.floatCell(k, v, st.percent)
	case Date, Timestamp:
		return st.timeCell(k, v)
	case Bool:
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Bool {
			return excelize.Cell{StyleID: st.bool, Value: rv.Bool()}, 0, nil
		}
	}
	return nil, 0, fmt.Errorf("want %s value, got %T", k, v)
}

// textCell neutralises and length-checks s; every text cell goes through
// here.
func (st *styles) textCell(s string) (any, int, error) {
	if s == "" {
		return nil, 0, nil
	}
	s, overlong := fitText(Neutralise(s))
	return excelize.Cell{StyleID: st.text, Value: s}, overlong, nil
}

func (st *styles) intCell(v any) (any, int, error) {
	neg, mag, ok := intParts(v)
	if !ok {
		return nil, 0, fmt.Errorf("want %s value, got %T", Int, v)
	}
	if mag > maxExactInt {
		s := strconv.FormatUint(mag, 10)
		if neg {
			s = "-" + s
		}
		return st.textCell(s)
	}
	n := int64(mag)
	if neg {
		n = -n
	}
	return excelize.Cell{StyleID: st.int, Value: n}, 0, nil
}

// intParts splits any Go integer into sign and magnitude so that uint64 and
// math.MinInt64 are handled without overflow.
func intParts(v any) (neg bool, mag uint64, ok bool) {
	var i int64
	switch n := v.(type) {
	case int:
		i = int64(n)
	case int8:
		i = int64(n)
	case int16:
		i = int64(n)
	case int32:
		i = int64(n)
	case int64:
		i = n
	case uint:
		return false, uint64(n), true
	case uint8:
		return false, uint64(n), true
	case uint16:
		return false, uint64(n), true
	case uint32:
		return false, uint64(n), true
	case uint64:
		return false, n, true
	default:
		// Named types such as `type Count int64`.
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			i = rv.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return false, rv.Uint(), true
		default:
			return false, 0, false
		}
	}
	if i < 0 {
		return true, uint64(-(i + 1)) + 1, true
	}
	return false, uint64(i), true
}

func (st *styles) floatCell(k Kind, v any, style int) (any, int, error) {
	f, ok := asFloat(v)
	if !ok {
		return nil, 0, fmt.Errorf("want %s value, got %T", k, v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		// Excel has no NaN or infinity; excelize would write them as
		// un-neutralised text ("-Inf"), so do it here through the text path.
		return st.textCell(strconv.FormatFloat(f, 'g', -1, 64))
	}
	if reflect.ValueOf(v).Kind() == reflect.Float32 {
		// Passed through so excelize formats it at 32-bit precision (0.1
		// stays 0.1 rather than 0.10000000149011612).
		return excelize.Cell{StyleID: style, Value: float32(f)}, 0, nil
	}
	return excelize.Cell{StyleID: style, Value: f}, 0, nil
}

func (st *styles) timeCell(k Kind, v any) (any, int, error) {
	t, ok := v.(time.Time)
	if !ok {
		return nil, 0, fmt.Errorf("want %s value, got %T", k, v)
	}
	if t.IsZero() {
		// The zero time is Go's "unknown", not 0001-01-01.
		return nil, 0, nil
	}
	t = t.UTC()
	style, layout := st.timestamp, timestampLayout
	if k == Date {
		t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		style, layout = st.date, dateLayout
	} else {
		t = t.Truncate(time.Second)
	}
	if t.Before(minExcelDate) || !t.Before(endExcelDate) {
		return st.textCell(t.Format(layout))
	}
	return excelize.Cell{StyleID: style, Value: t}, 0, nil
}

// textOf formats a value for a Text column; orig is the value as given and v
// the same value with pointers followed (non-nil).
func textOf(orig, v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case time.Time:
		// Unambiguous and zone-explicit, unlike time.Time.String.
		return s.UTC().Format(time.RFC3339Nano)
	}
	// Checked on orig so String and Error methods with pointer receivers
	// are still found.
	switch s := orig.(type) {
	case error:
		return s.Error()
	case fmt.Stringer:
		return s.String()
	}
	return fmt.Sprint(v)
}

// unwrap resolves database nullable types and pointers. orig is the value
// after driver.Valuer, kept for its String or Error method; v is orig with
// pointers followed, nil for SQL NULL or a nil pointer.
func unwrap(in any) (orig, v any, err error) {
	orig = in
	if dv, ok := in.(driver.Valuer); ok && deref(in) != nil {
		// sql.NullString and friends report NULL as a nil value.
		if orig, err = dv.Value(); err != nil {
			return nil, nil, fmt.Errorf("read %T value: %w", dv, err)
		}
	}
	return orig, deref(orig), nil
}

// asFloat reads any Go number as a float64.
func asFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Float32 || rv.Kind() == reflect.Float64 {
		return rv.Float(), true
	}
	neg, mag, ok := intParts(v)
	if !ok {
		return 0, false
	}
	f := float64(mag)
	if neg {
		f = -f
	}
	return f, true
}

// deref follows pointers so nullable *T fields from database scans can be
// passed straight through; a nil pointer is an empty cell.
func deref(v any) any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return v
	}
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	return rv.Interface()
}
