package casefile

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is returned (wrapped) for every case file that fails validation.
var ErrInvalid = errors.New("invalid case file")

// Problem is one thing wrong with a case file, located by line and key.
type Problem struct {
	Line int
	Key  string
	Msg  string
}

// Problems is every problem found in one case file; validation reports them
// all at once so the analyst fixes the file in one pass.
type Problems struct {
	File  string
	Items []Problem
}

// Error lists each problem on its own line as file:line: key: message.
func (p *Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s):", p.File, len(p.Items))
	for _, it := range p.Items {
		b.WriteString("\n  ")
		b.WriteString(p.File)
		if it.Line > 0 {
			fmt.Fprintf(&b, ":%d", it.Line)
		}
		if it.Key != "" {
			b.WriteString(": ")
			b.WriteString(it.Key)
		}
		b.WriteString(": ")
		b.WriteString(it.Msg)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (p *Problems) Unwrap() error { return ErrInvalid }

// suggest returns ` (did you mean "x"?)` for the candidate nearest to got, or "".
func suggest(got string, candidates []string) string {
	best, bestDist := "", 1<<30
	lower := strings.ToLower(got)
	for _, c := range candidates {
		// "phone_number" for "phone": a longer or shorter form of a valid name.
		if len(c) >= 4 && len(lower) >= 4 && (strings.HasPrefix(lower, c) || strings.HasPrefix(c, lower)) {
			return fmt.Sprintf(" (did you mean %q?)", c)
		}
	}
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(got), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	// Only suggest when the typo is plausibly a typo, not a different word.
	if best == "" || bestDist > max(2, len(best)/3) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
