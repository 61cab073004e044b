package scaffold

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Shapes of sample values. Guesses from values back up guesses from names;
// sample values themselves are never written anywhere (they may be PII).
var (
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$`)
	// A phone written for people: +, parentheses, spaces, dots or dashes
	// between 7 to 15 digits.
	phoneRE   = regexp.MustCompile(`^\+?[0-9(][0-9 ().-]{5,22}[0-9]$`)
	dateRE    = regexp.MustCompile(`^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[0-9]{8})$`)
	uuidRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	hexRE     = regexp.MustCompile(`^[0-9a-fA-F]{12,}$`)
	digitsRE  = regexp.MustCompile(`^[0-9]+$`)
	methodRE  = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)$`)
	letterRE  = regexp.MustCompile(`[A-Za-z]`)
	nonDigits = regexp.MustCompile(`[^0-9]`)
)

func isEmail(v string) bool { return emailRE.MatchString(v) }

// isPhone is a number written like a phone: digits with separators or a +;
// a bare run of digits is not enough (account numbers look the same).
func isPhone(v string) bool {
	if !phoneRE.MatchString(v) || isDate(v) {
		return false
	}
	d := len(nonDigits.ReplaceAllString(v, ""))
	return d >= 7 && d <= 15 && (strings.HasPrefix(v, "+") || strings.ContainsAny(v, " ().-"))
}

func isDate(v string) bool { return dateRE.MatchString(v) }

func isIP(v string) bool {
	if _, err := netip.ParseAddr(v); err == nil {
		return true
	}
	_, err := netip.ParseAddrPort(v)
	return err == nil
}

func isStatus(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 100 && n <= 599
}

func isMethod(v string) bool { return methodRE.MatchString(v) }

func isInt(v string) bool { return digitsRE.MatchString(v) || v == "-" }

func isPathLike(v string) bool { return strings.HasPrefix(v, "/") }

func isURLLike(v string) bool {
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://")
}

// timeLayouts are the textual time formats logs commonly use.
var timeLayouts = []struct {
	layout    string
	hasOffset bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04:05.999999999Z0700", true},
	{"02/Jan/2006:15:04:05 -0700", true}, // nginx/Apache, API Gateway requestTime
	{"2006-01-02 15:04:05.999999999 -0700", true},
	{"2006-01-02T15:04:05.999999999", false},
	{"2006-01-02 15:04:05.999999999", false},
}

// parseTime reads a log time: text in a common layout or epoch seconds or
// milliseconds. offset reports whether the text carried its own zone.
func parseTime(v string) (t time.Time, offset, ok bool) {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
		if f >= 1e11 {
			return time.UnixMilli(int64(f)).UTC(), true, true
		}
		return time.Unix(int64(f), 0).UTC(), true, true
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l.layout, v); err == nil {
			return t.UTC(), l.hasOffset, true
		}
	}
	return time.Time{}, false, false
}

func isTime(v string) bool {
	if isInt(v) && len(v) < 9 { // small numbers are counts, not epochs
		return false
	}
	_, _, ok := parseTime(v)
	return ok
}

// share returns the fraction of non-empty values for which pred holds, and
// how many values were non-empty.
func share(values []string, pred func(string) bool) (float64, int) {
	n, hit := 0, 0
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		n++
		if pred(v) {
			hit++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(hit) / float64(n), n
}

// unique reports whether the non-empty values are all distinct.
func unique(values []string) bool {
	seen := make(map[string]bool, len(values))
	for _, v := range values {
		if v == "" {
			continue
		}
		if seen[v] {
			return false
		}
		seen[v] = true
	}
	return len(seen) > 0
}
