package jurisdiction

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrTrigger is wrapped by every error about the syntax of a triggers cell.
var ErrTrigger = errors.New("malformed triggers")

// Trigger is a parsed triggers cell: notice is required when every element of
// at least one combination was exposed.
type Trigger struct {
	// Combinations are the alternatives in table order; each lists its
	// elements in table order.
	Combinations [][]string
}

// ParseTrigger parses the triggers grammar
//
//	triggers    = combination { "|" combination }
//	combination = element { "+" element }
//	element     = [a-z][a-z0-9_]*   (at most 63 characters)
//
// Blanks around "|" and "+" are ignored. An element may appear once per
// combination and a combination (as a set) once per cell, because a repeat
// is always a typing mistake. Whether the elements are known is checked by
// Parse, not here, so this accepts any well-formed name.
func ParseTrigger(s string) (Trigger, error) {
	if strings.TrimSpace(s) == "" {
		return Trigger{}, fmt.Errorf("%w: empty; write combinations such as name+ssn | name+drivers_license", ErrTrigger)
	}
	var t Trigger
	var seen [][]string
	for i, part := range strings.Split(s, "|") {
		part = strings.TrimSpace(part)
		if part == "" {
			return Trigger{}, fmt.Errorf("%w: combination %d is empty; remove the extra \"|\"", ErrTrigger, i+1)
		}
		var combo []string
		for _, el := range strings.Split(part, "+") {
			el = strings.TrimSpace(el)
			switch {
			case el == "":
				return Trigger{}, fmt.Errorf("%w: combination %d (%q) has an empty element; join elements with a single \"+\"", ErrTrigger, i+1, part)
			case !elementRE.MatchString(el):
				return Trigger{}, fmt.Errorf("%w: combination %d: element %q must be lower-case letters, digits and \"_\", starting with a letter", ErrTrigger, i+1, el)
			case slices.Contains(combo, el):
				return Trigger{}, fmt.Errorf("%w: combination %d names %q twice", ErrTrigger, i+1, el)
			}
			combo = append(combo, el)
		}
		key := slices.Sorted(slices.Values(combo))
		for j, prev := range seen {
			if slices.Equal(prev, key) {
				return Trigger{}, fmt.Errorf("%w: combination %d repeats combination %d", ErrTrigger, i+1, j+1)
			}
		}
		seen = append(seen, key)
		t.Combinations = append(t.Combinations, combo)
	}
	return t, nil
}

// String returns the canonical text of t: combinations joined by " | ",
// elements by "+". ParseTrigger(t.String()) gives t back.
func (t Trigger) String() string {
	parts := make([]string, len(t.Combinations))
	for i, c := range t.Combinations {
		parts[i] = strings.Join(c, "+")
	}
	return strings.Join(parts, " | ")
}

// Triggered reports whether notice is required under r for a person whose
// exposed elements are the true entries of exposed, and which combinations
// (in table order, as text) are fully exposed. A missing or false entry
// counts as not exposed.
func (r Rule) Triggered(exposed map[string]bool) (bool, []string) {
	var hit []string
	for _, c := range r.Triggers.Combinations {
		all := true
		for _, el := range c {
			if !exposed[el] {
				all = false
				break
			}
		}
		if all {
			hit = append(hit, strings.Join(c, "+"))
		}
	}
	return len(hit) > 0, hit
}
