package xlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// DefaultCreated is the document date written when Options.Created is zero.
// A fixed value keeps repeated runs byte-identical and keeps the time of
// the run out of a file that may be handed to third parties.
var DefaultCreated = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// maxOverlongListed bounds Report.Overlong so a column of huge values cannot
// grow the report without limit; the rest are only counted.
const maxOverlongListed = 10000

// ctxCheckEvery is how many rows are written between checks for
// cancellation: often enough to stop promptly, rarely enough to cost nothing.
const ctxCheckEvery = 1024

// Sheet is one logical sheet of the workbook. If its rows do not fit on one
// Excel sheet it continues on "Name (2)", "Name (3)", ... with the same title,
// header and formatting.
type Sheet struct {
	// Name is the sheet tab name: at most 31 characters, none of
	// : \ / ? * [ ] or an apostrophe. Names must be unique, ignoring case.
	Name string
	// Title, when set, is a bold first row such as "Reconciliation".
	Title string
	// Notes are lines under the title, such as "Starting point for counsel,
	// not legal advice". A blank row separates title and notes from the
	// table.
	Notes []string
	// Columns describe the table; there must be at least one.
	Columns []Column
	// Rows supplies the data; nil means a header-only sheet.
	Rows RowSource
	// Chart, when set, adds a chart beside the table.
	Chart *ChartSpec
}

// Options configures Write.
type Options struct {
	// TempDir is where excelize spills sheet data over 16 MB and where the
	// archive is assembled. It is required because those files hold the
	// same personal data as the report: it should be a private directory
	// on the same protected volume as the output. It must exist; every
	// temporary file is removed before Write returns.
	TempDir string
	// MaxRowsPerSheet caps the data rows on one sheet before it continues
	// on the next; 0 means as many as Excel allows (1,048,576 less the
	// title block and header). Larger values are capped the same way.
	MaxRowsPerSheet int
	// Created is the creation and modification date recorded in the
	// document properties and zip headers; zero means DefaultCreated.
	Created time.Time
}

// Report says what Write wrote, so the caller can log counts and flag cells
// that were cut without ever handling their content.
type Report struct {
	// Sheets lists every sheet written, split parts included, in order.
	Sheets []SheetReport
	// Overlong lists text cells that were over Excel's 32,767-character
	// limit and were truncated (up to 10,000 of them).
	Overlong []Overlong
	// OverlongOmitted counts truncated cells not listed in Overlong.
	OverlongOmitted int
}

// SheetReport describes one written sheet.
type SheetReport struct {
	// Name is the sheet's tab name, e.g. "Timeline (2)".
	Name string
	// Source is the Sheet.Name it came from, e.g. "Timeline".
	Source string
	// Rows is the number of data rows on the sheet, header excluded.
	Rows int
}

// Overlong locates a text cell that was truncated. It holds no content.
type Overlong struct {
	// Sheet is the tab name, Row the 1-based Excel row, Column the column
	// letter, and Header the column header ("" in the title block).
	Sheet  string
	Row    int
	Column string
	Header string
	// Length is the original length in UTF-16 units, as Excel counts.
	Length int
}

