package address

import "strings"

// lineKind says what a US address line turned out to be, which decides
// whether it can carry mail.
type lineKind int

const (
	lineEmpty           lineKind = iota
	lineOther                    // no address number: a name, c/o, or garbage
	lineUnit                     // only secondary unit designators (APT 4)
	lineNumberOnly               // an address number and nothing else
	lineStreet                   // number + street name
	linePOBox                    // PO BOX 123
	linePOBoxNoBox               // PO BOX without a box number
	lineRoute                    // RR 2 BOX 152, HC 1 BOX 10
	lineRouteNoBox               // RR 2 without a box number
	lineMilitary                 // PSC 1234 BOX 5678, UNIT 2050 BOX 4190
	lineGeneralDelivery          // GENERAL DELIVERY
)

// delivers reports whether a line of this kind is a complete delivery
// address line.
func (k lineKind) delivers() bool {
	switch k {
	case lineStreet, linePOBox, lineRoute, lineMilitary, lineGeneralDelivery:
		return true
	}
	return false
}

// parsedLine is a standardised US address line: the delivery words, and the
// secondary unit found at its end (moved to line 2 by the caller).
type parsedLine struct {
	kind lineKind
	main []string
	unit []string
}

// words is the line with its unit kept in place, as line 2 is printed.
func (p parsedLine) words() []string {
	if len(p.unit) == 0 {
		return p.main
	}
	return append(append([]string(nil), p.main...), p.unit...)
}

// parseUSLine standardises one US address line (already split by tokens).
func parseUSLine(w []string) parsedLine {
	// A '#' with nothing after it carries no unit number.
	for len(w) > 0 && w[len(w)-1] == "#" {
		w = w[:len(w)-1]
	}
	if len(w) == 0 {
		return parsedLine{kind: lineEmpty}
	}
	if p, ok := parsePOBox(w); ok {
		return p
	}
	if p, ok := parseRoute(w); ok {
		return p
	}
	if len(w) >= 4 && (w[0] == "PSC" || w[0] == "CMR" || w[0] == "UNIT") && hasDigit(w[1]) && w[2] == "BOX" && hasDigit(w[3]) {
		return parsedLine{kind: lineMilitary, main: w}
	}
	if len(w) >= 2 && w[0] == "GENERAL" && w[1] == "DELIVERY" {
		return parsedLine{kind: lineGeneralDelivery, main: w}
	}
	if hasDigit(w[0]) {
		return parseStreet(w)
	}
	if isUnitStart(w, 0) {
		units, n := parseUnits(w, 0)
		main := append(units, w[n:]...)
		if n == len(w) {
			return parsedLine{kind: lineUnit, main: main}
		}
		return parsedLine{kind: lineOther, main: main}
	}
	return parsedLine{kind: lineOther, main: w}
}

// poBoxForms are the spellings of "post office box" that Pub 28 section 28
// standardises to PO BOX, as they look after tokens ("P.O." is PO already).
var poBoxForms = [][]string{
	{"POST", "OFFICE", "BOX"}, {"POSTOFFICE", "BOX"}, {"POST", "BOX"},
	{"PO", "BOX"}, {"P", "O", "BOX"}, {"PO", "BX"}, {"P", "O", "B"},
	{"POBOX"}, {"POB"}, {"BOX"},
}

func parsePOBox(w []string) (parsedLine, bool) {
	// POBOX123, POB123: the box number glued on.
	for _, p := range []string{"POBOX", "POB"} {
		if n, ok := strings.CutPrefix(w[0], p); ok && allDigits(n) {
			return parsedLine{kind: linePOBox, main: append([]string{"PO", "BOX", n}, w[1:]...)}, true
		}
	}
	for _, form := range poBoxForms {
		if !hasPrefix(w, form) {
			continue
		}
		rest := w[len(form):]
		if len(rest) > 0 && rest[0] == "#" {
			rest = rest[1:]
		}
		if len(rest) == 0 || !hasDigit(rest[0]) {
			if form[0] == "BOX" {
				return parsedLine{}, false // BOX CANYON RD is a street
			}
			return parsedLine{kind: linePOBoxNoBox, main: append([]string{"PO", "BOX"}, rest...)}, true
		}
		return parsedLine{kind: linePOBox, main: append([]string{"PO", "BOX"}, rest...)}, true
	}
	return parsedLine{}, false
}

// routeForms are the rural route (RR) and highway contract route (HC)
// spellings of Pub 28 sections 244 and 254. The ambiguous ones (RD is also
// ROAD, ROUTE a street suffix) count only when a box follows.
var routeForms = []struct {
	words   []string
	std     string
	needBox bool
}{
	{[]string{"RURAL", "ROUTE"}, "RR", false}, {[]string{"RURAL", "RTE"}, "RR", false},
	{[]string{"RURAL", "RT"}, "RR", false}, {[]string{"RFD", "ROUTE"}, "RR", false},
	{[]string{"RR"}, "RR", false}, {[]string{"R", "R"}, "RR", false}, {[]string{"RFD"}, "RR", false},
	{[]string{"R", "F", "D"}, "RR", false}, {[]string{"RD"}, "RR", true}, {[]string{"ROUTE"}, "RR", true},
	{[]string{"RTE"}, "RR", true}, {[]string{"RT"}, "RR", true},
	{[]string{"HIGHWAY", "CONTRACT", "ROUTE"}, "HC", false}, {[]string{"HIGHWAY", "CONTRACT"}, "HC", false},
	{[]string{"HWY", "CONTRACT"}, "HC", false}, {[]string{"STAR", "ROUTE"}, "HC", false},
	{[]string{"STAR", "RTE"}, "HC", false}, {[]string{"STAR", "RT"}, "HC", false},
	{[]string{"HCR"}, "HC", false}, {[]string{"HC"}, "HC", false},
}

