package synth

import (
	"fmt"
	"math/rand/v2"
)

// trafficGen yields the legitimate clients' requests in time order, one at a
// time, so the log size is not bounded by memory. None of it is in scope:
// legitimate clients never use the attacker's range or the partner key.
type trafficGen struct {
	m     *model
	rng   *rand.Rand
	total int
	k     int
	step  float64
}

// normalVolume is the number of legitimate requests: by default about two
// lookups per customer over the period, plus a floor so small cases still
// fill each day; with a log-line target, whatever the attacker's requests
// and the planted bad lines leave of it.
func (m *model) normalVolume(attackRequests int) (int, error) {
	if m.logLines == 0 {
		return 2*m.n + 1000, nil
	}
	normal := m.logLines - attackRequests - len(injections)
	if normal < 0 {
		return 0, fmt.Errorf("synth: %d log lines are too few: the attacker alone makes %d requests and %d lines are planted bad ones; ask for at least %d",
			m.logLines, attackRequests, len(injections), attackRequests+len(injections))
	}
	return normal, nil
}

func newTrafficGen(m *model, total int) *trafficGen {
	return &trafficGen{
		m:     m,
		rng:   newRand(m.seed, streamTraffic),
		total: total,
		step:  float64(trafficEnd-trafficStart) / float64(total),
	}
}

// next returns the next request, or false when there are no more. Each
// request gets a time in its own slot of the period, so times never go back.
func (g *trafficGen) next() (event, bool) {
	if g.k >= g.total {
		return event{}, false
	}
	ts := trafficStart + int64((float64(g.k)+g.rng.Float64())*g.step)
	g.k++
	e := g.m.normalRequest(g.rng)
	e.setTime(ts)
	return e, true
}

// normalRequest is one legitimate request without its time.
func (m *model) normalRequest(rng *rand.Rand) event {
	cl := uint16(rng.IntN(normalClientCount))
	var e event
	switch r := rng.IntN(100); {
	case r < 47:
		e = m.lookup(rng, step{act: actAccount, target: int32(rng.IntN(m.n))})
	case r < 92:
		e = m.lookup(rng, step{act: actLine, target: int32(rng.IntN(m.n))})
	default:
		forms := []uint8{probeHealth, probeHealth, probeLogin, probeLogin, probePlans, probeAccountUsage}
		e = m.attackProbe(rng, forms[rng.IntN(len(forms))])
		if e.form == probeLogin { // legitimate users know their password
			e.status, e.bytes = 200, successBytes(rng, actProbe)
		}
	}
	e.client = cl
	if e.act != actProbe {
		switch r := rng.IntN(1000); {
		case r < 30:
			e.status = 404
		case r < 45:
			e.status = 429
		case r < 55:
			e.status = 500
		case r < 65:
			e.status = 401
		}
		if e.status != 200 {
			e.bytes = errorBytes(e.status)
		}
	}
	return e
}