// Write streams sheets into a new workbook at path, created with mode 0600
// and replaced atomically, so a failed or cancelled run leaves no partial
// file. Text is neutralised against formula injection and over-long text is
// truncated visibly and reported; no cell is ever a formula. The same input
// produces a byte-identical file. Cancelling ctx stops the write between
// rows.
//
// On error nothing is left at path and the report is nil, with one
// exception: if the workbook was saved but a temporary file could not be
// removed, both the report and an error are returned, since personal data
// may remain in opts.TempDir.
func Write(ctx context.Context, path string, sheets []Sheet, opts Options) (rep *Report, err error) {
	if err := validate(sheets, opts); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	created := opts.Created
	if created.IsZero() {
		created = DefaultCreated
	}
	created = created.UTC().Truncate(time.Second)

	// Created first: it proves TempDir is writable. excelize does not check,
	// and silently keeps spilled data in memory when it cannot create files.
	spool, err := os.CreateTemp(opts.TempDir, "breachscope-xlsx-*")
	if err != nil {
		return nil, fmt.Errorf("create temp file: %w", err)
	}
	defer func() {
		err = errors.Join(err, spool.Close(), os.Remove(spool.Name()))
	}()

	f := excelize.NewFile(excelize.Options{TmpDir: opts.TempDir})
	defer func() {
		// Close removes excelize's spill files; failing to means personal
		// data left on disk, which the caller must hear about.
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("remove temp files: %w", cerr))
		}
	}()
	stamp := created.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        "breachscope",
		LastModifiedBy: "breachscope",
		Created:        stamp,
		Modified:       stamp,
	}); err != nil {
		return nil, fmt.Errorf("set document properties: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}

	w := &workbook{f: f, st: st, opts: opts, rep: &Report{}, used: map[string]bool{}}
	for _, s := range sheets {
		w.used[strings.ToLower(s.Name)] = true
	}
	for _, s := range sheets {
		if err := w.writeSheet(ctx, s); err != nil {
			return nil, fmt.Errorf("write sheet %q: %w", s.Name, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fixPartOrder(f)
	if err := save(f, path, spool, created); err != nil {
		return nil, err
	}
	return w.rep, nil
}

func validate(sheets []Sheet, opts Options) error {
	if opts.TempDir == "" {
		return errors.New("options: TempDir is required")
	}
	if fi, err := os.Stat(opts.TempDir); err != nil {
		return fmt.Errorf("options: TempDir: %w", err)
	} else if !fi.IsDir() {
		return errors.New("options: TempDir is not a directory")
	}
	if opts.MaxRowsPerSheet < 0 {
		return errors.New("options: MaxRowsPerSheet is negative")
	}
	if len(sheets) == 0 {
		return errors.New("no sheets to write")
	}
	seen := map[string]bool{}
	for _, s := range sheets {
		if err := checkSheetName(s.Name); err != nil {
			return err
		}
		key := strings.ToLower(s.Name)
		if seen[key] {
			return fmt.Errorf("sheet name %q is used twice", s.Name)
		}
		seen[key] = true
		if err := checkColumns(s.Columns); err != nil {
			return fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		if newLayout(s).headerRow >= excelize.TotalRows {
			return fmt.Errorf("sheet %q: too many notes", s.Name)
		}
		if s.Chart != nil {
			if err := s.Chart.validate(s.Columns); err != nil {
				return fmt.Errorf("sheet %q: %w", s.Name, err)
			}
		}
	}
	return nil
}

func checkColumns(cols []Column) error {
	if len(cols) == 0 {
		return errors.New("no columns")
	}
	if len(cols) > excelize.MaxColumns {
		return fmt.Errorf("%d columns, Excel allows %d", len(cols), excelize.MaxColumns)
	}
	for i, c := range cols {
		if c.Kind < 0 || c.Kind >= kindCount {
			return fmt.Errorf("column %d: unknown kind %d", i+1, int(c.Kind))
		}
		if c.Width < 0 || c.Width > excelize.MaxColumnWidth {
			return fmt.Errorf("column %d: width %g outside 0..%d", i+1, c.Width, excelize.MaxColumnWidth)
		}
	}
	return nil
}

// save writes the workbook next to path and renames it into place, so
// readers never see a half-written report and the mode is 0600 from the
// first byte (os.CreateTemp creates files 0600; excelize's SaveAs would use
// 0666 less umask).
func save(f *excelize.File, path string, spool *os.File, created time.Time) (err error) {
	out, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	defer func() {
		if err != nil {
			_ = out.Close()
			_ = os.Remove(out.Name())
		}
	}()
	if err := out.Chmod(0o600); err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	zw := newSortedZip(spool, out, created)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zw })
	// The archive goes to out through zw; what excelize writes to the
	// io.Writer here is its (empty) in-memory buffer.
	if err := f.Write(io.Discard); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	if err := os.Rename(out.Name(), path); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}
