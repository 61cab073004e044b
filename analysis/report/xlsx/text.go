package xlsx

import (
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// TruncationMarker ends every text cell that was cut to fit Excel's cell
// limit, so a reader of the sheet can see that the value is incomplete.
const TruncationMarker = "…[truncated]"

// maxCellUnits is Excel's per-cell text limit. excelize counts it in UTF-16
// code units (countUTF16String in its lib.go) and silently cuts anything
// longer, so the same unit is used here to cut first, visibly.
const maxCellUnits = excelize.TotalCellChars

// fitText returns s cut to Excel's cell limit with TruncationMarker appended,
// and the original length in UTF-16 units when it had to be cut (0 if not).
//
// Characters XML cannot hold are left alone on purpose: excelize escapes
// inline strings with encoding/xml, which already replaces them with U+FFFD,
// one UTF-16 unit for one, so the length computed here stays right.
func fitText(s string) (string, int) {
	// A UTF-8 string never has more UTF-16 units than bytes, so short strings
	// (nearly all of them) skip the count.
	if len(s) <= maxCellUnits {
		return s, 0
	}
	n := utf16Len(s)
	if n <= maxCellUnits {
		return s, 0
	}
	keep := maxCellUnits - utf16Len(TruncationMarker)
	return cutUTF16(s, keep) + TruncationMarker, n
}

// utf16Len counts s the way Excel and excelize count cell text.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cutUTF16 returns the longest prefix of s that fits in max UTF-16 units
// without splitting a character (or a surrogate pair).
func cutUTF16(s string, max int) string {
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > max {
			return s[:i]
		}
	}
	return s
}
