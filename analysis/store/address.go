package store

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/address"
)

// Address functions for SQL. Standardising an address needs word-level
// rules (USPS Publication 28) that are clearer and testable in Go; people
// are far fewer than requests, so a Go call per person is affordable.
//
//	bs_address(line1, line2, city, state, postal_code, country, default_country)
//	  -> STRUCT(line1, line2, city, state, zip, country VARCHAR, usable BOOLEAN, key VARCHAR)
//	bs_address_key(line1, line2, city, state, postal_code, country, default_country) -> VARCHAR, for merging people
//	bs_jurisdiction(state, country) -> VARCHAR such as US-CA, EU-GDPR or FR
//
// bs_address's key is bs_address_key of the same arguments, so one call
// gives both (people standardise each exposed customer's address once).

// AddressFunc standardises an address: the SQL function bs_address calls it.
type AddressFunc func(line1, line2, city, state, postal, country, defaultCountry string) (Address, bool)

// Address is an address in the form notices are mailed to.
type Address struct {
	Line1, Line2, City, State, ZIP, Country string
	// ZIP5 is the five-digit ZIP Code of a valid US ZIP, else empty.
	ZIP5 string
}

// Standardize is the address standardiser bs_address uses: USPS
// Publication 28 rules from analysis/address.
var Standardize AddressFunc = uspsAddress

// Jurisdiction maps a standardised state and country to a jurisdiction code.
var Jurisdiction = jurisdictionOf

func uspsAddress(line1, line2, city, state, postal, country, defaultCountry string) (Address, bool) {
	r := address.Standardize(address.Input{Line1: line1, Line2: line2, City: city, State: state, PostalCode: postal, Country: country}, defaultCountry)
	a := r.Address
	return Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State, ZIP: a.PostalCode, Country: a.Country, ZIP5: a.ZIP5}, r.Usable
}

// addressKey is the merge key of a standardised address: lines and ZIP5
// identify a delivery point (city spellings vary); nil without a line 1.
func addressKey(a Address) any {
	if a.Line1 == "" {
		return nil
	}
	z := a.ZIP5
	if z == "" {
		z = a.ZIP
	}
	return a.Line1 + "|" + a.Line2 + "|" + z
}

// udfStrings reads a UDF's VARCHAR arguments; NULL reads as "".
func udfStrings(values []driver.Value) []string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i], _ = v.(string)
	}
	return s
}

// euCountries are the EU and EEA members, where GDPR applies.
var euCountries = map[string]bool{"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true,
	"FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true, "LT": true, "LU": true,
	"MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
	"IS": true, "LI": true, "NO": true}

// jurisdictionOf is US-<state> for the US (DC and territories included),
// US when the state is unknown, EU-GDPR in the EU and EEA, else the country.
func jurisdictionOf(state, country string) string {
	switch {
	case country == "US":
		// Military mail (AA, AE, AP) has no state's breach law.
		if code, ok := address.StateCode(state); ok && code != "AA" && code != "AE" && code != "AP" {
			return "US-" + code
		}
		return "US"
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
	ke, _ := duckdb.NewStructEntry(v, "key")
	entries = append(entries, ue, ke)
	st, err := duckdb.NewStructInfo(entries[0], entries[1:]...)
	if err != nil {
		panic(fmt.Sprintf("bs_address type: %v", err))
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v, v, v, v, v, v, v}, ResultTypeInfo: st, SpecialNullHandling: true}
}

func (addressUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s := udfStrings(values)
		a, usable := Standardize(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
		null := func(x string) any {
			if x == "" {
				return nil
			}
			return x
		}
		return map[string]any{"line1": null(a.Line1), "line2": null(a.Line2), "city": null(a.City), "state": null(a.State),
			"zip": null(a.ZIP), "country": null(a.Country), "usable": usable, "key": addressKey(a)}, nil
	}}
}

type addressKeyUDF struct{}

func (addressKeyUDF) Config() duckdb.ScalarFuncConfig {
	v := varcharInfo()
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{v, v, v, v, v, v, v}, ResultTypeInfo: v, SpecialNullHandling: true}
}

func (addressKeyUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s := udfStrings(values)
		a, _ := Standardize(s[0], s[1], s[2], s[3], s[4], s[5], s[6])
		return addressKey(a), nil
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
