package synth

import (
	"fmt"
	"math/rand/v2"
)

// phoneBook gives every customer a unique fictional 10-digit US number.
// Small cases use only lines AAA-555-0100..0199, the block reserved for
// fiction; larger ones need the whole 555 exchange (about 7 million numbers
// over the area codes). Beyond that, up to MaxCustomers, numbers come from
// exchanges 100-199 (AAA-1XX-LLLL): a North American exchange starts with
// 2-9, so no real line can ever have such a number, and every format of
// the number still reads as one. Numbers are spread over area codes by a
// random affine permutation so neighbouring customers do not get
// neighbouring numbers.
type phoneBook struct {
	areas    []int64 // area codes customers get
	reserved int64   // area code no customer gets: for unmatched lookups
	perArea  uint64  // numbers used per area code: 100, 10000, or 10000 + 1,000,000
	m, a, b  uint64  // slot(i) = (a*i + b) mod m
}

// Numbers per area code in each part of the book.
const (
	fictionBlock  = 100       // 555-0100..0199
	exchange555   = 10_000    // all of 555
	neverAssigned = 1_000_000 // exchanges 100-199
)

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

func newPhoneBook(rng *rand.Rand, n int) (phoneBook, error) {
	pb := phoneBook{areas: areaCodes(), reserved: 989, perArea: fictionBlock}
	switch areas := len(pb.areas); {
	case n > areas*exchange555:
		pb.perArea = exchange555 + neverAssigned
	case n > areas*fictionBlock:
		pb.perArea = exchange555
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
	exchange, line := int64(555), idx
	switch {
	case idx < 100:
		line = 100 + idx // the 0100-0199 fiction block first
	case idx < 200:
		line = idx - 100
	case idx >= exchange555:
		exchange, line = 100+(idx-exchange555)/10_000, (idx-exchange555)%10_000
	}
	return area*10_000_000 + exchange*10_000 + line
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

// formatPhoneCSV writes a phone number in one of phoneCSVStyles styles; the
// default case uses the first three.
func formatPhoneCSV(p int64, style int) string {
	a, e, l := phoneParts(p)
	switch style {
	case 0:
		return fmt.Sprintf("(%03d) %03d-%04d", a, e, l)
	case 1:
		return fmt.Sprintf("%03d-%03d-%04d", a, e, l)
	case 3:
		return fmt.Sprintf("+1 %03d %03d %04d", a, e, l)
	case 4:
		return fmt.Sprintf("1%010d", p)
	case 5:
		return fmt.Sprintf("+1-%03d-%03d-%04d", a, e, l)
	case 6:
		return fmt.Sprintf("%010d", p)
	default:
		return fmt.Sprintf("%03d.%03d.%04d", a, e, l)
	}
}

const phoneCSVStyles = 7

// Query forms of a phone number. The default case uses the first
// phoneQueryForms; mixed formats all of them.
const (
	phoneQueryPlus1  = iota // %2B1AAAEEELLLL (URL-encoded +1)
	phoneQuery1             // 1AAAEEELLLL
	phoneQueryPlain         // AAAEEELLLL
	phoneQueryDotted        // AAA.EEE.LLLL
	phoneQueryForms
	phoneQueryParens  = iota - 1 // %28AAA%29%20EEE-LLLL: (AAA) EEE-LLLL
	phoneQuerySpaced             // %2B1%20AAA%20EEE%20LLLL: +1 AAA EEE LLLL
	phoneQueryDashed             // AAA-EEE-LLLL
	phoneQuery1Dashed            // 1-AAA-EEE-LLLL
	allPhoneQueryForms
)

func formatPhoneQuery(p int64, form uint8) string {
	a, e, l := phoneParts(p)
	switch form {
	case phoneQueryPlus1:
		return fmt.Sprintf("%%2B1%010d", p)
	case phoneQuery1:
		return fmt.Sprintf("1%010d", p)
	case phoneQueryPlain:
		return fmt.Sprintf("%010d", p)
	case phoneQueryParens:
		return fmt.Sprintf("%%28%03d%%29%%20%03d-%04d", a, e, l)
	case phoneQuerySpaced:
		return fmt.Sprintf("%%2B1%%20%03d%%20%03d%%20%04d", a, e, l)
	case phoneQueryDashed:
		return fmt.Sprintf("%03d-%03d-%04d", a, e, l)
	case phoneQuery1Dashed:
		return fmt.Sprintf("1-%03d-%03d-%04d", a, e, l)
	default:
		return fmt.Sprintf("%03d.%03d.%04d", a, e, l)
	}
}
