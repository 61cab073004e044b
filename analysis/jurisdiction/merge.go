package jurisdiction

// Merge returns base with overrides applied: an override whose code is in
// base replaces that row whole (counsel restates a row rather than patching
// cells, so a blank cell in an override means "none", not "keep"), and one
// with a new code is appended in override order. When overrides repeat a
// code the later one wins. Neither input is changed.
func Merge(base []Rule, overrides []Rule) []Rule {
	out := append([]Rule(nil), base...)
	at := make(map[string]int, len(out))
	for i, r := range out {
		at[r.Code] = i
	}
	for _, o := range overrides {
		if i, ok := at[o.Code]; ok {
			out[i] = o
			continue
		}
		at[o.Code] = len(out)
		out = append(out, o)
	}
	return out
}
