package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"

	"github.com/breachscope/breachscope/analysis/store"
)

// arrowBatchRows is the rows per record batch: the file is streamed batch
// by batch, so memory holds one batch however many people there are.
const arrowBatchRows = 65536

// arrowSchema is the schema of the people Arrow file; its columns are those
// of queries/report_arrow.sql, in order.
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
// analysts' tools: DuckDB writes the rows as Parquet next to it (DuckDB
// 1.4 writes no Arrow files), and Arrow's Parquet reader turns them into
// record batches, so memory holds one batch however many people there are.
// It returns the rows written.
func writeArrow(ctx context.Context, db *store.DB, path string) (int64, error) {
	staged := path + ".parquet"
	defer os.Remove(staged)
	if err := db.Script(ctx, "report_arrow.sql", nil, map[string]any{"path": staged}); err != nil {
		return 0, err
	}
	pf, err := file.OpenParquetFile(staged, false)
	if err != nil {
		return 0, fmt.Errorf("read the staged rows: %w", err)
	}
	defer pf.Close()
	pr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: arrowBatchRows}, memory.DefaultAllocator)
	if err != nil {
		return 0, fmt.Errorf("read the staged rows: %w", err)
	}
	rr, err := pr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return 0, fmt.Errorf("read the staged rows: %w", err)
	}
	defer rr.Release()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(arrowSchema), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return 0, fmt.Errorf("arrow writer: %w", err)
	}
	var total int64
	for rr.Next() {
		rec, err := asPeopleRecord(rr.Record())
		if err != nil {
			return 0, err
		}
		err = w.Write(rec)
		rec.Release()
		if err != nil {
			return 0, fmt.Errorf("arrow batch: %w", err)
		}
		total += rec.NumRows()
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) { // EOF: every batch was read
		return 0, fmt.Errorf("read the staged rows: %w", err)
	}
	if err := w.Close(); err != nil {
		return 0, fmt.Errorf("arrow footer: %w", err)
	}
	return total, f.Close()
}

// asPeopleRecord gives a batch read from the staged Parquet file the
// people schema: the same buffers, with the schema's nullability and list
// element names (Parquet's readers call every column nullable and a list's
// element "element"); any other difference is an error.
func asPeopleRecord(rec arrow.Record) (arrow.Record, error) {
	if int(rec.NumCols()) != len(arrowSchema.Fields()) {
		return nil, fmt.Errorf("%d columns, want %d", rec.NumCols(), len(arrowSchema.Fields()))
	}
	cols := make([]arrow.Array, rec.NumCols())
	for i, want := range arrowSchema.Fields() {
		col := rec.Column(i)
		wantList, isList := want.Type.(*arrow.ListType)
		gotList, gotIsList := col.DataType().(*arrow.ListType)
		switch {
		case isList && gotIsList && arrow.TypeEqual(wantList.Elem(), gotList.Elem()):
			data := col.Data()
			retyped := array.NewData(want.Type, data.Len(), data.Buffers(), data.Children(), data.NullN(), data.Offset())
			cols[i] = array.MakeFromData(retyped)
			retyped.Release()
			defer cols[i].Release()
		case arrow.TypeEqual(want.Type, col.DataType()):
			cols[i] = col
		default:
			return nil, fmt.Errorf("column %s is %s, want %s", want.Name, col.DataType(), want.Type)
		}
	}
	return array.NewRecord(arrowSchema, cols, rec.NumRows()), nil
}
