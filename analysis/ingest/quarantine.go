package ingest

import (
	"cmp"
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/marcboeker/go-duckdb/v2"

	"github.com/breachscope/breachscope/analysis/store"
)

// quarantineFunction is the SQL function through which the accepting pass
// of a format's script hands Go each unit it does not accept, with its
// reason: bs_quarantine($quarantine, input_id, line, byte_offset, reason,
// text) keeps the unit for the rejects table and returns false, so the
// unit is left out of the access table. Files with rejected units then need
// no second reading: with one bad line per thousand that second reading
// was a quarter of the time (1M-line jsonl: 1.78x a bare DuckDB read
// with it, 1.35x without).
const quarantineFunction = "bs_quarantine"

// A quarantine keeps at most quarantineMaxUnits units and quarantineMaxBytes
// of their text; a source with more rejects than that (a file in the wrong
// format, say) is quarantined by a second reading of its files instead, as
// the reader then holds nothing. (Variables for the tests of that path.)
var (
	quarantineMaxUnits = 1 << 18
	quarantineMaxBytes = 64 << 20
)

// rejectedUnit is a unit the accepting pass did not accept.
type rejectedUnit struct {
	input        int32
	line, offset any // int64, or nil where the format has none
	reason       string
	content      any // string, or nil when the unit's text was not kept
}

// quarantine collects one statement's rejected units, from all DuckDB's
// threads.
type quarantine struct {
	mu    sync.Mutex
	units []rejectedUnit
	bytes int
	// overflow: the statement rejected more than the quarantine keeps, and
	// units holds nothing.
	overflow bool
}

func (q *quarantine) add(u rejectedUnit) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.overflow {
		return
	}
	if s, ok := u.content.(string); ok {
		q.bytes += len(s)
	}
	if len(q.units) >= quarantineMaxUnits || q.bytes > quarantineMaxBytes {
		q.overflow, q.units = true, nil
		return
	}
	q.units = append(q.units, u)
}

// quarantines are the quarantines of running statements, by the token bound
// as $quarantine.
var (
	quarantines   sync.Map
	quarantineSeq atomic.Int64
)

// newQuarantine registers an empty quarantine; release forgets it.
func newQuarantine() (q *quarantine, token int64, release func()) {
	q = &quarantine{}
	token = quarantineSeq.Add(1)
	quarantines.Store(token, q)
	return q, token, func() { quarantines.Delete(token) }
}

// store appends the collected units to the rejects table, in file and line
// order.
func (q *quarantine) store(ctx context.Context, db *store.DB) error {
	slices.SortFunc(q.units, func(a, b rejectedUnit) int {
		al, _ := a.line.(int64)
		bl, _ := b.line.(int64)
		return cmp.Or(cmp.Compare(a.input, b.input), cmp.Compare(al, bl))
	})
	app, err := db.Appender(ctx, "rejects")
	if err != nil {
		return err
	}
	for _, u := range q.units {
		if err := app.AppendRow(u.input, u.line, u.offset, u.reason, u.content); err != nil {
			app.Close()
			return fmt.Errorf("quarantine: %w", err)
		}
	}
	if err := app.Close(); err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	return nil
}

// registerQuarantineFunction registers bs_quarantine on the connection once.
func registerQuarantineFunction(ctx context.Context, db *store.DB) error {
	registered, err := db.HasFunction(ctx, quarantineFunction)
	if err != nil || registered {
		return err
	}
	if err := duckdb.RegisterScalarUDF(db.Conn(), quarantineFunction, quarantineUDF{}); err != nil {
		return fmt.Errorf("register %s: %w", quarantineFunction, err)
	}
	return nil
}

// quarantineUDF is bs_quarantine(token BIGINT, input_id BIGINT, line
// BIGINT, byte_offset BIGINT, reason VARCHAR, text VARCHAR) BOOLEAN.
type quarantineUDF struct{}

func (quarantineUDF) Config() duckdb.ScalarFuncConfig {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	boolean, _ := duckdb.NewTypeInfo(duckdb.TYPE_BOOLEAN)
	return duckdb.ScalarFuncConfig{
		InputTypeInfos: []duckdb.TypeInfo{bigint, bigint, bigint, bigint, varchar, varchar},
		ResultTypeInfo: boolean,
		// called for its effect: never folded, never skipped for a NULL
		// (a line without offset or text is still quarantined)
		Volatile:            true,
		SpecialNullHandling: true,
	}
}

func (quarantineUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(v []driver.Value) (any, error) {
		token, _ := v[0].(int64)
		q, ok := quarantines.Load(token)
		if !ok {
			return nil, fmt.Errorf("%s(%d): no such quarantine", quarantineFunction, token)
		}
		input, ok := v[1].(int64)
		reason, rok := v[4].(string)
		if !ok || !rok {
			return nil, fmt.Errorf("%s: a unit without input or reason", quarantineFunction)
		}
		q.(*quarantine).add(rejectedUnit{input: int32(input), line: v[2], offset: v[3], reason: reason, content: v[5]})
		return false, nil
	}}
}
