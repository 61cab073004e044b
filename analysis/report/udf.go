package report

import (
	"database/sql"
	"database/sql/driver"
	"fmt"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/refcode"
)

// referenceUDF exposes refcode as the SQL function bs_reference(VARCHAR).
type referenceUDF struct{ gen *refcode.Generator }

func (u referenceUDF) Config() duckdb.ScalarFuncConfig {
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{varchar}, ResultTypeInfo: varchar}
}

func (u referenceUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (any, error) {
		s, ok := values[0].(string)
		if !ok {
			return nil, fmt.Errorf("bs_reference: want text, got %T", values[0])
		}
		return u.gen.Code(s), nil
	}}
}

func registerReference(conn *sql.Conn, gen *refcode.Generator) error {
	if err := duckdb.RegisterScalarUDF(conn, "bs_reference", referenceUDF{gen}); err != nil {
		return fmt.Errorf("register reference function: %w", err)
	}
	return nil
}
