package synth

import (
	"fmt"
	"math/rand/v2"
)

// phoneBook gives every customer a unique fictional 10-digit US number
// AAA-555-LLLL. Small cases use only lines 0100-0199, the block reserved for
// fiction; larger ones need the whole exchange. Numbers are spread over area
// codes by a random affine permutation so neighbouring customers do not get
// neighbouring numbers.
type phoneBook struct {
	areas    []int64 // area codes customers get
	reserved int64   // area code no customer gets: for unmatched lookups
	perArea  uint64  // lines used per area code: 100 or 10000
	m, a, b  uint64  // slot(i) = (a*i + b) mod m
}

// areaCodes lists plausible NANP area codes 201-988: no N11 service codes, no
// N9X (reserved), no N00.
func areaCodes() []int64 {
	var out []int64
	for x := int64(201); x <= 988; x++ {
		d2, d3 := x/10%10, x%10
		if d2 == 9 || (d2 == 1 && d3 == 1) || (d2 == 0 && d3 == 0) {
			continue
		}
		out = append(out, x)
	}
	return out
}

// maxCustomers is bounded by the number of distinct fictional numbers.
func maxCustomers() int { return len(areaCodes()) * 10000 }

func newPhoneBook(rng *rand.Rand, n int) (phoneBook, error) {
	pb := phoneBook{areas: areaCodes(), reserved: 989, perArea: 100}
	if n > len(pb.areas)*100 {
		pb.perArea = 10000
	}
	pb.m = uint64(len(pb.areas)) * pb.perArea
	if uint64(n) > pb.m {
		return pb, fmt.Errorf("synth: at most %d customers are supported, got %d", pb.m, n)
	}
	for {
		pb.a = 1 + rng.Uint64N(pb.m-1)
		if gcd(pb.a, pb.m) == 1 {
			break
		}
	}
	pb.b = rng.Uint64N(pb.m)
	return pb, nil
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// number is customer i's 10-digit phone number.
func (pb *phoneBook) number(i int) int64 {
	slot := (pb.a*uint64(i) + pb.b) % pb.m
	area := pb.areas[slot%uint64(len(pb.areas))]
	idx := int64(slot / uint64(len(pb.areas)))
	var line int64
	switch {
	case idx < 100:
		line = 100 + idx // the 0100-0199 fiction block first
	case idx < 200:
		line = idx - 100
	default:
		line = idx
	}
	return area*10_000_000 + 555*10_000 + line
}

// unassigned is a well-formed number that belongs to no customer.
func (pb *phoneBook) unassigned(rng *rand.Rand) int64 {
	return pb.reserved*10_000_000 + 555*10_000 + 100 + rng.Int64N(100)
}

// Phone renderings. The customer table mixes three US styles; requests use
// the forms the API accepted.
func phoneParts(p int64) (area, exch, line int64) {
	return p / 10_000_000, p / 10_000 % 1000, p % 10_000
}

func formatPhoneCSV(p int64, style int) string {
	a, e, l := phoneParts(p)
	switch style {
	case 0:
		return fmt.Sprintf("(%03d) %03d-%04d", a, e, l)
	case 1:
		return fmt.Sprintf("%03d-%03d-%04d", a, e, l)
	default:
		return fmt.Sprintf("%03d.%03d.%04d", a, e, l)
	}
}

// Query forms of a phone number.
const (
	phoneQueryPlus1  = iota // %2B1AAAEEELLLL (URL-encoded +1)
	phoneQuery1             // 1AAAEEELLLL
	phoneQueryPlain         // AAAEEELLLL
	phoneQueryDotted        // AAA.EEE.LLLL
	phoneQueryForms
)

func formatPhoneQuery(p int64, form uint8) string {
	switch form {
	case phoneQueryPlus1:
		return fmt.Sprintf("%%2B1%010d", p)
	case phoneQuery1:
		return fmt.Sprintf("1%010d", p)
	case phoneQueryPlain:
		return fmt.Sprintf("%010d", p)
	default:
		a, e, l := phoneParts(p)
		return fmt.Sprintf("%03d.%03d.%04d", a, e, l)
	}
}
