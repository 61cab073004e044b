package xlsx

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// maxSheetName is Excel's sheet name limit, in UTF-16 units like excelize.
const maxSheetName = excelize.MaxSheetNameLength

// partName names part n (1-based) of a sheet that had to be split: the
// sheet's own name, then "Name (2)", "Name (3)", ... The base is shortened
// rather than the suffix, so the parts stay numbered within 31 characters.
func partName(base string, n int) string {
	if n <= 1 {
		return base
	}
	suffix := fmt.Sprintf(" (%d)", n)
	return strings.TrimRightFunc(cutUTF16(base, maxSheetName-len(suffix)), unicode.IsSpace) + suffix
}

// checkSheetName rejects names Excel or excelize would refuse or mangle.
// Sheet names come from code, not from breach data, so a bad one is a bug to
// report rather than something to repair silently.
func checkSheetName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("sheet name is empty")
	case utf16Len(name) > maxSheetName:
		return fmt.Errorf("sheet name %q is longer than %d characters", name, maxSheetName)
	case strings.ContainsAny(name, `:\/?*[]`):
		return fmt.Errorf(`sheet name %q contains one of : \ / ? * [ ]`, name)
	case strings.Contains(name, "'"):
		// Excel forbids a leading or trailing quote, and excelize writes the
		// autofilter's defined name without escaping inner ones, which
		// corrupts the workbook.
		return fmt.Errorf("sheet name %q contains an apostrophe", name)
	case strings.EqualFold(name, "History"):
		return fmt.Errorf("sheet name %q is reserved by Excel", name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("sheet name %q contains a control character", name)
	}
	return nil
}

// layout is where a sheet's table starts, below the optional title block.
type layout struct {
	headerRow int // 1-based
}

func newLayout(s Sheet) layout {
	rows := len(s.Notes)
	if s.Title != "" {
		rows++
	}
	if rows > 0 {
		rows++ // blank row between the title block and the table
	}
	return layout{headerRow: rows + 1}
}

// capacity is how many data rows fit on one part of the sheet: Excel's row
// limit less the title block and header, or the caller's smaller limit.
func (l layout) capacity(maxRows int) int {
	c := excelize.TotalRows - l.headerRow
	if maxRows > 0 && maxRows < c {
		c = maxRows
	}
	return c
}
