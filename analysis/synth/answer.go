package synth

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// tally computes the known answer while the logs are written, by applying
// the product's contract to each request as generated (not by reading the
// files back). Per customer it keeps one packed word, so a hundred million
// customers take 800 MB.
type tally struct {
	m        *model
	lines    int // physical log lines
	rejected int

	accepted, inScope, outOfScope, noEndpoint             int
	unsuccessful, successful, matched, ambiguous, unmatch int

	cust []exposure
	// overflow is the first customer whose request count did not fit.
	overflow int
}

// exposure is one customer's answer packed in 64 bits: the elements
// exposed (values the customer has, returned by a matched request), the
// matched requests, and the first and last of them in seconds since the
// scope window's start (all matched requests fall inside it; the window's
// 42 days need 22 bits).
type exposure uint64

const (
	expElemBits  = 7
	expCountBits = 13
	expTimeBits  = 22
	maxRequests  = 1<<expCountBits - 1
)

func (x exposure) elements() uint8  { return uint8(x & (1<<expElemBits - 1)) }
func (x exposure) requests() uint32 { return uint32(x>>expElemBits) & maxRequests }
func (x exposure) first() uint32 {
	return uint32(x>>(expElemBits+expCountBits)) & (1<<expTimeBits - 1)
}
func (x exposure) last() uint32 { return uint32(x >> (expElemBits + expCountBits + expTimeBits)) }

func packExposure(elements uint8, requests, first, last uint32) exposure {
	return exposure(elements) | exposure(requests)<<expElemBits |
		exposure(first)<<(expElemBits+expCountBits) | exposure(last)<<(expElemBits+expCountBits+expTimeBits)
}

func newTally(m *model) *tally {
	return &tally{m: m, cust: make([]exposure, m.customers()), overflow: -1}
}

// add classifies one accepted request exactly as the contract says: scope is
// window AND (IP range OR key); then endpoint, success, match.
func (t *tally) add(e *event) {
	t.accepted++
	ts := e.time()
	if ts < windowStart || ts >= windowEnd || !t.m.clients[e.client].indicator {
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
	c, rows, res := t.m.resolve(e)
	switch res {
	case outUnmatched:
		t.unmatch++
		return
	case outAmbiguous:
		t.ambiguous++
		return
	}
	t.matched++
	t.expose(c, uint32(ts-windowStart), elems&rows)
}

// expose counts a matched request for customer c at seconds since the
// window's start, which returned the values got. Like the product's
// evidence, first and last exposure are taken over the requests that
// returned a value.
func (t *tally) expose(c int, at uint32, got uint8) {
	x := t.cust[c]
	n, first, last := x.requests(), x.first(), x.last()
	if n == maxRequests {
		if t.overflow < 0 {
			t.overflow = c
		}
		return
	}
	if got != 0 {
		if x.elements() == 0 || at < first {
			first = at
		}
		last = max(last, at)
	}
	t.cust[c] = packExposure(x.elements()|got, n+1, first, last)
}

// elements is what customer i really lost: what the endpoints returned,
// limited to the values the customer has.
func (t *tally) elements(i int) uint8 { return t.cust[i].elements() }

func (t *tally) summary() (*Summary, error) {
	if t.overflow >= 0 {
		return nil, fmt.Errorf("synth: customer %s got more than %d matched requests, more than the answer counts", t.m.custID(t.overflow), maxRequests)
	}
	s := &Summary{
		Seed:             t.m.seed,
		Customers:        t.m.customers(),
		LogLines:         t.lines,
		RejectedLines:    t.rejected,
		AcceptedRequests: t.accepted,
		InScope:          t.inScope,
		OutOfScope:       t.outOfScope,
		NoEndpoint:       t.noEndpoint,
		Unsuccessful:     t.unsuccessful,
		Successful:       t.successful,
		Matched:          t.matched,
		Ambiguous:        t.ambiguous,
		Unmatched:        t.unmatch,
	}
	s.ExposedPerElement = make(map[string]int, len(elementNames))
	for _, name := range elementNames {
		s.ExposedPerElement[name] = 0
	}
	for i := range t.m.customers() {
		if t.cust[i].requests() == 0 {
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
	return s, nil
}

// writeExpected writes expected/exposed.csv and expected/summary.json.
func writeExpected(dir string, t *tally, s *Summary) error {
	err := writeFile(filepath.Join(dir, "exposed.csv"), func(w *bufferedFile) error {
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"customer_id", "elements", "requests", "first_exposed", "last_exposed"}); err != nil {
			return err
		}
		var names []string
		for i := range t.m.customers() {
			x := t.cust[i]
			el := x.elements()
			if el == 0 {
				continue
			}
			names = names[:0]
			for b, name := range elementNames {
				if el&(1<<b) != 0 {
					names = append(names, name)
				}
			}
			err := cw.Write([]string{
				t.m.custID(i),
				strings.Join(names, "|"),
				strconv.FormatUint(uint64(x.requests()), 10),
				formatTS(windowStart + int64(x.first())),
				formatTS(windowStart + int64(x.last())),
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

// writeAnswerParquet writes expected/exposed.parquet from exposed.csv: the
// same rows and columns, typed the way the product's
// data/exposed_customers.parquet is (elements a list, times TIMESTAMP in
// UTC), so a benchmark can compare the two with one query. DuckDB streams
// the CSV into the file, so a case of any size needs little memory.
func writeAnswerParquet(ctx context.Context, dir string) error {
	db, conn, err := openScratch(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET memory_limit = '1GB'"); err != nil {
		return err
	}
	query := `SELECT customer_id, string_split(elements, '|') AS elements, requests, first_exposed, last_exposed
		FROM read_csv(` + sqlString(filepath.Join(dir, "exposed.csv")) + `, header = true, auto_detect = false,
		  timestampformat = '%Y-%m-%dT%H:%M:%SZ',
		  columns = {'customer_id': 'VARCHAR', 'elements': 'VARCHAR', 'requests': 'BIGINT',
		    'first_exposed': 'TIMESTAMP', 'last_exposed': 'TIMESTAMP'})`
	return copyToParquet(ctx, conn, query, filepath.Join(dir, "exposed.parquet"))
}
