package xlsx

import (
	"context"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// workbook carries state shared by all sheets of one Write.
type workbook struct {
	f      *excelize.File
	st     *styles
	opts   Options
	rep    *Report
	used   map[string]bool // lower-cased sheet names taken so far
	sheets int             // sheets created so far
}

// part is one Excel sheet being streamed: a whole Sheet or one piece of a
// split one.
type part struct {
	name string
	sw   *excelize.StreamWriter
	next int // next Excel row to write
	rows int // data rows written
}

func (w *workbook) writeSheet(ctx context.Context, s Sheet) error {
	lay := newLayout(s)
	capacity := lay.capacity(w.opts.MaxRowsPerSheet)
	src := &readAhead{src: s.Rows}
	if err := src.fill(widthSampleRows); err != nil {
		return fmt.Errorf("read rows: %w", err)
	}
	widths := fitWidths(s.Columns, src.buffered)

	cells := make([]any, len(s.Columns)) // reused: SetRow is done with it on return
	var p *part
	parts := 0
	for n := 1; ; n++ {
		if n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row, ok, err := src.Next()
		if err != nil {
			return fmt.Errorf("read row %d: %w", n, err)
		}
		if !ok {
			break
		}
		if len(row) != len(s.Columns) {
			return fmt.Errorf("row %d has %d values, want %d", n, len(row), len(s.Columns))
		}
		if p == nil || p.rows == capacity {
			// A new part only once a row is waiting for it, so a sheet that
			// exactly fills a part gets no empty continuation.
			if p != nil {
				if err := w.endPart(s, lay, p); err != nil {
					return err
				}
			}
			parts++
			if p, err = w.startPart(s, lay, widths, parts); err != nil {
				return err
			}
		}
		for i, c := range s.Columns {
			cell, overlong, err := w.st.cellValue(c.Kind, row[i])
			if err != nil {
				return fmt.Errorf("row %d column %d (%q): %w", n, i+1, c.Header, err)
			}
			if overlong > 0 {
				w.overlong(p.name, p.next, i, c.Header, overlong)
			}
			cells[i] = cell
		}
		if err := p.setRow(cells); err != nil {
			return fmt.Errorf("row %d: %w", n, err)
		}
		p.rows++
	}
	if p == nil {
		var err error
		if p, err = w.startPart(s, lay, widths, 1); err != nil {
			return err
		}
	}
	return w.endPart(s, lay, p)
}

// startPart creates sheet part n of s and writes everything above the data:
// widths, frozen pane, title block and header.
func (w *workbook) startPart(s Sheet, lay layout, widths []float64, n int) (*part, error) {
	name := partName(s.Name, n)
	if n > 1 {
		if w.used[strings.ToLower(name)] {
			return nil, fmt.Errorf("continuation sheet %q clashes with another sheet", name)
		}
		w.used[strings.ToLower(name)] = true
	}
	if w.sheets == 0 {
		// NewFile always has a "Sheet1"; renaming it keeps the first sheet
		// first and its index stable for the autofilter's defined name.
		if err := w.f.SetSheetName("Sheet1", name); err != nil {
			return nil, fmt.Errorf("create sheet %q: %w", name, err)
		}
	} else if _, err := w.f.NewSheet(name); err != nil {
		return nil, fmt.Errorf("create sheet %q: %w", name, err)
	}
	w.sheets++
	w.rep.Sheets = append(w.rep.Sheets, SheetReport{Name: name, Source: s.Name})

	// Sheet properties are serialised when the stream writer starts, so
	// fit-to-page must be set before it; the page setup itself follows at
	// the end of the part (fitPageWidth).
	fit := true
	if err := w.f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, fmt.Errorf("sheet properties of %q: %w", name, err)
	}
	// The sheet template's dimension says "A1" and is written before any
	// row; readers that trust it (openpyxl in read-only mode) would see one
	// cell. The element is optional, so it is dropped rather than wrong.
	if err := w.f.SetSheetDimension(name, ""); err != nil {
		return nil, fmt.Errorf("sheet dimension of %q: %w", name, err)
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("stream sheet %q: %w", name, err)
	}
	p := &part{name: name, sw: sw, next: 1}
	// Widths and panes are part of the sheet XML before the first row, so
	// the stream writer only accepts them now. excelize puts each new <col>
	// in front of the earlier ones and the stream writer does not sort them,
	// so going right to left leaves them in the ascending order Excel wants.
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return nil, fmt.Errorf("set width of column %d: %w", i+1, err)
		}
	}
	top := fmt.Sprintf("A%d", lay.headerRow+1)
	if err := sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      lay.headerRow,
		TopLeftCell: top,
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}},
	}); err != nil {
		return nil, fmt.Errorf("freeze header: %w", err)
	}

	if s.Title != "" {
		if err := w.textRow(p, s.Title, w.st.title, excelize.RowOpts{Height: 20}); err != nil {
			return nil, err
		}
	}
	for _, note := range s.Notes {
		if err := w.textRow(p, note, w.st.note); err != nil {
			return nil, err
		}
	}
	p.next = lay.headerRow
	header := make([]any, len(s.Columns))
	for i, c := range s.Columns {
		cell, overlong, _ := w.st.textCell(c.Header)
		if overlong > 0 {
			w.overlong(name, p.next, i, "", overlong)
		}
		if cell == nil {
			// Keep the header styled across the whole table even when a
			// column has no title.
			cell = excelize.Cell{StyleID: w.st.header}
		}
		c := cell.(excelize.Cell)
		c.StyleID = w.st.header
		header[i] = c
	}
	if err := p.setRow(header); err != nil {
		return nil, fmt.Errorf("write header: %w", err)
	}
	return p, nil
}

