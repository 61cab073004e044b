package synth

import (
	"math"
	"math/rand/v2"
	"slices"
)

// The attacker's behaviour, as shares. Together they give about 30% of
// customers exposed and every kind of in-scope request the reconciliation
// has to account for.
const (
	sweepShare         = 0.245 // customers in the sequential account sweep
	skipShare          = 0.05  // sweep accounts stepped over
	revisitShare       = 0.04  // swept accounts requested again later
	lineShare          = 0.08  // random phone lookups, as a share of customers
	unmatchedShare     = 0.02  // 200 for identifiers of no customer
	failShare          = 0.03  // 429, 500 or 404
	emptyShare         = 0.01  // 200 with an empty body
	retryShare         = 0.7   // failures retried at once
	probeShare         = 0.003 // stray requests to paths that are no endpoint
	stolenShare        = 0.03  // attacker IP with another app key
	partnerNormalShare = 0.01  // partner key from a normal-looking IP
	ipSwitchShare      = 0.02  // chance to rotate to another attacker IP
)

// step is one intended lookup of the attacker, before outcomes are rolled.
type step struct {
	act    action
	target int32
}

// planAttack lays out every attacker request in time order. All of them fall
// inside the scope window; the first is exactly at its start and the last one
// second before its end, so an off-by-one in the window changes the answer.
func planAttack(m *model) []event {
	rng := newRand(m.seed, streamAttack)
	evs := m.attackOutcomes(rng, m.attackSteps(rng))

	// The attacker probes the API a little: paths that are no endpoint.
	for _, form := range []uint8{probeHealth, probeLogin, probePostAccount, probeAccountUsage, probeAccountList} {
		evs = slices.Insert(evs, 1+rng.IntN(len(evs)), m.attackProbe(rng, form))
	}
	m.assignAttackIdentities(rng, evs)

	span := float64(windowEnd - 1 - windowStart)
	step := span / float64(len(evs))
	for k := range evs {
		switch k {
		case 0:
			evs[k].ts = windowStart
		case len(evs) - 1:
			evs[k].ts = windowEnd - 1
		default:
			evs[k].ts = windowStart + int64((float64(k)+rng.Float64())*step)
		}
	}
	return evs
}

// attackSteps interleaves a mostly sequential account sweep with random phone
// lookups and a few revisits, keeping each list's own order.
func (m *model) attackSteps(rng *rand.Rand) []step {
	n := m.n
	sweepLen := min(n, max(3, int(math.Round(sweepShare*float64(n)))))
	start := rng.IntN(n - sweepLen + 1)
	var sweep, revisits, lines []step
	for i := start; i < start+sweepLen; i++ {
		if i > start && rng.Float64() < skipShare {
			continue
		}
		sweep = append(sweep, step{actAccount, int32(i)})
		if rng.Float64() < revisitShare {
			revisits = append(revisits, step{actAccount, int32(i)})
		}
	}
	for range max(2, int(math.Round(lineShare*float64(n)))) {
		lines = append(lines, step{actLine, int32(rng.IntN(n))})
	}

	steps := []step{sweep[0]}
	lists := [][]step{sweep[1:], lines, revisits}
	total := len(sweep) - 1 + len(lines) + len(revisits)
	for ; total > 0; total-- {
		r := rng.IntN(total)
		for li := range lists {
			if r < len(lists[li]) {
				steps = append(steps, lists[li][0])
				lists[li] = lists[li][1:]
				break
			}
			r -= len(lists[li])
		}
	}
	return steps
}

