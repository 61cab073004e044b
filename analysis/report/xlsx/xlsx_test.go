package xlsx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/breachscope/breachscope/analysis/report/xlsx"
)

// write runs xlsx.Write into a fresh directory and returns the file path.
func write(t *testing.T, sheets []xlsx.Sheet, opts xlsx.Options) (string, *xlsx.Report) {
	t.Helper()
	dir := t.TempDir()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	path := filepath.Join(dir, "report.xlsx")
	rep, err := xlsx.Write(context.Background(), path, sheets, opts)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return path, rep
}

func open(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// part returns one raw XML part of the workbook archive.
func part(t *testing.T, path, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("part %s not in archive", name)
	return ""
}

func cell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatalf("GetCellValue(%s!%s): %v", sheet, ref, err)
	}
	return v
}

func rawCell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("GetCellValue(%s!%s): %v", sheet, ref, err)
	}
	return v
}

func numFmt(t *testing.T, f *excelize.File, sheet, ref string) (int, string) {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	custom := ""
	if st.CustomNumFmt != nil {
		custom = *st.CustomNumFmt
	}
	return st.NumFmt, custom
}

var allKinds = []xlsx.Column{
	{Header: "Name", Kind: xlsx.Text},
	{Header: "Count", Kind: xlsx.Int},
	{Header: "Score", Kind: xlsx.Float},
	{Header: "Day", Kind: xlsx.Date},
	{Header: "Seen", Kind: xlsx.Timestamp},
	{Header: "Share", Kind: xlsx.Percent},
	{Header: "Verified", Kind: xlsx.Bool},
}

