package synth

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
)

// tally computes the known answer while the logs are written, by applying
// the product's contract to each request as generated (not by reading the
// files back). Per customer it keeps only counters, so it stays small.
type tally struct {
	m        *model
	lines    int // physical log lines
	rejected int

	accepted, inScope, outOfScope, noEndpoint  int
	unsuccessful, successful, matched, unmatch int

	requests    []uint32
	first, last []uint32 // seconds since trafficStart
	exposed     []uint8  // elements returned by matched requests, before presence
}

func newTally(m *model) *tally {
	return &tally{
		m:        m,
		requests: make([]uint32, m.n),
		first:    make([]uint32, m.n),
		last:     make([]uint32, m.n),
		exposed:  make([]uint8, m.n),
	}
}

// add classifies one accepted request exactly as the contract says: scope is
// window AND (IP range OR key); then endpoint, success, match.
func (t *tally) add(e *event) {
	t.accepted++
	if e.ts < windowStart || e.ts >= windowEnd || !t.m.clients[e.client].indicator {
		t.outOfScope++
		return
	}
	t.inScope++
	elems := e.act.exposes()
	if elems == 0 {
		t.noEndpoint++
		return
	}
	if e.status < successMin || e.status > successMax || e.bytes < minBytes {
		t.unsuccessful++
		return
	}
	t.successful++
	if e.target < 0 {
		t.unmatch++
		return
	}
	t.matched++
	c, at := e.target, uint32(e.ts-trafficStart)
	if t.requests[c] == 0 || at < t.first[c] {
		t.first[c] = at
	}
	if at > t.last[c] {
		t.last[c] = at
	}
	t.requests[c]++
	t.exposed[c] |= elems
}

// elements is what customer i really lost: what the endpoints returned,
// limited to the values the customer has.
func (t *tally) elements(i int) uint8 { return t.exposed[i] & t.m.present[i] }

func (t *tally) summary() *Summary {
	s := &Summary{
		Seed:             t.m.seed,
		Customers:        t.m.n,
		LogLines:         t.lines,
		RejectedLines:    t.rejected,
		AcceptedRequests: t.accepted,
		InScope:          t.inScope,
		OutOfScope:       t.outOfScope,
		NoEndpoint:       t.noEndpoint,
		Unsuccessful:     t.unsuccessful,
		Successful:       t.successful,
		Matched:          t.matched,
		Unmatched:        t.unmatch,
	}
	s.ExposedPerElement = make(map[string]int, len(elementNames))
	for _, name := range elementNames {
		s.ExposedPerElement[name] = 0
	}
	for i := 0; i < t.m.n; i++ {
		if t.requests[i] == 0 {
			continue
		}
		s.MatchedCustomers++
		el := t.elements(i)
		if el == 0 {
			s.MatchedWithoutElements++
			continue
		}
		s.ExposedCustomers++
		for b, name := range elementNames {
			if el&(1<<b) != 0 {
				s.ExposedPerElement[name]++
			}
		}
	}
	return s
}

// writeExpected writes expected/exposed.csv and expected/summary.json.
func writeExpected(dir string, t *tally, s *Summary) error {
	err := writeFile(filepath.Join(dir, "exposed.csv"), func(w *bufferedFile) error {
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"customer_id", "elements", "requests", "first_exposed", "last_exposed"}); err != nil {
			return err
		}
		var names []string
		for i := 0; i < t.m.n; i++ {
			el := t.elements(i)
			if t.requests[i] == 0 || el == 0 {
				continue
			}
			names = names[:0]
			for b, name := range elementNames {
				if el&(1<<b) != 0 {
					names = append(names, name)
				}
			}
			err := cw.Write([]string{
				custID(i),
				strings.Join(names, "|"),
				strconv.FormatUint(uint64(t.requests[i]), 10),
				formatTS(trafficStart + int64(t.first[i])),
				formatTS(trafficStart + int64(t.last[i])),
			})
			if err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "summary.json"), func(w *bufferedFile) error {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	})
}
