package store

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strings"

	"github.com/marcboeker/go-duckdb/v2"
)

// Address functions for SQL. Standardising an address needs word-level
// rules (USPS Publication 28) that are clearer and testable in Go; people
// are far fewer than requests, so a Go call per person is affordable.
//
//	bs_address(line1, line2, city, state, postal_code, country, default_country)
//	  -> STRUCT(line1, line2, city, state, zip, country VARCHAR, usable BOOLEAN)
//	bs_address_key(line1, line2, postal_code) -> VARCHAR, for merging people
//	bs_jurisdiction(state, country) -> VARCHAR such as US-CA, EU-GDPR or FR

// AddressFunc standardises an address: the SQL function bs_address calls it.
type AddressFunc func(line1, line2, city, state, postal, country, defaultCountry string) (Address, bool)

// Address is an address in the form notices are mailed to.
type Address struct {
	Line1, Line2, City, State, ZIP, Country string
}

// Standardize is the address standardiser used by bs_address; the
// analysis/address package installs the USPS one.
var Standardize AddressFunc = plainAddress

// Jurisdiction maps a standardised state and country to a jurisdiction code.
var Jurisdiction = plainJurisdiction

var zipRE = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

func plainAddress(line1, line2, city, state, postal, country, defaultCountry string) (Address, bool) {
	up := func(s string) string { return strings.Join(strings.Fields(strings.ToUpper(s)), " ") }
	a := Address{Line1: up(line1), Line2: up(line2), City: up(city), State: up(state), ZIP: up(postal), Country: up(country)}
	if a.Country == "" && len(a.State) == 2 {
		a.Country = defaultCountry
	}
	usable := a.Line1 != "" && a.City != ""
	if a.Country == "US" {
		usable = usable && len(a.State) == 2 && zipRE.MatchString(a.ZIP)
	}
	return a, usable
}

var euCountries = map[string]bool{"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true,
	"FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true, "LT": true, "LU": true,
	"MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
	"IS": true, "LI": true, "NO": true}

func plainJurisdiction(state, country string) string {
	switch {
	case country == "US" && state != "":
		return "US-" + state
	case euCountries[country]:
		return "EU-GDPR"
	}
	return country
}

type addressUDF struct{}

func varcharInfo() duckdb.TypeInfo {
	t, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return t
}

func (addressUDF) Config() duckdb.ScalarFuncConfig {
	v := varcharInfo()
	b, _ := duckdb.NewTypeInfo(duckdb.TYPE_BOOLEAN)
	var entries []duckdb.StructEntry
	for _, n := range []string{"line1", "line2", "city", "state", "zip", "country"} {
		e, _ := duckdb.NewStructEntry(v, n)
		entries = append(entries, e)
	}
	ue, _ := duckdb.NewStructEntry(b, "usable")
	entries = append(entries, ue)
	st, err := duckdb.NewStructInfo(entries[0], entries[1:]...)
	if err != nil {
		panic(fmt.Sprintf("bs_address type: %v", err))
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v, v, v, v, v, v, v}, ResultTypeInfo: st, SpecialNullHandling: true}
}

func (addressUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s := make([]string, len(values))
		for i, v := range values {
			s[i], _ = v.(string)
		}
		a, usable := Standardize(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
		null := func(x string) any {
			if x == "" {
				return nil
			}
			return x
		}
		return map[string]any{"line1": null(a.Line1), "line2": null(a.Line2), "city": null(a.City), "state": null(a.State),
			"zip": null(a.ZIP), "country": null(a.Country), "usable": usable}, nil
	}}
}

type addressKeyUDF struct{}

func (addressKeyUDF) Config() duckdb.ScalarFuncConfig {
	v := varcharInfo()
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v, v, v}, ResultTypeInfo: v, SpecialNullHandling: true}
}

func (addressKeyUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		l1, _ := values[0].(string)
		l2, _ := values[1].(string)
		zip, _ := values[2].(string)
		a, _ := Standardize(l1, l2, "", "", zip, "", "")
		if a.Line1 == "" {
			return nil, nil
		}
		z := a.ZIP
		if len(z) > 5 && z[5] == '-' {
			z = z[:5]
		}
		return a.Line1 + "|" + a.Line2 + "|" + z, nil
	}}
}

type jurisdictionUDF struct{}

func (jurisdictionUDF) Config() duckdb.ScalarFuncConfig {
	v := varcharInfo()
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v, v}, ResultTypeInfo: v, SpecialNullHandling: true}
}

func (jurisdictionUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		st, _ := values[0].(string)
		co, _ := values[1].(string)
		if j := Jurisdiction(st, co); j != "" {
			return j, nil
		}
		return nil, nil
	}}
}

func registerAddressFunctions(conn *sql.Conn) error {
	for name, f := range map[string]duckdb.ScalarFunc{
		"bs_address": addressUDF{}, "bs_address_key": addressKeyUDF{}, "bs_jurisdiction": jurisdictionUDF{},
	} {
		if err := duckdb.RegisterScalarUDF(conn, name, f); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
