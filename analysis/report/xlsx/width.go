package xlsx

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

const (
	// widthSampleRows is how many leading rows are read ahead to fit column
	// widths; the stream writer needs widths before the first row.
	widthSampleRows = 1000
	minColumnWidth  = 8
	maxColumnWidth  = 80
	// Room for cell padding, plus the bold font and autofilter button in
	// the header.
	cellPadding   = 2
	headerPadding = 4
)

// fitWidths returns one width per column: the caller's width when set,
// otherwise the widest of the header and the sampled cells, clamped.
func fitWidths(cols []Column, sample [][]any) []float64 {
	widths := make([]float64, len(cols))
	for i, c := range cols {
		if c.Width > 0 {
			widths[i] = c.Width
			continue
		}
		w := textWidth(Neutralise(c.Header)) + headerPadding
		for _, row := range sample {
			if i < len(row) {
				w = max(w, valueWidth(c.Kind, row[i])+cellPadding)
			}
		}
		widths[i] = float64(min(max(w, minWidth(c.Kind)), maxColumnWidth))
	}
	return widths
}

// minWidth leaves numbers some room beyond the sampled rows: a number too
// wide for its column shows as "####", unlike text, which just runs over.
func minWidth(k Kind) int {
	switch k {
	case Int, Float:
		return 12
	case Percent:
		return 10
	}
	return minColumnWidth
}

// valueWidth estimates how many characters v takes once formatted for kind
// k. It only needs to be close: it sizes a column, it does not render.
func valueWidth(k Kind, v any) int {
	orig, v, err := unwrap(v)
	if err != nil || v == nil {
		return 0
	}
	switch k {
	case Date:
		return len(dateLayout)
	case Timestamp:
		return len(timestampLayout)
	case Bool:
		return len("FALSE")
	case Int, Float, Percent:
		f, ok := asFloat(v)
		if !ok {
			return 0
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return len("'-Inf")
		}
		if k == Percent {
			f *= 100
		}
		n := groupedLen(len(strconv.FormatFloat(math.Trunc(math.Abs(f)), 'f', 0, 64)))
		if f < 0 {
			n++
		}
		switch k {
		case Float:
			n += len(".00")
		case Percent:
			n += len(".00%")
		}
		return n
	}
	return textWidth(Neutralise(textOf(orig, v)))
}

// groupedLen is the length of a number of the given digit count once
// thousands separators are added.
func groupedLen(digits int) int {
	return digits + (digits-1)/3
}

// textWidth is the widest line of s in character cells, counting East Asian
// wide characters as two. It stops counting once past maxColumnWidth since
// the result is clamped anyway and cells can be 32k characters long.
func textWidth(s string) int {
	widest := 0
	for line := range strings.SplitSeq(s, "\n") {
		n := 0
		for _, r := range line {
			if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) ||
				unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
				(r >= 0xFF01 && r <= 0xFF60) {
				n += 2
			} else {
				n++
			}
			if n > maxColumnWidth {
				return n
			}
		}
		widest = max(widest, n)
	}
	return widest
}
