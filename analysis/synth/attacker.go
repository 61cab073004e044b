package synth

import "math/rand/v2"

// The attacker's behaviour, as shares. Together with the sweep and phone
// lookup volumes (attackShares) they give the share of customers exposed
// and every kind of in-scope request the reconciliation has to account for.
const (
	skipShare          = 0.05  // sweep accounts stepped over
	revisitShare       = 0.04  // swept accounts requested again later
	unmatchedShare     = 0.02  // 200 for identifiers of no customer
	failShare          = 0.03  // 429, 500 or 404
	emptyShare         = 0.01  // 200 with an empty body
	retryShare         = 0.7   // failures retried at once
	probeShare         = 0.003 // stray requests to paths that are no endpoint
	stolenShare        = 0.03  // attacker IP with another app key
	partnerNormalShare = 0.01  // partner key from a normal-looking IP
	ipSwitchShare      = 0.02  // chance to rotate to another attacker IP
)

// lookup is a successful request through s's action for customer
// s.target (or, for a target of -1, for an identifier nobody has).
func (m *model) lookup(rng *rand.Rand, s step) event {
	e := event{act: s.act, target: s.target, k: s.k, status: 200, bytes: successBytes(rng, s.act)}
	switch {
	case s.act.byAccount():
		e.ident, e.form = m.accountOf(int(s.target), int(s.k)), randomAccountForm(rng)
	case s.act == actLine:
		forms := phoneQueryForms
		if m.shapes.mixedFormats {
			forms = allPhoneQueryForms
		}
		e.ident, e.form = m.phoneOf(int(s.target)), uint8(rng.IntN(forms))
	case s.act == actEmail && m.shapes.mixedFormats:
		e.form = uint8(rng.IntN(emailQueryForms))
	}
	if s.target < 0 {
		e.ident = int64(s.arg)
	}
	return e
}

// unmatchedLookup asks, successfully, for an identifier no customer has:
// an account number past the last one, or a number in the reserved area code.
func (m *model) unmatchedLookup(rng *rand.Rand) event {
	e := event{target: -1, status: 200}
	if rng.IntN(10) < 7 {
		e.act, e.form = actAccount, randomAccountForm(rng)
		e.ident = m.acctBase + int64(m.n)*m.accountBlocks() + int64(rng.IntN(max(50, m.n/50)))
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