func TestRoundTrip(t *testing.T) {
	cet := time.FixedZone("CET", 2*3600)
	seen := time.Date(2024, 3, 5, 1, 30, 45, 900_000_000, cet) // 2024-03-04 23:30:45.9 UTC
	rows := [][]any{
		{"=1+1", 1234567, 3.5, seen, seen, 0.25, true},
		{"alice@example.com", int64(-42), float32(0.1), time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), nil, 1, false},
		{"a\x00b\x1fc\td", nil, nil, nil, nil, nil, nil},
	}
	path, rep := write(t, []xlsx.Sheet{{
		Name:    "Records",
		Title:   "Reconciliation",
		Notes:   []string{"Starting point for counsel, not legal advice"},
		Columns: allKinds,
		Rows:    xlsx.SliceRows(rows),
	}}, xlsx.Options{})
	f := open(t, path)

	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Records" {
		t.Fatalf("sheets = %q, want [Records]", got)
	}
	if len(rep.Sheets) != 1 || rep.Sheets[0] != (xlsx.SheetReport{Name: "Records", Source: "Records", Rows: 3}) {
		t.Errorf("report sheets = %+v", rep.Sheets)
	}
	if len(rep.Overlong) != 0 {
		t.Errorf("overlong = %+v, want none", rep.Overlong)
	}

	// Layout: title, note, blank, header on row 4, data from row 5.
	if got := cell(t, f, "Records", "A1"); got != "Reconciliation" {
		t.Errorf("title = %q", got)
	}
	if got := cell(t, f, "Records", "A2"); got != "Starting point for counsel, not legal advice" {
		t.Errorf("note = %q", got)
	}
	if got := cell(t, f, "Records", "A3"); got != "" {
		t.Errorf("row 3 = %q, want blank", got)
	}
	all, err := f.GetRows("Records")
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"Name", "Count", "Score", "Day", "Seen", "Share", "Verified"}
	if got := all[3]; strings.Join(got, "|") != strings.Join(wantHeader, "|") {
		t.Errorf("header = %q, want %q", got, wantHeader)
	}
	wantRow := []string{"'=1+1", "1,234,567", "3.50", "2024-03-04", "2024-03-04 23:30:45", "25.00%", "TRUE"}
	if got := all[4]; strings.Join(got, "|") != strings.Join(wantRow, "|") {
		t.Errorf("row 5 = %q, want %q", got, wantRow)
	}
	wantRow = []string{"alice@example.com", "-42", "0.10", "2023-12-31", "", "100.00%", "FALSE"}
	if got := all[5]; strings.Join(got, "|") != strings.Join(wantRow, "|") {
		t.Errorf("row 6 = %q, want %q", got, wantRow)
	}

	// Injection: stored as text, not as a formula.
	if fm, err := f.GetCellFormula("Records", "A5"); err != nil || fm != "" {
		t.Errorf("A5 formula = %q, %v; want none", fm, err)
	}
	if typ, _ := f.GetCellType("Records", "A5"); typ != excelize.CellTypeInlineString {
		t.Errorf("A5 type = %v, want inline string", typ)
	}
	if sheetXML := part(t, path, "xl/worksheets/sheet1.xml"); strings.Contains(sheetXML, "<f>") {
		t.Error("sheet XML contains a formula element")
	}

	// XML-invalid control characters become U+FFFD (done by excelize); tab
	// survives.
	if got := cell(t, f, "Records", "A7"); got != "a\uFFFDb\uFFFDc\td" {
		t.Errorf("control chars stored as %q", got)
	}

	// Dates are numbers with ISO formats, in UTC, seconds kept (not rounded).
	for ref, want := range map[string]string{"D5": "yyyy-mm-dd", "E5": "yyyy-mm-dd hh:mm:ss"} {
		raw := rawCell(t, f, "Records", ref)
		if _, err := strconv.ParseFloat(raw, 64); err != nil {
			t.Errorf("%s raw = %q, want a serial number", ref, raw)
		}
		if _, custom := numFmt(t, f, "Records", ref); custom != want {
			t.Errorf("%s format = %q, want %q", ref, custom, want)
		}
	}
	serial, _ := strconv.ParseFloat(rawCell(t, f, "Records", "E5"), 64)
	got, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 3, 4, 23, 30, 45, 0, time.UTC); got.Sub(want).Abs() > time.Millisecond {
		t.Errorf("timestamp = %v, want %v", got, want)
	}
	if id, _ := numFmt(t, f, "Records", "B5"); id != 3 {
		t.Errorf("int format id = %d, want 3 (#,##0)", id)
	}
	if id, _ := numFmt(t, f, "Records", "F5"); id != 10 {
		t.Errorf("percent format id = %d, want 10 (0.00%%)", id)
	}
	if got := rawCell(t, f, "Records", "C6"); got != "0.1" {
		t.Errorf("float32 0.1 stored as %q", got)
	}

	// Header: bold with a fill; frozen below it; autofilter over the table.
	id, _ := f.GetCellStyle("Records", "A4")
	hs, _ := f.GetStyle(id)
	if hs.Font == nil || !hs.Font.Bold || hs.Fill.Pattern != 1 || len(hs.Fill.Color) == 0 {
		t.Errorf("header style = %+v", hs)
	}
	panes, err := f.GetPanes("Records")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 4 || panes.TopLeftCell != "A5" {
		t.Errorf("panes = %+v, want frozen below row 4", panes)
	}
	sheetXML := part(t, path, "xl/worksheets/sheet1.xml")
	if !strings.Contains(sheetXML, `<autoFilter ref="$A$4:$G$7"`) {
		t.Errorf("no autofilter over A4:G7 in sheet XML")
	}
	// Excel wants <col> elements in ascending order.
	if i, j := strings.Index(sheetXML, `<col min="1"`), strings.Index(sheetXML, `<col min="7"`); i < 0 || j < i {
		t.Errorf("<col> elements missing or out of order")
	}

	// Widths are fitted and clamped.
	for _, col := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		w, err := f.GetColWidth("Records", col)
		if err != nil || w < 8 || w > 80 {
			t.Errorf("width of %s = %v, %v", col, w, err)
		}
	}
	if w, _ := f.GetColWidth("Records", "E"); w < 19 {
		t.Errorf("timestamp column width %v too narrow", w)
	}

	// Every part is well-formed XML.
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		d := xml.NewDecoder(rc)
		for {
			if _, err := d.Token(); err != nil {
				if err != io.EOF {
					t.Errorf("%s: %v", zf.Name, err)
				}
				break
			}
		}
		rc.Close()
	}
}

type count int32

type ratio float32

