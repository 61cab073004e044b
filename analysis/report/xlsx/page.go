package xlsx

import "github.com/xuri/excelize/v2"

// fitPageWidth prints a sheet (whose FitToPage property is set when it is
// created) landscape, all columns on one page width and
// as many pages long as it needs: counsel prints these sheets and converts
// them to PDF, and a table cut into vertical strips is unreadable.
func fitPageWidth(f *excelize.File, sheet string) error {
	landscape, one, any := "landscape", 1, 0
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &any})
}
