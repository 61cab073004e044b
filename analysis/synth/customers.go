package synth

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

var customerHeader = []string{
	"cust_id", "first_name", "last_name", "street", "unit", "city", "state", "zip",
	"country", "email", "phone", "dob", "account_no", "plan", "deceased",
}

// Shares of customers with a gap or an oddity. Real tables have holes; the
// answer must only count an element as exposed where a value exists.
const (
	noEmailShare   = 0.05
	noDOBShare     = 0.05
	noAddressShare = 0.03
	unitShare      = 0.12
	suffixShare    = 0.004
	nicknameShare  = 0.003
	minorShare     = 0.02
)

// writeCustomers writes the customer tables (customers.csv, or the
// multi-table files, and former customers) and records which elements
// each customer has a value for.
func writeCustomers(ctx context.Context, dir string, m *model) error {
	rng := newRand(m.seed, streamCustomers)
	m.present = make([]uint8, m.customers())
	m.facts = make([]uint8, m.customers())
	m.juris = make([]uint8, m.customers())
	stateTotal, planTotal := 0, 0
	for _, s := range states {
		stateTotal += s.weight
	}
	for _, p := range plans {
		planTotal += p.weight
	}
	tables, err := openCustomerTables(dir, m)
	if err != nil {
		return err
	}
	row := make([]string, len(customerHeader))
	prev := make([]string, len(customerHeader))
	for i := 0; i < m.n; i++ {
		if i%8192 == 0 {
			if err := ctx.Err(); err != nil {
				tables.abort()
				return err
			}
		}
		var email string
		m.present[i], email = m.customerRow(rng, i, row, stateTotal, planTotal)
		plantAbroad(i, row, m.present[i])
		var f uint8
		if i > 0 {
			var dup, near bool
			m.present[i], dup, near = plantRelations(i, row, prev, m.present[i], m.present[i-1])
			if dup {
				f |= factDuplicate
			}
			if near {
				f |= factNearMiss
			}
			if m.householdPhone(i) {
				keepApart(row, prev)
			}
		}
		row[14] = ""
		if isDeceased(i) {
			row[14] = "Y"
		}
		if row[11] >= "2005-01-07" { // under 18 on the reference date, 2023-01-06
			f |= factMinor
		}
		m.facts[i], m.juris[i] = f, jurisdictionIndex[jurisdictionOf(row)]
		if m.shapes.multiTable && m.present[i]&elAddress == 0 {
			m.juris[i] = jurisdictionIndex[noJurisdiction]
		}
		if _, ok := m.emails[int32(i)]; ok {
			// The table's value (a duplicate's is its original's), or the
			// address the attacker holds for a customer the table has
			// none for.
			m.emails[int32(i)] = cmp.Or(row[9], email)
		}
		if err := tables.write(i, row); err != nil {
			tables.abort()
			return err
		}
		copy(prev, row)
	}
	if err := tables.close(); err != nil {
		return err
	}
	if m.former > 0 {
		return writeFormer(ctx, dir, m)
	}
	return nil
}

// keepApart makes sure two customer records sharing a household phone do
// not also share name and date of birth, which would make them one person
// by the merge rules.
func keepApart(row, prev []string) {
	if row[1] == prev[1] && row[2] == prev[2] && row[11] != "" && row[11] == prev[11] {
		row[11] = "1970-07-15"
		if prev[11] == row[11] {
			row[11] = "1971-08-16"
		}
	}
}

