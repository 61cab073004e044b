package synth

import (
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
)

// Customer table files. The default case has one table; the multi-table
// shape splits it into subscribers and their billing accounts, linked by
// the subscriber id.
const (
	customersFile   = "customers.csv"
	subscribersFile = "subscribers.csv"
	accountsFile    = "accounts.csv"
	formerFile      = "former_customers.csv"
)

var (
	subscriberHeader = []string{"sub_id", "first_name", "last_name", "email", "msisdn", "dob", "deceased"}
	accountHeader    = []string{"sub_id", "account_no", "street", "unit", "city", "state", "zip", "country", "plan"}
	formerHeader     = []string{"former_id", "name", "phone", "dob", "email", "account_no"}
)

// customerTables writes the current customers' rows to their files.
type customerTables struct {
	m     *model
	files []*bufferedFile
	csvs  []*csv.Writer
	rng   *rand.Rand // the shapes' draws
	out   []string   // the row as written, when a shape changes it
}

func openCustomerTables(dir string, m *model) (*customerTables, error) {
	t := &customerTables{m: m, rng: newRand(m.seed, streamShapes), out: make([]string, len(customerHeader))}
	names, headers := []string{customersFile}, [][]string{customerHeader}
	if m.shapes.multiTable {
		names, headers = []string{subscribersFile, accountsFile}, [][]string{subscriberHeader, accountHeader}
	}
	for k, name := range names {
		f, err := createFile(filepath.Join(dir, name))
		if err != nil {
			t.abort()
			return nil, err
		}
		t.files = append(t.files, f)
		t.csvs = append(t.csvs, csv.NewWriter(f))
		if err := t.csvs[k].Write(headers[k]); err != nil {
			t.abort()
			return nil, err
		}
	}
	return t, nil
}

// write writes customer i's row (in customerHeader's columns), in the
// shapes' forms.
func (t *customerTables) write(i int, row []string) error {
	m := t.m
	if !m.shapes.any() {
		return t.csvs[0].Write(row)
	}
	out := t.out
	copy(out, row)
	if m.shapes.mixedFormats {
		out[10] = formatPhoneCSV(m.phoneOf(i), t.rng.IntN(phoneCSVStyles))
		out[12] = formatAccount(m.account(i), t.rng.IntN(3))
		out[9] = padEmail(out[9], t.rng.IntN(8))
		out[11] = formatDOB(out[11], t.rng.IntN(4), false)
	}
	if !m.shapes.multiTable {
		return t.csvs[0].Write(out)
	}
	sub := []string{out[0], out[1], out[2], out[9], out[10], out[11], out[14]}
	if err := t.csvs[0].Write(sub); err != nil {
		return err
	}
	for k := range m.accountsOf(i) {
		acct := []string{out[0], out[12], out[3], out[4], out[5], out[6], out[7], out[8], out[13]}
		if k > 0 {
			acct[1] = formatAccount(m.accountOf(i, k), 0)
			acct[8] = pickPlan(t.rng.IntN(100))
			if m.shapes.mixedFormats {
				acct[1] = formatAccount(m.accountOf(i, k), t.rng.IntN(3))
			}
			if m.rowLacksAddress(i, k) {
				acct[2], acct[3], acct[4], acct[5], acct[6] = "", "", "", "", ""
			}
		}
		if err := t.csvs[1].Write(acct); err != nil {
			return err
		}
	}
	return nil
}

func (t *customerTables) close() error {
	var err error
	for k, f := range t.files {
		t.csvs[k].Flush()
		if werr := t.csvs[k].Error(); err == nil {
			err = werr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	t.files = nil
	return err
}

func (t *customerTables) abort() {
	for _, f := range t.files {
		f.f.Close()
	}
	t.files = nil
}

// Shares of former customers' records with a value.
const (
	formerDOBShare   = 0.9
	formerEmailShare = 0.6
)

// writeFormer writes former_customers.csv: customers who left, with a full
// name, their last phone, a date of birth in day-month-year order (another
// system's convention), some emails, and their closed account number.
func writeFormer(ctx context.Context, dir string, m *model) error {
	rng := newRand(m.seed, streamFormer)
	return writeFile(filepath.Join(dir, formerFile), func(w *bufferedFile) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(formerHeader); err != nil {
			return err
		}
		for j := 0; j < m.former; j++ {
			if j%8192 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			c := m.n + j
			first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
			dob, email := randomDOB(rng), makeEmail(rng, first, last, c)
			rDOB, rEmail, style := rng.Float64(), rng.Float64(), rng.IntN(phoneCSVStyles)
			present := elName | elPhone | elAccount
			if _, ok := m.recycled(j); ok || rDOB >= formerDOBShare {
				dob = "" // a recycled number's old holder: no date of birth, so never the same person as the new one
			} else {
				present |= elDOB
			}
			if rEmail < formerEmailShare {
				present |= elEmail
			} else {
				email = ""
			}
			var f uint8
			if dob >= "2005-01-07" {
				f |= factMinor
			}
			m.present[c], m.facts[c], m.juris[c] = present, f, jurisdictionIndex[noJurisdiction]
			acct := formatAccount(m.accountOf(c, 0), 0)
			if _, ok := m.reissued(j); ok {
				acct = formatAccount(m.accountOf(c, 0), 1) // the same number, without its leading zeros
			}
			dobForm, phoneForm := 4, 0 // 14/03/1987
			if m.shapes.mixedFormats {
				dobForm, phoneForm = []int{0, 2, 4}[rng.IntN(3)], style
				email = padEmail(email, rng.IntN(8))
			}
			rec := []string{m.custID(c), first + " " + last, formatPhoneCSV(m.phoneOf(c), phoneForm),
				formatDOB(dob, dobForm, true), email, acct}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// formatAccount writes an account number 10 digits wide (0), bare (1) or
// 12 digits wide (2).
func formatAccount(n int64, style int) string {
	switch style {
	case 1:
		return fmt.Sprintf("%d", n)
	case 2:
		return fmt.Sprintf("%012d", n)
	}
	return fmt.Sprintf("%010d", n)
}

// padEmail puts spaces around some emails, as hand-kept tables do.
func padEmail(e string, style int) string {
	if e == "" {
		return e
	}
	switch style {
	case 0:
		return " " + e
	case 1:
		return e + "  "
	}
	return e
}

// formatDOB writes an ISO date of birth as 1987-03-14 (0), 19870314 (1),
// 14.03.1987 (2), or with slashes (3 and up): 03/14/1987, or 14/03/1987
// in day-month-year tables.
func formatDOB(iso string, style int, dmy bool) string {
	if iso == "" {
		return ""
	}
	y, mo, d := iso[0:4], iso[5:7], iso[8:10]
	switch {
	case style == 0:
		return iso
	case style == 1:
		return y + mo + d
	case style == 2:
		return d + "." + mo + "." + y
	case dmy:
		return d + "/" + mo + "/" + y
	}
	return strings.Join([]string{mo, d, y}, "/")
}
