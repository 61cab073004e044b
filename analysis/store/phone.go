package store

import (
	"database/sql"
	"database/sql/driver"
	"strconv"
	"sync"

	"github.com/marcboeker/go-duckdb/v2"
	"github.com/nyaruka/phonenumbers"
)

// phoneUDF is bs_phone_e164(number, country_code): E.164 by Google's
// libphonenumber rules (the Go port), or NULL when the text is no phone
// number. SQL's bs_norm_phone handles the common North American shapes
// itself and calls this for everything else, because a Go call per row is
// far slower than SQL and most case data is one national format.
type phoneUDF struct{}

var regionForCode sync.Map // country calling code -> region

func regionOf(cc string) string {
	if r, ok := regionForCode.Load(cc); ok {
		return r.(string)
	}
	n, err := strconv.Atoi(cc)
	region := "ZZ"
	if err == nil {
		region = phonenumbers.GetRegionCodeForCountryCode(n)
	}
	regionForCode.Store(cc, region)
	return region
}

// PhoneE164 returns the E.164 form of number, read as a national number of
// the country with calling code cc unless it carries its own (+ or 00);
// ok is false when it cannot be a phone number.
func PhoneE164(number, cc string) (string, bool) {
	num, err := phonenumbers.Parse(number, regionOf(cc))
	if err != nil || num.GetNationalNumber() == 0 {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

func (phoneUDF) Config() duckdb.ScalarFuncConfig {
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{varchar, varchar}, ResultTypeInfo: varchar}
}

func (phoneUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s, _ := values[0].(string)
		cc, _ := values[1].(string)
		if e, ok := PhoneE164(s, cc); ok {
			return e, nil
		}
		return nil, nil
	}}
}

func registerFunctions(conn *sql.Conn) error {
	if err := duckdb.RegisterScalarUDF(conn, "bs_phone_e164", phoneUDF{}); err != nil {
		return err
	}
	return registerAddressFunctions(conn)
}