func parseRoute(w []string) (parsedLine, bool) {
	for _, f := range routeForms {
		if !hasPrefix(w, f.words) {
			continue
		}
		rest := w[len(f.words):]
		if len(rest) > 0 && rest[0] == "#" {
			rest = rest[1:]
		}
		if len(rest) == 0 || !allDigits(rest[0]) {
			continue
		}
		// Pub 28 section 242: no leading zeros in the route number.
		route := strings.TrimLeft(rest[0], "0")
		if route == "" {
			route = "0"
		}
		rest = rest[1:]
		boxAt := -1
		if len(rest) >= 2 && (rest[0] == "BOX" || rest[0] == "BX" || rest[0] == "#") && hasDigit(rest[1]) {
			boxAt = 1
		} else if len(rest) >= 3 && rest[0] == "BOX" && rest[1] == "#" && hasDigit(rest[2]) {
			boxAt = 2
		}
		if boxAt < 0 {
			if f.needBox {
				continue
			}
			return parsedLine{kind: lineRouteNoBox, main: append([]string{f.std, route}, rest...)}, true
		}
		main := append([]string{f.std, route, "BOX"}, rest[boxAt:]...)
		return parsedLine{kind: lineRoute, main: main}, true
	}
	return parsedLine{}, false
}

// parseStreet standardises "number [fraction] street words [unit]".
func parseStreet(w []string) parsedLine {
	n := 1
	if len(w) > 1 && isFraction(w[1]) {
		n = 2 // 101 1/2 MAIN ST
	}
	number, rest := w[:n], w[n:]
	if len(rest) == 0 {
		return parsedLine{kind: lineNumberOnly, main: number}
	}
	// "1ST AVE" is a street name without an address number.
	if n == 1 && len(rest) == 1 && isOrdinal(w[0]) && tables.suffix[rest[0]] != "" {
		return parsedLine{kind: lineOther, main: w}
	}
	var unit []string
	if at := unitTail(rest); at > 0 {
		unit, _ = parseUnits(rest, at)
		rest = rest[:at]
	}
	main := append(append([]string(nil), number...), streetName(rest)...)
	return parsedLine{kind: lineStreet, main: main, unit: unit}
}

// streetName applies Pub 28 sections 233 and 234 to the words between the
// address number and the unit, parsing from the right as the publication
// does: an optional post-directional, then the suffix, then an optional
// pre-directional. Each is taken only if at least one word remains for the
// street name, so a directional or suffix word that is the whole name stays
// spelled out (NORTH ST, 100 AVENUE S), and only the last of two suffix
// words is abbreviated (PARK AVE). Two consecutive directional words that
// make a compass point (NORTH WEST, N W) become one directional (NW).
func streetName(w []string) []string {
	lo, hi := 0, len(w)
	var pre, suffix, post string
	if hi-lo >= 2 {
		if d := directional(w[hi-1]); d != "" {
			if c := compound(w[hi-2], d); c != "" && hi-lo >= 3 {
				post, hi = c, hi-2
			} else {
				post, hi = d, hi-1
			}
		}
	}
	if hi-lo >= 2 {
		if s := tables.suffix[w[hi-1]]; s != "" {
			suffix, hi = s, hi-1
		}
	}
	if hi-lo >= 2 {
		if d := directional(w[lo]); d != "" {
			if c := compound(d, w[lo+1]); c != "" && hi-lo >= 3 {
				pre, lo = c, lo+2
			} else {
				pre, lo = d, lo+1
			}
		}
	}
	out := make([]string, 0, hi-lo+3)
	if pre != "" {
		out = append(out, pre)
	}
	out = append(out, w[lo:hi]...)
	if suffix != "" {
		out = append(out, suffix)
	}
	if post != "" {
		out = append(out, post)
	}
	return out
}

// directionals are the eight directionals of Pub 28 section 233.
var directionals = map[string]string{
	"NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
	"NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
	"N": "N", "S": "S", "E": "E", "W": "W", "NE": "NE", "NW": "NW", "SE": "SE", "SW": "SW",
}

func directional(s string) string { return directionals[s] }

// compound joins a north/south and an east/west directional into one.
func compound(a, b string) string {
	a, b = directional(a), directional(b)
	if (a == "N" || a == "S") && (b == "E" || b == "W") {
		return a + b
	}
	return ""
}

