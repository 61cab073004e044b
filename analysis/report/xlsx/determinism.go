package xlsx

import (
	"sort"

	"github.com/xuri/excelize/v2"
)

// fixPartOrder removes the run-to-run variation excelize leaves in a
// workbook's XML. Adding a drawing (every chart has one) appends the image
// <Default> content types by ranging over a map, so their order in
// [Content_Types].xml is random; sorting them makes it stable. The order of
// the archive's parts is fixed separately, by sortedZip.
func fixPartOrder(f *excelize.File) {
	if f.ContentTypes == nil {
		return
	}
	d := f.ContentTypes.Defaults
	sort.SliceStable(d, func(i, j int) bool { return d[i].Extension < d[j].Extension })
}