// textRow writes a one-cell row of the title block.
func (w *workbook) textRow(p *part, s string, style int, opts ...excelize.RowOpts) error {
	cell, overlong, _ := w.st.textCell(s)
	if overlong > 0 {
		w.overlong(p.name, p.next, 0, "", overlong)
	}
	if c, ok := cell.(excelize.Cell); ok {
		c.StyleID = style
		cell = c
	}
	if err := p.setRow([]any{cell}, opts...); err != nil {
		return fmt.Errorf("write title: %w", err)
	}
	return nil
}

// endPart adds what needs the final row count (autofilter, chart), then
// flushes the part. Both are set through the File before Flush because Flush
// serialises the streamed worksheet and then drops it from the model.
func (w *workbook) endPart(s Sheet, lay layout, p *part) error {
	last := lay.headerRow + p.rows
	lastCol, _ := excelize.ColumnNumberToName(len(s.Columns))
	filter := fmt.Sprintf("A%d:%s%d", lay.headerRow, lastCol, last)
	if err := w.f.AutoFilter(p.name, filter, nil); err != nil {
		return fmt.Errorf("add autofilter to %q: %w", p.name, err)
	}
	if err := fitPageWidth(w.f, p.name); err != nil {
		return fmt.Errorf("page setup of %q: %w", p.name, err)
	}
	if s.Chart != nil {
		if err := addChart(w.f, p.name, s.Chart, len(s.Columns), lay.headerRow, last); err != nil {
			return fmt.Errorf("add chart to %q: %w", p.name, err)
		}
	}
	if err := p.sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet %q: %w", p.name, err)
	}
	w.rep.Sheets[len(w.rep.Sheets)-1].Rows = p.rows
	return nil
}

func (p *part) setRow(cells []any, opts ...excelize.RowOpts) error {
	err := p.sw.SetRow(fmt.Sprintf("A%d", p.next), cells, opts...)
	p.next++
	return err
}

func (w *workbook) overlong(sheet string, row, col int, header string, length int) {
	if len(w.rep.Overlong) >= maxOverlongListed {
		w.rep.OverlongOmitted++
		return
	}
	letter, _ := excelize.ColumnNumberToName(col + 1)
	w.rep.Overlong = append(w.rep.Overlong, Overlong{Sheet: sheet, Row: row, Column: letter, Header: header, Length: length})
}