func TestValueEdgeCases(t *testing.T) {
	s := "pointer"
	n := int64(7)
	rows := [][]any{
		{&s, &n, math.NaN(), time.Time{}, time.Date(1899, 12, 1, 10, 0, 0, 0, time.UTC)},
		{sql.NullString{String: "-1", Valid: true}, int64(1234567890123456), math.Inf(-1), nil, sql.NullTime{}},
		{(*string)(nil), uint64(math.MaxUint64), sql.NullFloat64{Float64: 2.5, Valid: true}, nil, nil},
		{errors.New("e"), count(-3), ratio(0.1), nil, nil},
		{nil, int64(math.MinInt64), nil, nil, nil},
	}
	path, _ := write(t, []xlsx.Sheet{{
		Name: "Edge",
		Columns: []xlsx.Column{
			{Header: "T", Kind: xlsx.Text}, {Header: "I", Kind: xlsx.Int}, {Header: "F", Kind: xlsx.Float},
			{Header: "D", Kind: xlsx.Date}, {Header: "TS", Kind: xlsx.Timestamp},
		},
		Rows: xlsx.SliceRows(rows),
	}}, xlsx.Options{})
	f := open(t, path)
	for ref, want := range map[string]string{
		"A2": "pointer", "B2": "7", "C2": "NaN", "D2": "", "E2": "1899-12-01 10:00:00",
		"A3": "'-1", "B3": "1234567890123456", "C3": "'-Inf", "E3": "",
		"A4": "", "B4": "18446744073709551615", "C4": "2.50",
		"A5": "e", "B5": "-3", "C5": "0.10", "B6": "'-9223372036854775808", // text, so neutralised like all text
	} {
		if got := cell(t, f, "Edge", ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	// Integers past 15 digits are kept exact as text instead of rounded.
	if typ, _ := f.GetCellType("Edge", "B3"); typ != excelize.CellTypeInlineString {
		t.Errorf("B3 type = %v, want text", typ)
	}
	if got := rawCell(t, f, "Edge", "C5"); got != "0.1" {
		t.Errorf("named float32 0.1 stored as %q", got)
	}
}

func TestOverlong(t *testing.T) {
	long := strings.Repeat("x", 40000)
	// Emoji are two UTF-16 units each: 20,000 of them are 40,000 units,
	// over the limit although only 20,000 characters.
	emoji := strings.Repeat("😀", 20000)
	exact := strings.Repeat("y", 32767)
	exactFormula := "=" + strings.Repeat("y", 32766) // the quote pushes it over
	path, rep := write(t, []xlsx.Sheet{{
		Name:    "Long",
		Columns: []xlsx.Column{{Header: "Note", Kind: xlsx.Text}},
		Rows:    xlsx.SliceRows([][]any{{long}, {emoji}, {exact}, {exactFormula}}),
	}}, xlsx.Options{})

	want := []xlsx.Overlong{
		{Sheet: "Long", Row: 2, Column: "A", Header: "Note", Length: 40000},
		{Sheet: "Long", Row: 3, Column: "A", Header: "Note", Length: 40000},
		{Sheet: "Long", Row: 5, Column: "A", Header: "Note", Length: 32768},
	}
	if fmt.Sprint(rep.Overlong) != fmt.Sprint(want) {
		t.Errorf("overlong = %+v, want %+v", rep.Overlong, want)
	}
	f := open(t, path)
	for _, ref := range []string{"A2", "A3", "A5"} {
		got := cell(t, f, "Long", ref)
		if !strings.HasSuffix(got, xlsx.TruncationMarker) {
			t.Errorf("%s does not end with the truncation marker", ref)
		}
		if n := len(utf16.Encode([]rune(got))); n > 32767 || n < 32767-1 {
			t.Errorf("%s is %d UTF-16 units, want at most 32767 and no more cut than needed", ref, n)
		}
		if strings.ContainsRune(got, '\uFFFD') {
			t.Errorf("%s: a surrogate pair was split", ref)
		}
	}
	if got := cell(t, f, "Long", "A4"); got != exact {
		t.Errorf("value of exactly 32,767 characters was changed (len %d)", len(got))
	}
}

func TestSplit(t *testing.T) {
	rows := func(n int) xlsx.RowSource {
		var r [][]any
		for i := 1; i <= n; i++ {
			r = append(r, []any{fmt.Sprintf("r%d", i), i})
		}
		return xlsx.SliceRows(r)
	}
	cols := []xlsx.Column{{Header: "Key", Kind: xlsx.Text}, {Header: "N", Kind: xlsx.Int}}
	long := strings.Repeat("L", 31)
	path, rep := write(t, []xlsx.Sheet{
		{Name: "Name", Title: "Affected people", Columns: cols, Rows: rows(12)},
		{Name: "Exact", Columns: cols, Rows: rows(10)},
		{Name: long, Columns: cols, Rows: rows(6)},
		{Name: "Empty", Columns: cols},
	}, xlsx.Options{MaxRowsPerSheet: 5})

	wantSheets := []xlsx.SheetReport{
		{Name: "Name", Source: "Name", Rows: 5},
		{Name: "Name (2)", Source: "Name", Rows: 5},
		{Name: "Name (3)", Source: "Name", Rows: 2},
		{Name: "Exact", Source: "Exact", Rows: 5},
		{Name: "Exact (2)", Source: "Exact", Rows: 5},
		{Name: long, Source: long, Rows: 5},
		{Name: strings.Repeat("L", 27) + " (2)", Source: long, Rows: 1},
		{Name: "Empty", Source: "Empty", Rows: 0},
	}
	if fmt.Sprint(rep.Sheets) != fmt.Sprint(wantSheets) {
		t.Fatalf("report sheets = %+v\nwant %+v", rep.Sheets, wantSheets)
	}
	f := open(t, path)
	var names []string
	for _, s := range wantSheets {
		names = append(names, s.Name)
	}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(names, "|") {
		t.Fatalf("sheets = %q, want %q", got, names)
	}
	next := 1
	for i, name := range []string{"Name", "Name (2)", "Name (3)"} {
		got, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		// Title, blank, header, then data.
		if got[0][0] != "Affected people" || got[2][0] != "Key" || got[2][1] != "N" {
			t.Errorf("%s: title/header rows = %q", name, got[:3])
		}
		data := got[3:]
		if want := []int{5, 5, 2}[i]; len(data) != want {
			t.Errorf("%s: %d data rows, want %d", name, len(data), want)
		}
		for _, r := range data {
			if r[0] != fmt.Sprintf("r%d", next) {
				t.Errorf("%s: row %q, want r%d", name, r, next)
			}
			next++
		}
		panes, _ := f.GetPanes(name)
		if panes.YSplit != 3 {
			t.Errorf("%s: frozen at %d, want 3", name, panes.YSplit)
		}
	}
}

func TestTempDir(t *testing.T) {
	tmp := t.TempDir()
	// About 2 KB per row: 10,000 rows pass excelize's 16 MB in-memory limit,
	// after which it must spill into TempDir.
	payload := strings.Repeat("p", 2000)
	const total = 10000
	spilled := false
	i := 0
	src := xlsx.RowFunc(func() ([]any, bool, error) {
		if i == total {
			return nil, false, nil
		}
		i++
		if i == total {
			entries, err := os.ReadDir(tmp)
			if err != nil {
				return nil, false, err
			}
			for _, e := range entries {
				spilled = spilled || strings.HasPrefix(e.Name(), "excelize-")
			}
		}
		return []any{payload, i}, true, nil
	})
	_, _ = write(t, []xlsx.Sheet{{
		Name:    "Big",
		Columns: []xlsx.Column{{Header: "P", Kind: xlsx.Text}, {Header: "N", Kind: xlsx.Int}},
		Rows:    src,
	}}, xlsx.Options{TempDir: tmp})
	if !spilled {
		t.Error("excelize did not spill into Options.TempDir")
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("TempDir not cleaned up: %d entries left", len(entries))
	}
}

func TestDeterministic(t *testing.T) {
	sheets := func() []xlsx.Sheet {
		var out []xlsx.Sheet
		// Several streamed sheets, since excelize orders them by map range.
		for i := range 6 {
			out = append(out, xlsx.Sheet{
				Name:    fmt.Sprintf("S%d", i),
				Title:   "Timeline",
				Columns: []xlsx.Column{{Header: "Day", Kind: xlsx.Date}, {Header: "Count", Kind: xlsx.Int}},
				Rows: xlsx.SliceRows([][]any{
					{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 3},
					{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), 5},
				}),
				Chart: &xlsx.ChartSpec{Title: "Per day", ValueColumns: []int{1}},
			})
		}
		return out
	}
	first, _ := write(t, sheets(), xlsx.Options{})
	a, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		next, _ := write(t, sheets(), xlsx.Options{})
		b, err := os.ReadFile(next)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("two writes of the same sheets differ")
		}
	}
	core := part(t, first, "docProps/core.xml")
	if !strings.Contains(core, "2000-01-01T00:00:00Z") || strings.Contains(core, strconv.Itoa(time.Now().Year())+"-") {
		t.Errorf("core.xml does not carry the fixed date: %s", core)
	}
	zr, err := zip.OpenReader(first)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if !zf.Modified.Equal(xlsx.DefaultCreated) {
			t.Errorf("%s: zip time %v", zf.Name, zf.Modified)
		}
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first part = %s", zr.File[0].Name)
	}
}

