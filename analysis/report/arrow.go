package report

import (
	"context"
	"database/sql"
	"fmt"
	"os"

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

// arrowSchema is the schema of the people Arrow file; its columns are those
// of queries/report_arrow.sql (less bs_n), in order.
var arrowSchema = arrow.NewSchema([]arrow.Field{
	{Name: "person_id", Type: arrow.BinaryTypes.String},
	{Name: "reference_code", Type: arrow.BinaryTypes.String},
	{Name: "letter_version", Type: arrow.BinaryTypes.String},
	{Name: "channel", Type: arrow.BinaryTypes.String},
	{Name: "jurisdiction", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "minor", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "deceased", Type: arrow.FixedWidthTypes.Boolean},
	{Name: "records", Type: arrow.PrimitiveTypes.Int64},
	{Name: "customer_ids", Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "elements", Type: arrow.ListOf(arrow.BinaryTypes.String)},
	{Name: "phrase", Type: arrow.BinaryTypes.String},
}, nil)

// writeArrow writes the people as an Arrow IPC file (Feather v2) for
// analysts' tools, numbering the rows once in DuckDB and paging through
// them, so neither DuckDB's result nor the file's batches hold everything
// at once. It returns the rows written.
func writeArrow(ctx context.Context, db *store.DB, path string) (int64, error) {
	if err := db.Script(ctx, "report_arrow.sql", nil, nil); err != nil {
		return 0, err
	}
	defer db.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS bs_arrow")
	page, err := queries.Render("report_arrow_page.sql", nil)
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
	for {
		n, err := appendPage(ctx, db, page, b, total)
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
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("arrow footer: %w", err)
	}
	return total, f.Close()
}

// appendPage appends the rows after row number after (at most a batch) to b.
func appendPage(ctx context.Context, db *store.DB, query string, b *array.RecordBuilder, after int64) (int, error) {
	rows, err := db.Query(ctx, query, sql.Named("after", after), sql.Named("size", arrowBatchRows))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			id, ref, letter, channel, phrase string
			jurisdiction                     sql.NullString
			minor, deceased                  bool
			records                          int64
			customers, elements              []any
		)
		if err := rows.Scan(&id, &ref, &letter, &channel, &jurisdiction, &minor, &deceased, &records, &customers, &elements, &phrase); err != nil {
			return 0, err
		}
		for i, s := range []string{id, ref, letter, channel} {
			b.Field(i).(*array.StringBuilder).Append(s)
		}
		if jurisdiction.Valid {
			b.Field(4).(*array.StringBuilder).Append(jurisdiction.String)
		} else {
			b.Field(4).AppendNull()
		}
		b.Field(5).(*array.BooleanBuilder).Append(minor)
		b.Field(6).(*array.BooleanBuilder).Append(deceased)
		b.Field(7).(*array.Int64Builder).Append(records)
		appendStrings(b.Field(8).(*array.ListBuilder), customers)
		appendStrings(b.Field(9).(*array.ListBuilder), elements)
		b.Field(10).(*array.StringBuilder).Append(phrase)
		n++
	}
	return n, rows.Err()
}

func appendStrings(lb *array.ListBuilder, values []any) {
	lb.Append(true)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	for _, v := range values {
		vb.Append(fmt.Sprint(v))
	}
}
