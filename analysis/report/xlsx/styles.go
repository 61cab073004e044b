package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// One font everywhere, so sheets look the same whichever application or
// locale opens them and fitted widths stay meaningful.
const (
	fontFamily = "Calibri"
	fontSize   = 11
)

// styles holds the workbook-wide style IDs. They are created once, in a
// fixed order, so the styles part (and with it the file) is deterministic.
type styles struct {
	title, note, header                   int
	text, int, float, percent, bool, date int
	timestamp                             int
}

func newStyles(f *excelize.File) (*styles, error) {
	font := func(bold, italic bool, size float64) *excelize.Font {
		return &excelize.Font{Family: fontFamily, Size: size, Bold: bold, Italic: italic}
	}
	custom := func(code string) *string { return &code }
	st := &styles{}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(true, false, 14)}},
		{&st.note, excelize.Style{Font: font(false, true, fontSize)}},
		{&st.header, excelize.Style{
			Font:      font(true, false, fontSize),
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
			Alignment: &excelize.Alignment{Vertical: "center"},
		}},
		// "@" keeps the cell text even if someone edits it later, so a value
		// like "=1+1" retyped in Excel is still not evaluated.
		{&st.text, excelize.Style{Font: font(false, false, fontSize), NumFmt: 49}},
		{&st.int, excelize.Style{Font: font(false, false, fontSize), NumFmt: 3}},      // #,##0
		{&st.float, excelize.Style{Font: font(false, false, fontSize), NumFmt: 4}},    // #,##0.00
		{&st.percent, excelize.Style{Font: font(false, false, fontSize), NumFmt: 10}}, // 0.00%
		{&st.bool, excelize.Style{Font: font(false, false, fontSize)}},
		// Built-in date formats follow the reader's locale; custom codes do
		// not, so every reader sees ISO dates.
		{&st.date, excelize.Style{Font: font(false, false, fontSize), CustomNumFmt: custom("yyyy-mm-dd")}},
		{&st.timestamp, excelize.Style{Font: font(false, false, fontSize), CustomNumFmt: custom("yyyy-mm-dd hh:mm:ss")}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("create style: %w", err)
		}
		*d.id = id
	}
	return st, nil
}