func TestChart(t *testing.T) {
	path, _ := write(t, []xlsx.Sheet{{
		Name:    "Timeline",
		Title:   "Records exposed per day",
		Columns: []xlsx.Column{{Header: "Day", Kind: xlsx.Date}, {Header: "Records", Kind: xlsx.Int}, {Header: "People", Kind: xlsx.Int}},
		Rows: xlsx.SliceRows([][]any{
			{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 3, 2},
			{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), 5, 4},
			{time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC), 1, 1},
		}),
		Chart: &xlsx.ChartSpec{Title: "Per day", Type: xlsx.ColumnChart, CategoryColumn: 0, ValueColumns: []int{1, 2}},
	}}, xlsx.Options{})
	chart := strings.ReplaceAll(part(t, path, "xl/charts/chart1.xml"), "&#39;", "'")
	for _, want := range []string{
		"<barChart>", `<barDir val="col">`, "<a:t>Per day</a:t>", "'Timeline'!$A$4:$A$6", "'Timeline'!$B$4:$B$6", "'Timeline'!$C$4:$C$6", "'Timeline'!$B$3",
	} {
		if !strings.Contains(chart, want) {
			t.Errorf("chart XML lacks %s", want)
		}
	}
	if x := part(t, path, "xl/worksheets/sheet1.xml"); !strings.Contains(x, "<drawing ") {
		t.Error("sheet does not reference its drawing")
	}
	f := open(t, path)
	if got := cell(t, f, "Timeline", "B5"); got != "5" {
		t.Errorf("B5 = %q", got)
	}
}

func TestFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	path := filepath.Join(t.TempDir(), "report.xlsx")
	// An existing, more open file is replaced, not reused.
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	sheets := []xlsx.Sheet{{Name: "A", Columns: []xlsx.Column{{Header: "x"}}}}
	if _, err := xlsx.Write(context.Background(), path, sheets, xlsx.Options{TempDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("output dir has %d entries, want only the report", len(entries))
	}
}

func TestCancel(t *testing.T) {
	cols := []xlsx.Column{{Header: "N", Kind: xlsx.Int}}
	t.Run("mid-stream", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		tmp, out := t.TempDir(), t.TempDir()
		n := 0
		src := xlsx.RowFunc(func() ([]any, bool, error) {
			n++
			if n == 5000 {
				cancel()
			}
			if n > 1_000_000 {
				return nil, false, errors.New("cancellation was not noticed")
			}
			return []any{n}, true, nil
		})
		path := filepath.Join(out, "r.xlsx")
		_, err := xlsx.Write(ctx, path, []xlsx.Sheet{{Name: "A", Columns: cols, Rows: src}}, xlsx.Options{TempDir: tmp})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if n > 5000+2048 {
			t.Errorf("read %d rows after cancelling", n-5000)
		}
		for _, dir := range []string{tmp, out} {
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("%d files left in %s", len(entries), dir)
			}
		}
	})
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		path := filepath.Join(t.TempDir(), "r.xlsx")
		_, err := xlsx.Write(ctx, path, []xlsx.Sheet{{Name: "A", Columns: cols}}, xlsx.Options{TempDir: t.TempDir()})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("output exists after cancelled write")
		}
	})
}

