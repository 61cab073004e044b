package xlsx

import (
	"errors"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// ChartType selects how a ChartSpec is drawn.
type ChartType int

const (
	// LineChart draws one line per value column; suits day-by-day timelines.
	LineChart ChartType = iota
	// ColumnChart draws vertical bars.
	ColumnChart
)

// ChartSpec asks for a chart beside the table, over all its data rows (each
// part of a split sheet gets its own chart over its own rows).
type ChartSpec struct {
	// Title is shown above the plot.
	Title string
	// Type is LineChart (the default) or ColumnChart.
	Type ChartType
	// CategoryColumn is the 0-based index of the column giving the x-axis
	// labels, such as the day.
	CategoryColumn int
	// ValueColumns are the 0-based indexes of the numeric columns to plot,
	// one series each, named after their headers.
	ValueColumns []int
}

func (c *ChartSpec) validate(cols []Column) error {
	if c.Type != LineChart && c.Type != ColumnChart {
		return fmt.Errorf("chart: unknown type %d", int(c.Type))
	}
	if len(c.ValueColumns) == 0 {
		return errors.New("chart: no value columns")
	}
	for _, i := range append([]int{c.CategoryColumn}, c.ValueColumns...) {
		if i < 0 || i >= len(cols) {
			return fmt.Errorf("chart: column index %d out of range", i)
		}
	}
	for _, i := range c.ValueColumns {
		switch cols[i].Kind {
		case Int, Float, Percent:
		default:
			return fmt.Errorf("chart: value column %d is %s, not a number", i, cols[i].Kind)
		}
	}
	return nil
}

// addChart places the chart right of the table, level with the header. It
// must run before the sheet's StreamWriter is flushed: Flush serialises the
// worksheet's drawing reference, and after it the worksheet is gone from
// excelize's model, so a later AddChart would not reach the streamed sheet.
func addChart(f *excelize.File, sheet string, c *ChartSpec, ncols, headerRow, lastRow int) error {
	if lastRow <= headerRow {
		return nil // nothing to plot; an empty chart only confuses
	}
	ref := func(col, from, to int) string {
		name, _ := excelize.ColumnNumberToName(col + 1)
		if to == 0 {
			return fmt.Sprintf("'%s'!$%s$%d", sheet, name, from)
		}
		return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, name, from, name, to)
	}
	typ := excelize.Line
	if c.Type == ColumnChart {
		typ = excelize.Col
	}
	varyColors := false
	chart := &excelize.Chart{
		Type:       typ,
		Dimension:  excelize.ChartDimension{Width: 720, Height: 360},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		VaryColors: &varyColors,
	}
	if c.Title != "" {
		chart.Title = excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.Title}}}
	}
	for _, v := range c.ValueColumns {
		chart.Series = append(chart.Series, excelize.ChartSeries{
			Name:       ref(v, headerRow, 0),
			Categories: ref(c.CategoryColumn, headerRow+1, lastRow),
			Values:     ref(v, headerRow+1, lastRow),
		})
	}
	anchor, err := excelize.CoordinatesToCellName(ncols+2, headerRow)
	if err != nil {
		return err
	}
	return f.AddChart(sheet, anchor, chart)
}
