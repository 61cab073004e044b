package synth

import (
	"iter"
	"math"
	"math/rand/v2"
)

// The attacker's plan. A large case has tens of millions of attacker
// requests, too many to hold, so the plan is a pipeline of generators:
// steps (the lookups the attacker intends), outcomes (responses, failures,
// retries, stray lookups), a few probes at fixed places, identities (which
// IP and key send each request) and times. Each stage draws from the attack
// stream where the stage before it left off. Planning runs the stages once
// to learn those points and the counts later stages need, keeping copies of
// the random state (a PCG is two words); the log writer then replays the
// whole pipeline. The draws are the ones a plan built in memory would make,
// in the same order, so the files do not depend on how the plan is held.

// step is one intended lookup of the attacker, before outcomes are rolled:
// of customer target (through its account k), or with a target of -1 of
// an identifier nobody has, made up from arg.
type step struct {
	act    action
	k      uint8
	target int32
	arg    int32
}

// placedProbe is a probe request and its index in the final plan.
type placedProbe struct {
	at int
	e  event
}

// attackPlan is everything needed to replay the attacker's requests.
type attackPlan struct {
	m *model

	start, sweepLen, lineCount int
	sweeps, revisits           int // steps in the sweep (the first one included) and revisits
	// extras are the lookups through the shapes' endpoints and of their
	// planted identifiers (shapes.go), few enough to hold.
	extras []step

	// Random states where each stage starts.
	sweepAt, linesAt, interleaveAt, outcomesAt, identitiesAt, timesAt rand.PCG

	probes []placedProbe // by index
	total  int           // requests in all

	// Successful matched requests, and whether the identity draws gave one
	// to each of the two identities only one indicator catches.
	hits                  int
	stolen, partnerNormal bool
	// formula is the first customer a successful account lookup exposed.
	formula int
}

// planAttack lays out the attacker's requests: all of them fall inside the
// scope window; the first is exactly at its start and the last one second
// before its end, so an off-by-one in the window changes the answer.
func planAttack(m *model) *attackPlan {
	n := m.n
	p := &attackPlan{m: m, formula: 0}
	src := rand.NewPCG(m.seed, streamAttack)
	rng := rand.New(src)

	p.sweepLen = min(n, max(3, int(math.Round(m.shares.sweep*float64(n)))))
	p.lineCount = max(2, int(math.Round(m.shares.lines*float64(n))))
	p.start = rng.IntN(n - p.sweepLen + 1)
	p.extras = m.shapeSteps()
	p.sweepAt = *src
	sw := p.sweepCursor(src, false)
	for sw.next() >= 0 {
		p.sweeps++
	}
	p.revisits = sw.revisits
	p.linesAt = *src
	for range p.lineCount {
		rng.IntN(n)
	}
	p.interleaveAt = *src
	for total := p.sweeps - 1 + p.lineCount + p.revisits + len(p.extras); total > 0; total-- {
		rng.IntN(total)
	}
	p.outcomesAt = *src

	// The outcomes stage continues the stream itself; the probes follow it.
	count := 0
	for range p.outcomes(rng) {
		count++
	}
	// The attacker probes the API a little: paths that are no endpoint,
	// each put at a random place of the plan so far.
	for _, form := range []uint8{probeHealth, probeLogin, probePostAccount, probeAccountUsage, probeAccountList} {
		at := 1 + rng.IntN(count)
		for k := range p.probes {
			if p.probes[k].at >= at {
				p.probes[k].at++
			}
		}
		p.probes = append(p.probes, placedProbe{at: at, e: m.attackProbe(rng, form)})
		count++
	}
	sortProbes(p.probes)
	p.total = count
	p.identitiesAt = *src

	p.formula = -1
	for e := range p.identities(rng, p.withProbes(p.outcomes(p.rand(p.outcomesAt))), false) {
		if e.target >= 0 && e.act != actProbe && e.status == 200 && e.bytes > 0 {
			p.hits++
			p.stolen = p.stolen || e.client == m.stolenClient
			p.partnerNormal = p.partnerNormal || e.client == m.partnerNormal
			if p.formula < 0 && e.act == actAccount && int(e.target) < n && !m.accountShared(int(e.target), 0) {
				p.formula = int(e.target)
			}
		}
	}
	p.formula = max(p.formula, 0)
	p.timesAt = *src
	return p
}

// rand returns a generator starting at a saved state, leaving it unchanged.
func (p *attackPlan) rand(at rand.PCG) *rand.Rand { return rand.New(&at) }

func sortProbes(ps []placedProbe) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].at < ps[j-1].at; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// events replays the attacker's requests in time order.
func (p *attackPlan) events() iter.Seq[event] {
	return p.times(p.identities(p.rand(p.identitiesAt), p.withProbes(p.outcomes(p.rand(p.outcomesAt))), true))
}

// sweepCursor walks the sequential account sweep: some accounts are stepped
// over, and some swept ones are marked for a revisit later. With revisitOnly
// it yields only those. It draws from src as the sweep does.
type sweepCursor struct {
	rng         *rand.Rand
	i, start    int
	end         int
	revisitOnly bool
	revisits    int
}

func (p *attackPlan) sweepCursor(src *rand.PCG, revisitOnly bool) *sweepCursor {
	return &sweepCursor{rng: rand.New(src), i: p.start, start: p.start, end: p.start + p.sweepLen, revisitOnly: revisitOnly}
}

