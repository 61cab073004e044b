package synth

import "math"

// Shapes of real customer data and APIs that make the resolve step hard
// (issue 4), each an option of its own. With every shape off the case is the
// default one, byte for byte: shape draws come from their own random
// streams, and planted relations are functions of customer indexes.
type shapes struct {
	multiTable, former, mixedFormats, ambiguous, endpoints bool
}

func (s shapes) any() bool {
	return s.multiTable || s.former || s.mixedFormats || s.ambiguous || s.endpoints
}

// Random streams of the shapes.
const (
	streamShapes = 0x6272656163680006 // per-customer formats, extra accounts' plans
	streamFormer = 0x6272656163680007 // former customers
	streamExtras = 0x6272656163680008 // the attacker's lookups of the shapes
)

// Planted relations of the shapes.
const (
	// householdEvery: customer i (i%householdEvery == householdAt) shares
	// the phone of customer i-1, a household line on two customer records.
	householdEvery = 59
	householdAt    = 31
	// maxAccounts is the most billing accounts a subscriber has.
	maxAccounts = 3
	// formerAccountBase numbers the former customers' closed accounts, far
	// from the current ones (10 digits starting with 9).
	formerAccountBase = 9_000_000_000
)

// customers is how many customer records the case has: current, then
// former ones (indexes n and up).
func (m *model) customers() int { return m.n + m.former }

func formerCount(n int) int { return max(5, n/10) }

// mix hashes a customer index (and a salt) to 64 random-looking bits, for
// per-customer facts that must be known before, and independent of, the
// customer table: how many accounts a subscriber has, say.
func (m *model) mix(i int, salt uint64) uint64 {
	x := m.seed*0x9E3779B97F4A7C15 ^ uint64(i)*0xBF58476D1CE4E5B9 ^ salt*0x94D049BB133111EB
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	return x ^ x>>31
}

// accountsOf is the number of billing accounts of current customer i: one
// in a single table; in multi-table cases 60% have one, 30% two, 10% three.
func (m *model) accountsOf(i int) int {
	if !m.shapes.multiTable || i >= m.n {
		return 1
	}
	switch h := m.mix(i, 1) % 10; {
	case h < 1:
		return 3
	case h < 4:
		return 2
	}
	return 1
}

// rowLacksAddress says account k of customer i has no billing address
// although the customer has one (a paperless line): a request naming that
// account returns no address.
func (m *model) rowLacksAddress(i, k int) bool { return k > 0 && m.mix(i*maxAccounts+k, 2)%4 == 0 }

// accountOf is account k of customer c: current customers' accounts are
// numbered from acctBase, one block of n per k; a former customer's is its
// closed account, or the current number it was reissued as.
func (m *model) accountOf(c, k int) int64 {
	if c >= m.n {
		j := c - m.n
		if cur, ok := m.reissued(j); ok {
			return m.account(cur)
		}
		return formerAccountBase + int64(j)
	}
	return m.acctBase + int64(k)*int64(m.n) + int64(c)
}

// accountBlocks is how many blocks of n account numbers current customers
// use: one, or one per account of a subscriber. Unmatched lookups ask for
// numbers past them.
func (m *model) accountBlocks() int64 {
	if m.shapes.multiTable {
		return maxAccounts
	}
	return 1
}

// householdPhone says customer i uses the phone of customer i-1. A planted
// duplicate is left alone: it is the same person already.
func (m *model) householdPhone(i int) bool {
	return m.shapes.ambiguous && i > 0 && i < m.n && i%householdEvery == householdAt && !isDuplicate(i)
}

// recycled says former customer j's phone number was given to a current
// customer since, and returns that customer.
func (m *model) recycled(j int) (int, bool) {
	return 2*j + 1, m.shapes.ambiguous && j < m.former && j%10 == 2 && 2*j+1 < m.n
}

// reissued says former customer j's account number was reissued to a
// current customer (written with other leading zeros), and returns it.
func (m *model) reissued(j int) (int, bool) {
	return 2 * j, m.shapes.ambiguous && j < m.former && j%10 == 4 && 2*j < m.n
}

// phoneOf is customer c's phone number.
func (m *model) phoneOf(c int) int64 {
	switch {
	case c >= m.n:
		if cur, ok := m.recycled(c - m.n); ok {
			return m.phoneOf(cur)
		}
	case m.householdPhone(c):
		return m.phones.number(c - 1)
	}
	return m.phones.number(c)
}

// phoneShared says another customer has c's phone number.
func (m *model) phoneShared(c int) bool {
	if c >= m.n {
		_, ok := m.recycled(c - m.n)
		return ok
	}
	if m.householdPhone(c) || m.householdPhone(c+1) {
		return true
	}
	_, ok := m.recycled((c - 1) / 2)
	return ok && c%2 == 1
}

// accountShared says another customer holds account k of customer c (with
// leading zeros ignored, as the case declares).
func (m *model) accountShared(c, k int) bool {
	if c >= m.n {
		_, ok := m.reissued(c - m.n)
		return ok
	}
	_, ok := m.reissued(c / 2)
	return ok && k == 0 && c%2 == 0
}

// emailShared says another customer has c's email in another letter case:
// a planted duplicate and the record it duplicates.
func (m *model) emailShared(c int) bool {
	if c >= m.n {
		return false
	}
	return m.facts[c]&factDuplicate != 0 || (c+1 < m.n && m.facts[c+1]&factDuplicate != 0)
}

// Elements a primary record holds when accounts live in their own table.
const primaryElements = elName | elEmail | elPhone | elDOB

// primaryRows is what customer c's primary record holds.
func (m *model) primaryRows(c int) uint8 {
	if m.shapes.multiTable && c < m.n {
		return m.present[c] & primaryElements
	}
	return m.present[c]
}