// unitTail returns where the trailing secondary unit of the street words w
// starts, or 0 when there is none. It is the leftmost position, after at
// least one street word other than '#', from which every remaining word
// belongs to a unit (APT 4B, STE 100 FL 2, # 12). A designator that needs no number (REAR,
// PH) or stands without one counts only right after a suffix or
// directional, so 100 OCEAN FRONT and 12 KEY ST keep their names.
func unitTail(w []string) int {
	named := false // a street word other than '#' comes before at
	for at := 1; at < len(w); at++ {
		named = named || w[at-1] != "#"
		if !named || !isUnitStart(w, at) {
			continue
		}
		if _, n := parseUnits(w, at); n != len(w) {
			continue
		}
		if hasUnitRange(w, at) {
			return at
		}
		// KEY and TRAILER are suffixes as well as designators: without a
		// number, at the end, they are the suffix (12 SUGAR KEY).
		if d := skipPound(w, at); d == len(w)-1 && tables.suffix[w[d]] != "" {
			continue
		}
		if tables.suffix[w[at-1]] != "" || directional(w[at-1]) != "" {
			return at
		}
	}
	return 0
}

// isUnitStart reports whether w[i] opens a unit: a designator, a
// designator glued to its number (APT4B), or '#' before a number or a
// designator.
func isUnitStart(w []string, i int) bool {
	if w[i] == "#" {
		return i+1 < len(w) && (isRange(w[i+1]) || isDesignator(w[i+1]))
	}
	return isDesignator(w[i])
}

func isDesignator(word string) bool {
	if _, ok := tables.units[word]; ok {
		return true
	}
	_, _, ok := splitGlued(word)
	return ok
}

// skipPound returns i, or i+1 when w[i] is a '#' written before a
// designator (# APT 4), which Pub 28 section 213 drops.
func skipPound(w []string, i int) int {
	if w[i] == "#" && i+1 < len(w) && isDesignator(w[i+1]) {
		return i + 1
	}
	return i
}

// hasUnitRange reports whether the unit starting at w[i] has a number.
func hasUnitRange(w []string, i int) bool {
	i = skipPound(w, i)
	if _, _, ok := splitGlued(w[i]); ok {
		return true
	}
	j := i + 1
	if j < len(w) && w[j] == "#" && w[i] != "#" {
		j++
	}
	return j < len(w) && isRange(w[j])
}

// parseUnits standardises the units starting at w[i] and returns them with
// the index of the first word that is not part of a unit. Pub 28 section
// 213: the designator is abbreviated per Appendix C2, a '#' between a
// designator and its number is dropped, and '#' is kept (with a space) only
// when there is no designator.
func parseUnits(w []string, i int) ([]string, int) {
	var out []string
	for i < len(w) {
		word := w[i]
		if word == "#" {
			switch {
			case i+1 < len(w) && isRange(w[i+1]):
				out = append(out, "#", w[i+1])
				i += 2
				continue
			case i+1 < len(w) && isDesignator(w[i+1]):
				i++ // # APT 4 -> APT 4
				continue
			}
			break
		}
		if abbr, num, ok := splitGlued(word); ok {
			out = append(out, abbr, num)
			i++
			continue
		}
		d, ok := tables.units[word]
		if !ok {
			break
		}
		j := i + 1
		if j+1 < len(w) && w[j] == "#" && isRange(w[j+1]) {
			j++
		}
		switch {
		case j < len(w) && isRange(w[j]):
			out = append(out, d.abbr, w[j])
			i = j + 1
		case !d.ranged || i+1 == len(w) || isUnitStart(w, i+1):
			// A designator without its number: kept, but for those that
			// need one only where no number could follow (the end of the
			// line, or another unit).
			out = append(out, d.abbr)
			i++
		default:
			return out, i
		}
	}
	return out, i
}

// splitGlued splits a designator written together with its number
// (APT4B -> APT 4B, STE100 -> STE 100).
func splitGlued(word string) (abbr, num string, ok bool) {
	for i := 1; i < len(word); i++ {
		if word[i] >= '0' && word[i] <= '9' {
			d, found := tables.units[word[:i]]
			if !found || !d.ranged {
				return "", "", false
			}
			return d.abbr, word[i:], true
		}
		if word[i] < 'A' || word[i] > 'Z' {
			return "", "", false
		}
	}
	return "", "", false
}

// isRange reports whether a word can be a secondary range (unit number):
// it holds a digit (4B, 12-A) or is a single letter (APT B). NORTH, SOUTH,
// EAST and WEST count too, because as a street's directional they become
// the single letters N, S, E and W, and the unit must be found the same
// way before and after that.
func isRange(s string) bool {
	if s == "#" {
		return false
	}
	if hasDigit(s) {
		return true
	}
	return len(s) == 1 && s[0] >= 'A' && s[0] <= 'Z' || len(directional(s)) == 1
}

func isFraction(s string) bool {
	a, b, ok := strings.Cut(s, "/")
	return ok && allDigits(a) && allDigits(b)
}

func isOrdinal(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	switch s[i:] {
	case "ST", "ND", "RD", "TH":
		return true
	}
	return false
}

func hasPrefix(w, prefix []string) bool {
	if len(w) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if w[i] != p {
			return false
		}
	}
	return true
}
