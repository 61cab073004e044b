package address

import "strings"

// zipResult is a parsed US postal code.
type zipResult struct {
	zip5, zip4 string
	printed    string // ZIP5, ZIP5-ZIP4, or the input as given when invalid
	problem    string // why the ZIP cannot carry mail, "" if it can
	warning    string // something dropped that does not block mailing
}

// parseZIP validates a US ZIP Code: 5 digits, or ZIP+4 as 12345-6789,
// 123456789 or 12345 6789. A ZIP that lost its leading zero in a
// spreadsheet (2134 for 02134) is reported, never repaired: guessing a ZIP
// would send a notice to a place nobody said the person lives.
func parseZIP(raw string) zipResult {
	s := upperText(raw)
	if s == "" {
		return zipResult{problem: ProblemNoZIP}
	}
	digits, sep := s, ""
	if len(s) > 5 && (s[5] == '-' || s[5] == ' ') {
		digits, sep = s[:5]+s[6:], s[5:6]
	} else if len(s) > 4 && (s[4] == '-' || s[4] == ' ') && allDigits(s[:4]) {
		digits = s[:4] + s[5:]
	}
	digits = strings.TrimSuffix(digits, "-")
	if !allDigits(digits) {
		return zipResult{printed: s, problem: ProblemZIPShape}
	}
	var r zipResult
	switch n := len(digits); {
	case n == 5 || n == 9:
		r = zipResult{zip5: digits[:5], zip4: digits[5:]}
	case n >= 6 && n <= 8 && sep != "":
		// 12345-67: the add-on is broken but the ZIP itself is fine.
		r = zipResult{zip5: digits[:5], warning: WarningZIP4Dropped}
	case n == 3:
		// Puerto Rico and Virgin Islands ZIPs start with 00.
		return zipResult{printed: s, problem: ProblemZIPLeadingZeros}
	case n == 4:
		return zipResult{printed: s, problem: ProblemZIPLeadingZero}
	case n == 7 || n == 8:
		return zipResult{printed: s, problem: ProblemZIP4LeadingZero}
	default:
		return zipResult{printed: s, problem: ProblemZIPShape}
	}
	if r.zip5 == "00000" {
		return zipResult{printed: s, problem: ProblemZIPZero}
	}
	r.printed = r.zip5
	if r.zip4 != "" {
		r.printed += "-" + r.zip4
	}
	return r
}