func TestErrors(t *testing.T) {
	const secret = "4111-secret-value"
	cols := []xlsx.Column{{Header: "N", Kind: xlsx.Int}}
	one := func(rows ...[]any) xlsx.RowSource { return xlsx.SliceRows(rows) }
	tests := []struct {
		name   string
		sheets []xlsx.Sheet
		opts   *xlsx.Options
		want   string
	}{
		{"no temp dir", []xlsx.Sheet{{Name: "A", Columns: cols}}, &xlsx.Options{}, "TempDir is required"},
		{"missing temp dir", []xlsx.Sheet{{Name: "A", Columns: cols}}, &xlsx.Options{TempDir: "/nonexistent/breachscope"}, "TempDir"},
		{"no sheets", nil, nil, "no sheets"},
		{"empty name", []xlsx.Sheet{{Name: " ", Columns: cols}}, nil, "empty"},
		{"long name", []xlsx.Sheet{{Name: strings.Repeat("n", 32), Columns: cols}}, nil, "longer than 31"},
		{"bad char", []xlsx.Sheet{{Name: "a/b", Columns: cols}}, nil, "contains one of"},
		{"apostrophe", []xlsx.Sheet{{Name: "Counsel's", Columns: cols}}, nil, "apostrophe"},
		{"duplicate", []xlsx.Sheet{{Name: "A", Columns: cols}, {Name: "a", Columns: cols}}, nil, "used twice"},
		{"no columns", []xlsx.Sheet{{Name: "A"}}, nil, "no columns"},
		{"bad kind", []xlsx.Sheet{{Name: "A", Columns: []xlsx.Column{{Kind: 99}}}}, nil, "unknown kind"},
		{"bad chart", []xlsx.Sheet{{Name: "A", Columns: cols, Chart: &xlsx.ChartSpec{ValueColumns: []int{3}}}}, nil, "out of range"},
		{"text chart", []xlsx.Sheet{{Name: "A", Columns: []xlsx.Column{{}, {}}, Chart: &xlsx.ChartSpec{ValueColumns: []int{1}}}}, nil, "not a number"},
		{"wrong type", []xlsx.Sheet{{Name: "A", Columns: cols, Rows: one([]any{secret})}}, nil, `row 1 column 1 ("N"): want integer value, got string`},
		{"wrong length", []xlsx.Sheet{{Name: "A", Columns: cols, Rows: one([]any{1, secret})}}, nil, "row 1 has 2 values, want 1"},
		{"source error", []xlsx.Sheet{{Name: "A", Columns: cols, Rows: xlsx.RowFunc(func() ([]any, bool, error) {
			return nil, false, errors.New("boom")
		})}}, nil, "boom"},
		{"split clash", []xlsx.Sheet{
			{Name: "A", Columns: cols, Rows: one([]any{1}, []any{2})},
			{Name: "A (2)", Columns: cols},
		}, &xlsx.Options{MaxRowsPerSheet: 1}, "clashes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := xlsx.Options{TempDir: t.TempDir()}
			if tt.opts != nil {
				opts = *tt.opts
				if opts.TempDir == "" && tt.name != "no temp dir" {
					opts.TempDir = t.TempDir()
				}
			}
			path := filepath.Join(t.TempDir(), "r.xlsx")
			_, err := xlsx.Write(context.Background(), path, tt.sheets, opts)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error leaks cell content: %v", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("output exists after failed write")
			}
		})
	}
}

func TestReusedRowSlice(t *testing.T) {
	// Sources backed by *sql.Rows typically reuse one slice; the rows read
	// ahead for width fitting must not all end up as the last row.
	buf := make([]any, 1)
	n := 0
	src := xlsx.RowFunc(func() ([]any, bool, error) {
		if n == 3 {
			return nil, false, nil
		}
		n++
		buf[0] = fmt.Sprintf("row %d", n)
		return buf, true, nil
	})
	path, _ := write(t, []xlsx.Sheet{{
		Name:    "Reuse",
		Notes:   []string{"Notes without a title still get a blank row."},
		Columns: []xlsx.Column{{Header: "V"}},
		Rows:    src,
	}}, xlsx.Options{})
	f := open(t, path)
	rows, err := f.GetRows("Reuse")
	if err != nil {
		t.Fatal(err)
	}
	want := "[[Notes without a title still get a blank row.] [] [V] [row 1] [row 2] [row 3]]"
	if got := fmt.Sprint(rows); got != want {
		t.Errorf("rows = %s, want %s", got, want)
	}
}

func TestCreated(t *testing.T) {
	when := time.Date(2024, 6, 30, 12, 0, 0, 0, time.FixedZone("X", 3600))
	path, _ := write(t, []xlsx.Sheet{{Name: "A", Columns: []xlsx.Column{{Header: "x"}}}}, xlsx.Options{Created: when})
	core := part(t, path, "docProps/core.xml")
	if !strings.Contains(core, "2024-06-30T11:00:00Z") || strings.Contains(core, "xuri") {
		t.Errorf("core.xml = %s", core)
	}
	props, err := open(t, path).GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2024-06-30T11:00:00Z" || props.Modified != props.Created || props.Creator != "breachscope" {
		t.Errorf("doc props = %+v", props)
	}
}
