package address

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokens upper-cases s and splits it into words the way Pub 28 section 232
// writes a delivery line: periods and commas go, except a period between two
// digits (grid addresses such as 39.2 RD); a slash or hyphen between two
// letters or digits stays (1/2, 289-01, C/O), but a hyphen in a word without
// a digit becomes a space (WILKES-BARRE -> WILKES BARRE); '#' and '&' are
// words of their own (repeated '#' counts once); apostrophes vanish (O'NEIL -> ONEIL); anything else
// that is not a letter, digit or combining mark separates words. A period
// right after a single letter and before another letter is dropped without a
// space so that initialisms join up: P.O. -> PO, N.E. -> NE, U.S.A. -> USA.
func tokens(s string) []string {
	// Upper-case first, so that characters dropped here (apostrophes,
	// lower-case letters without a capital) cannot influence the
	// decisions below: the output, read again, must give itself.
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\'' || r == '\u2019' || r == '`' || r == '\u00b4':
			// dropped: O'NEIL -> ONEIL
		case unicode.IsLetter(r):
			rs = appendUpper(rs, r)
		default:
			rs = append(rs, r)
		}
	}
	out := make([]string, 0, 8)
	cur := make([]rune, 0, len(rs)) // reused for every word
	// seg counts the letters written since the last separator or period.
	seg := 0
	flush := func() {
		if len(cur) > 0 {
			out = appendWord(out, string(cur))
			cur = cur[:0]
		}
		seg = 0
	}
	for i, r := range rs {
		last, next := rune(-1), rune(-1)
		if len(cur) > 0 {
			last = cur[len(cur)-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r == '.':
			switch {
			case isASCIIDigit(last) && isASCIIDigit(next):
				cur = append(cur, '.')
			case seg == 1 && unicode.IsLetter(next):
				seg = 0 // P.O. -> PO
			default:
				flush()
			}
		case r == '/' || r == '-':
			if isAlnum(last) && isAlnum(next) {
				cur = append(cur, r)
				seg = 0
			} else {
				flush()
			}
		case r == '#' || r == '&':
			flush()
			if r == '#' && len(out) > 0 && out[len(out)-1] == "#" {
				break // "# #" says no more than "#"
			}
			out = append(out, string(r))
		case unicode.IsLetter(r):
			cur = append(cur, r)
			seg++
		case unicode.IsDigit(r):
			cur = append(cur, r)
			seg = 0
		case unicode.IsMark(r):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// appendWord appends w, splitting it at hyphens when it holds no digit:
// hyphens matter only in address numbers and unit ranges.
func appendWord(out []string, w string) []string {
	if !strings.Contains(w, "-") || hasDigit(w) {
		return append(out, w)
	}
	for _, part := range strings.Split(w, "-") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// appendUpper appends the upper-case form of r. Go's simple case mapping
// leaves a few lower-case letters alone (ß, the Latin ligatures and letters
// with no capital such as IPA symbols); the first two are spelled out, the
// rest dropped, so the result never holds a lower-case letter.
func appendUpper(b []rune, r rune) []rune {
	switch r {
	case 'ß', 'ẞ':
		return append(b, 'S', 'S')
	case 'ﬀ':
		return append(b, 'F', 'F')
	case 'ﬁ':
		return append(b, 'F', 'I')
	case 'ﬂ':
		return append(b, 'F', 'L')
	case 'ﬃ':
		return append(b, 'F', 'F', 'I')
	case 'ﬄ':
		return append(b, 'F', 'F', 'L')
	case 'ﬅ', 'ﬆ':
		return append(b, 'S', 'T')
	}
	u := unicode.ToUpper(r)
	if unicode.IsLower(u) {
		return b
	}
	return append(b, u)
}

// upperText upper-cases s and collapses white space without otherwise
// touching it: postal codes outside the US are kept as given.
func upperText(s string) string {
	b := make([]rune, 0, len(s))
	var tmp [3]rune
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError || !unicode.IsPrint(r) {
			space = len(b) > 0
			continue
		}
		u := appendUpper(tmp[:0], r)
		if len(u) == 0 {
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, u...)
	}
	return string(b)
}

// matchKey is the form names are compared in: upper case, Latin accents
// folded, and nothing but letters and digits, so "N. Dak.", "n dak" and
// "NDAK" are one key, and "Österreich" matches "Osterreich".
func matchKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var tmp [3]rune
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.Is(unicode.Lm, r) {
			continue
		}
		for _, c := range appendUpper(tmp[:0], r) {
			if f, ok := latinFold[c]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// latinFold maps the accented capitals of Latin-1 and Latin Extended-A to
// plain letters, enough for the country and state names in the tables.
var latinFold = func() map[rune]string {
	groups := []struct{ from, to string }{
		{"ÀÁÂÃÄÅĀĂĄ", "A"}, {"Æ", "AE"}, {"ÇĆĈĊČ", "C"}, {"ÐĎĐ", "D"},
		{"ÈÉÊËĒĔĖĘĚ", "E"}, {"ĜĞĠĢ", "G"}, {"ĤĦ", "H"}, {"ÌÍÎÏĨĪĬĮİ", "I"},
		{"Ĳ", "IJ"}, {"Ĵ", "J"}, {"Ķ", "K"}, {"ĹĻĽĿŁ", "L"}, {"ÑŃŅŇŊ", "N"},
		{"ÒÓÔÕÖØŌŎŐ", "O"}, {"Œ", "OE"}, {"ŔŖŘ", "R"}, {"ŚŜŞŠ", "S"},
		{"ŢŤŦ", "T"}, {"Þ", "TH"}, {"ÙÚÛÜŨŪŬŮŰŲ", "U"}, {"Ŵ", "W"},
		{"ÝŶŸ", "Y"}, {"ŹŻŽ", "Z"},
	}
	m := map[rune]string{}
	for _, g := range groups {
		for _, r := range g.from {
			m[r] = g.to
		}
	}
	return m
}()

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// hasDigit reports whether s holds an ASCII digit: what makes a word an
// address number, a unit range or a box number.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// allDigits reports whether s is a non-empty run of 0-9.
func allDigits(s string) bool { return allIn(s, '0', '9') }

// isUpperWord reports whether s is a non-empty run of A-Z.
func isUpperWord(s string) bool { return allIn(s, 'A', 'Z') }

// allIn reports whether s is non-empty and every byte is in [lo, hi].
func allIn(s string, lo, hi byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < lo || s[i] > hi {
			return false
		}
	}
	return s != ""
}
