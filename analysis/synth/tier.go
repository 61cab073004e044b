package synth

import (
	"fmt"
	"math"
	"strings"
)

// tier is a preset case size for tests and benchmarks (issue 8): the
// customers, the log lines the case holds in all, and the share of
// customers the attacker exposes.
type tier struct {
	name         string
	customers    int
	logLines     int
	exposedShare float64
}

// tiers are the sizes of the performance issue, smallest first. S keeps
// the default case's share (about 30%); M and up have the carrier case's 37
// million of 100 million.
var tiers = []tier{
	{"S", 10_000, 100_000, 0.30},
	{"M", 1_000_000, 10_000_000, 0.37},
	{"L", 10_000_000, 50_000_000, 0.37},
	{"XL", 100_000_000, 300_000_000, 0.37},
}

// Tiers are the names Options.Tier accepts, smallest first.
var Tiers = func() []string {
	var out []string
	for _, t := range tiers {
		out = append(out, t.name)
	}
	return out
}()

func findTier(name string) (tier, error) {
	for _, t := range tiers {
		if strings.EqualFold(t.name, name) {
			return t, nil
		}
	}
	return tier{}, fmt.Errorf("synth: unknown tier %q; tiers: %s", name, strings.Join(Tiers, ", "))
}

// attackShares are the attacker's two lookup volumes, as shares of the
// customers: the sequential account sweep and the random phone lookups.
type attackShares struct {
	sweep, lines float64
}

// defaultShares give the default case about 29% of customers exposed.
// They are fixed: changing them changes every default case byte for byte.
var defaultShares = attackShares{sweep: 0.245, lines: 0.08}

// sharesFor returns the sweep share that, with the default phone lookups,
// exposes about target of the customers. A swept account is exposed unless
// it was stepped over or its request failed without a retry or came back
// empty; a customer outside the sweep is exposed when at least one random
// phone lookup hits them (Poisson: 1 - e^-lines).
func sharesFor(target float64) attackShares {
	success := 1 - failShare*(1-retryShare) - emptyShare
	hitByLines := 1 - math.Exp(-defaultShares.lines*success)
	swept := (target - hitByLines) / (1 - hitByLines)
	return attackShares{sweep: swept / success / (1 - skipShare), lines: defaultShares.lines}
}