// next returns the next customer, or -1 at the end.
func (c *sweepCursor) next() int {
	for ; c.i < c.end; c.i++ {
		if c.i > c.start && c.rng.Float64() < skipShare {
			continue
		}
		revisit := c.rng.Float64() < revisitShare
		if revisit {
			c.revisits++
		}
		if revisit || !c.revisitOnly {
			c.i++
			return c.i - 1
		}
	}
	return -1
}

// steps yields the attacker's lookups: the first sweep step, then the
// sweep, random phone lookups, the revisits and the shapes' lookups
// interleaved at random, each list in its own order.
func (p *attackPlan) steps(yield func(step) bool) {
	sweepAt, revisitAt, linesAt := p.sweepAt, p.sweepAt, p.linesAt
	sweep, revisits := p.sweepCursor(&sweepAt, false), p.sweepCursor(&revisitAt, true)
	lines := rand.New(&linesAt)
	if !yield(step{act: actAccount, target: int32(sweep.next())}) {
		return
	}
	left := []int{p.sweeps - 1, p.lineCount, p.revisits, len(p.extras)}
	next := []func() step{
		func() step { return step{act: actAccount, target: int32(sweep.next())} },
		func() step { return step{act: actLine, target: int32(lines.IntN(p.m.n))} },
		func() step { return step{act: actAccount, target: int32(revisits.next())} },
		func() step { return p.extras[len(p.extras)-left[3]-1] },
	}
	rng := p.rand(p.interleaveAt)
	for total := left[0] + left[1] + left[2] + left[3]; total > 0; total-- {
		r := rng.IntN(total)
		for li := range left {
			if r < left[li] {
				left[li]--
				if !yield(next[li]()) {
					return
				}
				break
			}
			r -= left[li]
		}
	}
}

// outcomes turns steps into requests with their responses, adding
// unmatched lookups, stray probes, failures and retries. The first step is
// always a plain success: it sits on the window's start.
func (p *attackPlan) outcomes(rng *rand.Rand) iter.Seq[event] {
	m := p.m
	return func(yield func(event) bool) {
		k := -1
		for s := range p.steps {
			k++
			if k > 0 && rng.Float64() < unmatchedShare {
				if !yield(m.unmatchedLookup(rng)) {
					return
				}
			}
			if k > 0 && rng.Float64() < probeShare {
				forms := []uint8{probeHealth, probeLogin, probePostAccount, probeAccountUsage, probeAccountList}
				if !yield(m.attackProbe(rng, forms[rng.IntN(len(forms))])) {
					return
				}
			}
			e := m.lookup(rng, s)
			r := rng.Float64()
			switch {
			case k > 0 && r < failShare:
				e.status = []uint16{429, 429, 500, 404}[rng.IntN(4)]
				e.bytes = errorBytes(e.status)
				if !yield(e) {
					return
				}
				if rng.Float64() < retryShare {
					e = m.lookup(rng, s)
				} else {
					continue
				}
			case k > 0 && r < failShare+emptyShare:
				e.bytes = 0
			}
			if !yield(e) {
				return
			}
		}
	}
}

// withProbes puts the planned probes at their places.
func (p *attackPlan) withProbes(evs iter.Seq[event]) iter.Seq[event] {
	return func(yield func(event) bool) {
		at, pi := 0, 0
		probes := func() bool {
			for ; pi < len(p.probes) && p.probes[pi].at == at; pi++ {
				if !yield(p.probes[pi].e) {
					return false
				}
				at++
			}
			return true
		}
		for e := range evs {
			if !probes() || !yield(e) {
				return
			}
			at++
		}
		probes()
	}
}

// identities picks the IP and key of each request: one rotating attacker
// IP with the partner key most of the time, and a few requests that only
// one of the two indicators catches. With fix, at least one successful
// matched request carries each of those (the hits a third and two thirds
// of the way), so that "match: any" is really needed.
func (p *attackPlan) identities(rng *rand.Rand, evs iter.Seq[event], fix bool) iter.Seq[event] {
	m := p.m
	return func(yield func(event) bool) {
		cur, h := 0, 0
		for e := range evs {
			if rng.Float64() < ipSwitchShare {
				cur = rng.IntN(len(m.attackerIPs))
			}
			switch r := rng.Float64(); {
			case r < stolenShare:
				e.client = m.stolenClient
			case r < stolenShare+partnerNormalShare:
				e.client = m.partnerNormal
			default:
				e.client = m.attackerIPs[cur]
			}
			if fix && e.target >= 0 && e.act != actProbe && e.status == 200 && e.bytes > 0 {
				if !p.stolen && h == p.hits/3 {
					e.client = m.stolenClient
				}
				if !p.partnerNormal && h == 2*p.hits/3 {
					e.client = m.partnerNormal
				}
				h++
			}
			if !yield(e) {
				return
			}
		}
	}
}

// times spreads the requests evenly over the scope window, one to a slot.
func (p *attackPlan) times(evs iter.Seq[event]) iter.Seq[event] {
	return func(yield func(event) bool) {
		rng := p.rand(p.timesAt)
		step := float64(windowEnd-1-windowStart) / float64(p.total)
		k := 0
		for e := range evs {
			switch k {
			case 0:
				e.setTime(windowStart)
			case p.total - 1:
				e.setTime(windowEnd - 1)
			default:
				e.setTime(windowStart + int64((float64(k)+rng.Float64())*step))
			}
			k++
			if !yield(e) {
				return
			}
		}
	}
}