// accountRow is what account k of current customer c holds.
func (m *model) accountRow(c, k int) uint8 {
	if !m.shapes.multiTable || c >= m.n {
		return m.present[c]
	}
	row := elAccount | elPlan
	if m.present[c]&elAddress != 0 && !m.rowLacksAddress(c, k) {
		row |= elAddress
	}
	return row
}

// allRows is what every record of customer c holds together.
func (m *model) allRows(c int) uint8 {
	rows := m.primaryRows(c)
	for k := range m.accountsOf(c) {
		rows |= m.accountRow(c, k)
	}
	return rows
}

// Volumes of the attacker's lookups through the shapes' endpoints, as
// shares of the current (or former) customers.
const (
	idLookupShare       = 0.04  // by customer id
	emailLookupShare    = 0.04  // by email
	nobodyShare         = 0.005 // by an email or customer id nobody has, each
	billingShare        = 0.05  // billing lookups of a subscriber's second or third account
	billingGapShare     = 0.1   // of those, of an account number the subscriber does not have
	allAccountsShare    = 0.02  // all-accounts lookups
	formerPhoneShare    = 0.3   // of former customers, by phone
	formerAccountShare  = 0.1   // by account number
	formerIDLookupShare = 0.1   // by customer id
)

// shapeSteps are the attacker's lookups through the shapes' endpoints, of
// former customers, and of every planted ambiguous identifier, in random
// order. It also plans which customers' emails the logs need.
func (m *model) shapeSteps() []step {
	if !m.shapes.any() {
		return nil
	}
	rng := newRand(m.seed, streamExtras)
	n, sh := m.n, m.shapes
	count := func(share float64, of int) int { return max(1, int(math.Round(share*float64(of)))) }
	var out []step
	add := func(act action, c, k int) { out = append(out, step{act: act, target: int32(c), k: uint8(k)}) }
	if sh.endpoints {
		for range count(idLookupShare, n) {
			add(actCustomerID, rng.IntN(n), 0)
		}
		for range count(emailLookupShare, n) {
			add(actEmail, rng.IntN(n), 0)
		}
		for range count(nobodyShare, n) {
			out = append(out, step{act: actEmail, target: -1, arg: int32(rng.IntN(n))},
				step{act: actCustomerID, target: -1, arg: int32(rng.IntN(n))})
		}
	}
	if sh.multiTable {
		for range count(billingShare, n) {
			c := rng.IntN(n)
			for try := 0; try < 8 && m.accountsOf(c) == 1; try++ {
				c = rng.IntN(n)
			}
			k := 1 + rng.IntN(max(1, m.accountsOf(c)-1))
			if rng.Float64() < billingGapShare {
				k = m.accountsOf(c) + rng.IntN(maxAccounts-m.accountsOf(c)+1)
				if k >= maxAccounts {
					k = maxAccounts - 1
				}
			}
			add(actBilling, c, k)
		}
		for range count(allAccountsShare, n) {
			c := rng.IntN(n)
			add(actAllAccounts, c, rng.IntN(m.accountsOf(c)))
		}
	}
	if sh.former {
		for range count(formerPhoneShare, m.former) {
			add(actLine, n+rng.IntN(m.former), 0)
		}
		for range count(formerAccountShare, m.former) {
			add(actAccount, n+rng.IntN(m.former), 0)
		}
		if sh.endpoints {
			for range count(formerIDLookupShare, m.former) {
				add(actCustomerID, n+rng.IntN(m.former), 0)
			}
		}
	}
	if sh.ambiguous {
		for i := householdAt; i < n; i += householdEvery {
			if m.householdPhone(i) {
				add(actLine, i, 0)
			}
		}
		for j := range m.former {
			if _, ok := m.recycled(j); ok {
				add(actLine, n+j, 0)
			}
			if c, ok := m.reissued(j); ok {
				add(actAccount, c, 0)
			}
		}
		if sh.endpoints {
			for i := duplicateEvery; i < n; i += duplicateEvery {
				add(actEmail, i, 0) // a duplicate shares its original's email, when planted
			}
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	for _, s := range out {
		if s.act == actEmail && s.target >= 0 {
			if m.emails == nil {
				m.emails = map[int32]string{}
			}
			m.emails[s.target] = ""
		}
	}
	return out
}

// outcome is what resolving a successful request gives.
type outcome uint8

const (
	outMatched outcome = iota
	outAmbiguous
	outUnmatched
)

// resolve is the answer for one successful request: the customer it
// matched and what the records it returned hold (its primary record, the
// account it named, and all records where the endpoint returns them), or
// that it matched several customers or no one.
func (m *model) resolve(e *event) (int, uint8, outcome) {
	c := int(e.target)
	if c < 0 {
		return 0, 0, outUnmatched
	}
	switch e.act {
	case actLine:
		if m.phoneShared(c) {
			return c, 0, outAmbiguous
		}
		return c, m.primaryRows(c), outMatched
	case actEmail:
		switch {
		case m.present[c]&elEmail == 0:
			return c, 0, outUnmatched // the table has no email for this customer
		case m.emailShared(c):
			return c, 0, outAmbiguous
		}
		return c, m.primaryRows(c), outMatched
	case actCustomerID:
		return c, m.allRows(c), outMatched // every record of the customer carries the id
	}
	k := int(e.k)
	switch {
	case k >= m.accountsOf(c):
		return c, 0, outUnmatched
	case m.accountShared(c, k):
		return c, 0, outAmbiguous
	case e.act == actAllAccounts:
		return c, m.allRows(c), outMatched
	}
	return c, m.primaryRows(c) | m.accountRow(c, k), outMatched
}