// attackOutcomes turns steps into requests with their responses, adding
// unmatched lookups, stray probes, failures and retries. The first step is
// always a plain success: it sits on the window's start.
func (m *model) attackOutcomes(rng *rand.Rand, steps []step) []event {
	evs := make([]event, 0, len(steps)+len(steps)/10)
	for k, s := range steps {
		if k > 0 && rng.Float64() < unmatchedShare {
			evs = append(evs, m.unmatchedLookup(rng))
		}
		if k > 0 && rng.Float64() < probeShare {
			forms := []uint8{probeHealth, probeLogin, probePostAccount, probeAccountUsage, probeAccountList}
			evs = append(evs, m.attackProbe(rng, forms[rng.IntN(len(forms))]))
		}
		e := m.lookup(rng, s.act, s.target)
		r := rng.Float64()
		switch {
		case k > 0 && r < failShare:
			e.status = []uint16{429, 429, 500, 404}[rng.IntN(4)]
			e.bytes = errorBytes(e.status)
			evs = append(evs, e)
			if rng.Float64() < retryShare {
				evs = append(evs, m.lookup(rng, s.act, s.target))
			}
		case k > 0 && r < failShare+emptyShare:
			e.bytes = 0
			evs = append(evs, e)
		default:
			evs = append(evs, e)
		}
	}
	return evs
}

// lookup is a successful request for customer target through act.
func (m *model) lookup(rng *rand.Rand, act action, target int32) event {
	e := event{act: act, target: target, status: 200, bytes: successBytes(rng, act)}
	if act == actAccount {
		e.ident, e.form = m.account(int(target)), randomAccountForm(rng)
	} else {
		e.ident, e.form = m.phones.number(int(target)), uint8(rng.IntN(phoneQueryForms))
	}
	return e
}

// unmatchedLookup asks, successfully, for an identifier no customer has:
// an account number past the last one, or a number in the reserved area code.
func (m *model) unmatchedLookup(rng *rand.Rand) event {
	e := event{target: -1, status: 200}
	if rng.IntN(10) < 7 {
		e.act, e.form = actAccount, randomAccountForm(rng)
		e.ident = m.account(m.n) + int64(rng.IntN(max(50, m.n/50)))
	} else {
		e.act, e.form = actLine, uint8(rng.IntN(phoneQueryForms))
		e.ident = m.phones.unassigned(rng)
	}
	e.bytes = successBytes(rng, e.act)
	return e
}

func (m *model) attackProbe(rng *rand.Rand, form uint8) event {
	status := uint16(200)
	switch form {
	case probeLogin, probePostAccount:
		status = 401
	case probeAccountList, probeAccountUsage:
		status = 404
	}
	e := event{act: actProbe, form: form, target: -1, status: status, ident: m.account(rng.IntN(m.n))}
	if status == 200 {
		e.bytes = successBytes(rng, actProbe)
	} else {
		e.bytes = errorBytes(status)
	}
	return e
}

// assignAttackIdentities picks the IP and key of each request: one rotating
// attacker IP with the partner key most of the time, and a few requests that
// only one of the two indicators catches. At least one successful matched
// request carries each of those, so that "match: any" is really needed.
func (m *model) assignAttackIdentities(rng *rand.Rand, evs []event) {
	cur := 0
	for k := range evs {
		if rng.Float64() < ipSwitchShare {
			cur = rng.IntN(len(m.attackerIPs))
		}
		switch r := rng.Float64(); {
		case r < stolenShare:
			evs[k].client = m.stolenClient
		case r < stolenShare+partnerNormalShare:
			evs[k].client = m.partnerNormal
		default:
			evs[k].client = m.attackerIPs[cur]
		}
	}
	var hits []int
	stolen, partnerNormal := false, false
	for k, e := range evs {
		if e.target >= 0 && e.act != actProbe && e.status == 200 && e.bytes > 0 {
			hits = append(hits, k)
			stolen = stolen || e.client == m.stolenClient
			partnerNormal = partnerNormal || e.client == m.partnerNormal
		}
	}
	if !stolen {
		evs[hits[len(hits)/3]].client = m.stolenClient
	}
	if !partnerNormal {
		evs[hits[2*len(hits)/3]].client = m.partnerNormal
	}
}

// pickFormulaCustomer chooses the first customer a successful account
// lookup exposed, so the formula-injection plan value reaches the outputs.
func pickFormulaCustomer(evs []event) int {
	for _, e := range evs {
		if e.act == actAccount && e.target >= 0 && e.status == 200 && e.bytes > 0 {
			return int(e.target)
		}
	}
	return 0
}