// customerRow fills row for customer i and returns the elements present
// and the customer's email even when the table leaves it out. Every random
// draw happens whether or not its value is used, so a change in one share
// does not shift the values of all later customers.
func (m *model) customerRow(rng *rand.Rand, i int, row []string, stateTotal, planTotal int) (uint8, string) {
	present := elName | elPhone | elAccount | elPlan

	first := firstNames[rng.IntN(len(firstNames))]
	last := lastNames[rng.IntN(len(lastNames))]
	emailFirst, emailLast := first, last
	nick := nicknames[rng.IntN(len(nicknames))]
	suffix := nameSuffixes[rng.IntN(len(nameSuffixes))]
	rNick, rSuffix := rng.Float64(), rng.Float64()
	// Force one of each oddity near the top so small cases carry them too.
	if rNick < nicknameShare || i == 2 {
		first = fmt.Sprintf("%s %q", nick[0], nick[1])
		emailFirst = nick[0]
	}
	if i == 3 {
		last, emailLast = "O'Brien", "O'Brien"
	}
	if rSuffix < suffixShare || i == 1 {
		last = last + ", " + suffix
	}

	street := fmt.Sprintf("%d %s %s", 1+rng.IntN(9999), streetNames[rng.IntN(len(streetNames))],
		streetSuffixes[rng.IntN(len(streetSuffixes))])
	unit := ""
	unitPrefix, unitNo, unitLetter := unitPrefixes[rng.IntN(len(unitPrefixes))], 1+rng.IntN(40), 'A'+rune(rng.IntN(6))
	if rng.Float64() < unitShare {
		if unitPrefix == "Apt" {
			unit = fmt.Sprintf("Apt %d%c", unitNo, unitLetter)
		} else {
			unit = fmt.Sprintf("%s %d", unitPrefix, unitNo)
		}
	}
	city := cities[rng.IntN(len(cities))]
	state := pickState(rng.IntN(stateTotal))
	zip := fmt.Sprintf("%05d", 1001+rng.IntN(98949))
	if rng.Float64() < noAddressShare {
		street, unit, city, state, zip = "", "", "", "", ""
	} else {
		present |= elAddress
	}

	known := makeEmail(rng, emailFirst, emailLast, i)
	email := known
	if rng.Float64() < noEmailShare {
		email = ""
	} else {
		present |= elEmail
	}

	phone := formatPhoneCSV(m.phoneOf(i), rng.IntN(3))

	dob := randomDOB(rng)
	if rng.Float64() < noDOBShare {
		dob = ""
	} else {
		present |= elDOB
	}

	plan := pickPlan(rng.IntN(planTotal))
	if i == m.formulaCustomer {
		plan = formulaPlan
	}

	row[0], row[1], row[2], row[3], row[4] = m.custID(i), first, last, street, unit
	row[5], row[6], row[7], row[8], row[9] = city, state, zip, "US", email
	row[10], row[11], row[12], row[13] = phone, dob, fmt.Sprintf("%010d", m.account(i)), plan
	return present, known
}

func pickState(r int) string {
	for _, s := range states {
		if r < s.weight {
			return s.code
		}
		r -= s.weight
	}
	return states[len(states)-1].code
}

func pickPlan(r int) string {
	for _, p := range plans {
		if r < p.weight {
			return p.name
		}
		r -= p.weight
	}
	return plans[len(plans)-1].name
}

// randomDOB is mostly adults, with a few minors (born 2006-2012) so that
// notice rules for minors have someone to apply to.
func randomDOB(rng *rand.Rand) string {
	from, to := unix(1935, 1, 1), unix(2005, 1, 1)
	if rng.Float64() < minorShare {
		from, to = unix(2006, 1, 1), unix(2013, 1, 1)
	}
	day := rng.Int64N((to - from) / 86400)
	return time.Unix(from+day*86400, 0).UTC().Format("2006-01-02")
}

// makeEmail builds a unique address. The local part always ends with the
// customer's sequence number after a letter, so two customers can never
// share an address, whatever the case or domain.
func makeEmail(rng *rand.Rand, first, last string, i int) string {
	f, l := asciiLetters(first), asciiLetters(last)
	n := strconv.Itoa(i + 1)
	style, domain := rng.IntN(4), emailDomains[rng.IntN(len(emailDomains))]
	switch style {
	case 0: // John.Smith7@Example.com
		return f + "." + l + n + "@" + strings.ToUpper(domain[:1]) + domain[1:]
	case 1: // john.smith7@example.org
		return strings.ToLower(f+"."+l) + n + "@" + domain
	case 2: // JSmith7@example.net
		return f[:1] + l + n + "@" + domain
	default: // SMITH_JOHN7@EXAMPLE.NET
		return strings.ToUpper(l+"_"+f) + n + "@" + strings.ToUpper(domain)
	}
}

// asciiLetters keeps the letters of a name usable in an email address,
// folding the few accented letters of the built-in lists.
func asciiLetters(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == 'é' || r == 'ë':
			b.WriteRune('e')
		case r == 'ñ':
			b.WriteRune('n')
		case r == 'ó':
			b.WriteRune('o')
		}
	}
	return b.String()
}
