package report

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/breachscope/breachscope/analysis/store"
	"github.com/breachscope/breachscope/queries"
)

// arrowBatchRows is the rows per record batch: the file is streamed batch
// by batch, so memory holds one batch however many people there are.
const arrowBatchRows = 65536

// arrowSchema is the schema of the exposed-customers Arrow file; its
// columns are those of queries/report_arrow.sql, in order.
var arrowSchema = arrow.NewSchema([]arrow.Field{
	{Name: "customer_id", Type: arrow.BinaryTypes.String},
	{Name: "reference_code", Type: arrow.BinaryTypes.String},
	{Name: "elements", Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "phrase", Type: arrow.BinaryTypes.String},
	{Name: "requests", Type: arrow.PrimitiveTypes.Int64},
	{Name: "first_exposed", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	{Name: "last_exposed", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	{Name: "first_source_file", Type: arrow.BinaryTypes.String},
	{Name: "first_source_line", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// writeArrow writes the exposed customers as an Arrow IPC file (Feather
// v2) for analysts' tools, paging through DuckDB with a keyset on
// customer_id so neither DuckDB's result nor the file's batches hold
// everything at once. It returns the rows written.
func writeArrow(ctx context.Context, db *store.DB, path string) (int64, error) {
	query, err := queries.Render("report_arrow.sql", nil)
	if err != nil {
		return 0, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(arrowSchema), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return 0, fmt.Errorf("arrow writer: %w", err)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrowSchema)
	defer b.Release()
	var total int64
	last, first := "", true
	for {
		n, lastKey, err := appendPage(ctx, db, query, b, first, last)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			rec := b.NewRecord()
			err := w.Write(rec)
			rec.Release()
			if err != nil {
				return 0, fmt.Errorf("arrow batch: %w", err)
			}
			total += int64(n)
		}
		if n < arrowBatchRows {
			break
		}
		first, last = false, lastKey
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("arrow footer: %w", err)
	}
	return total, f.Close()
}

// appendPage appends the next page of rows (customer_id after last) to b.
func appendPage(ctx context.Context, db *store.DB, query string, b *array.RecordBuilder, first bool, last string) (int, string, error) {
	rows, err := db.Query(ctx, query, first, last, arrowBatchRows)
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			id, ref, phrase, file string
			elements              []any
			requests, line        int64
			firstAt, lastAt       time.Time
		)
		if err := rows.Scan(&id, &ref, &elements, &phrase, &requests, &firstAt, &lastAt, &file, &line); err != nil {
			return 0, "", err
		}
		b.Field(0).(*array.StringBuilder).Append(id)
		b.Field(1).(*array.StringBuilder).Append(ref)
		lb := b.Field(2).(*array.ListBuilder)
		lb.Append(true)
		for _, e := range elements {
			lb.ValueBuilder().(*array.StringBuilder).Append(fmt.Sprint(e))
		}
		b.Field(3).(*array.StringBuilder).Append(phrase)
		b.Field(4).(*array.Int64Builder).Append(requests)
		b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(firstAt.UnixMicro()))
		b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(lastAt.UnixMicro()))
		b.Field(7).(*array.StringBuilder).Append(file)
		b.Field(8).(*array.Int64Builder).Append(line)
		n++
		last = id
	}
	return n, last, rows.Err()
}
