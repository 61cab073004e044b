// Package xlsx writes breach-impact workbooks for counsel.
//
// It is a thin, opinionated layer over excelize's StreamWriter. Rows are
// streamed from a RowSource so a sheet of a million records never has to sit
// in memory, and every cell that comes from breach data is treated as hostile:
// text is neutralised against formula injection, over-long text is cut
// visibly rather than silently, and nothing is ever written as a formula.
//
// Output is deterministic (the same input gives a byte-identical file), so a
// report can be regenerated and diffed, and hashed for chain of custody.
package xlsx
