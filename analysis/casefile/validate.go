package casefile

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // time zones must resolve on machines without a zoneinfo database
)

type validator struct {
	c     *Case
	lines map[string]int
	probs *Problems
}

// fail records a problem at the line of key, or of its nearest parent that has one.
func (v *validator) fail(key, format string, args ...any) {
	line := 0
	for p := key; p != ""; p = parent(p) {
		if l, ok := v.lines[p]; ok {
			line = l
			break
		}
	}
	v.probs.Items = append(v.probs.Items, Problem{Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func (v *validator) validate() {
	c := v.c
	if c.Version != 1 {
		v.fail("version", "must be 1 (the only case file version this breachscope reads), got %d", c.Version)
	}
	v.customers()
	v.logs()
	v.identifiers()
	v.endpoints()
	v.scope()
	v.notice()
	v.noticeDates()
	v.people()
}

func (v *validator) customers() {
	srcs := v.c.Customers.Sources
	if len(srcs) == 0 {
		v.fail("customers.sources", "at least one customer source is required")
	} else if v.primaryCount() == 0 {
		v.fail("customers.sources", "every source is many_per_customer: at least one table must hold the customers themselves")
	}
	names := map[string]bool{}
	for i := range srcs {
		s := &srcs[i]
		key := fmt.Sprintf("customers.sources[%d]", i)
		if s.DateOrder == "" {
			s.DateOrder = "mdy"
		}
		if s.DateOrder != "mdy" && s.DateOrder != "dmy" {
			v.fail(key+".date_order", "mdy (03/14/1987, the US order) or dmy (14/03/1987)")
		}
		v.sourceCommon(key, &s.Name, s.Path, names)
		if s.Format == "" {
			s.Format = formatFromPath(s.Path)
		}
		if !slices.Contains(CustomerFormats, s.Format) {
			v.fail(key+".format", "unknown format %q%s; one of: %s", s.Format, suggest(s.Format, CustomerFormats), strings.Join(CustomerFormats, ", "))
		}
		for field, col := range s.Columns {
			if !slices.Contains(CustomerFields, field) {
				v.fail(key+".columns."+field, "unknown customer field%s; fields: %s (put case-specific fields under extra)", suggest(field, CustomerFields), strings.Join(CustomerFields, ", "))
			}
			if strings.TrimSpace(col) == "" {
				v.fail(key+".columns."+field, "needs the name of a column in %s", s.Path)
			}
		}
		if s.Columns["customer_id"] == "" && s.ManyPerCustomer {
			v.fail(key+".columns", "customer_id is required: the column that links each row to its customer in a primary table")
		} else if s.Columns["customer_id"] == "" {
			v.fail(key+".columns", "customer_id is required: the column that identifies a customer record uniquely")
		}
		for field, col := range s.Extra {
			switch {
			case !identRE.MatchString(field):
				v.fail(key+".extra."+field, "element names are lower case letters, digits and _ (starting with a letter)")
			case slices.Contains(CustomerFields, field) || isBuiltinElement(field):
				v.fail(key+".extra."+field, "%q is a built-in field or element; map it under columns", field)
			}
			if strings.TrimSpace(col) == "" {
				v.fail(key+".extra."+field, "needs the name of a column in %s", s.Path)
			}
		}
	}
	if n := len(v.c.Elements()); n > MaxElements {
		v.fail("customers.sources", "%d data elements (built-in and extra fields); at most %d: each element is one bit of a 128-bit mask in the analysis SQL", n, MaxElements)
	}
}

// MaxElements is how many data elements (built-in plus extra fields) a case
// may have: the analysis keeps a customer's exposed elements as a bit mask
// in a HUGEINT (bit_or spills under a memory limit, a list aggregate does
// not), one bit per element order 1..126.
const MaxElements = 126

func (v *validator) primaryCount() int {
	n := 0
	for _, s := range v.c.Customers.Sources {
		if !s.ManyPerCustomer {
			n++
		}
	}
	return n
}

func (v *validator) sourceCommon(key string, name *string, path string, names map[string]bool) {
	if *name == "" {
		*name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if names[*name] {
		v.fail(key+".name", "duplicate source name %q", *name)
	}
	names[*name] = true
	if strings.TrimSpace(path) == "" {
		v.fail(key+".path", "a file path or glob is required")
	} else if _, err := filepath.Match(path, ""); err != nil {
		v.fail(key+".path", "bad glob pattern: %v", err)
	}
}

func isBuiltinElement(name string) bool {
	for _, e := range BuiltinElements {
		if e.Name == name {
			return true
		}
	}
	return false
}

func formatFromPath(p string) string {
	p = strings.TrimSuffix(strings.ToLower(p), ".gz")
	switch {
	case strings.HasSuffix(p, ".csv"):
		return "csv"
	case strings.HasSuffix(p, ".tsv"):
		return "tsv"
	case strings.HasSuffix(p, ".parquet"):
		return "parquet"
	case strings.HasSuffix(p, ".jsonl"), strings.HasSuffix(p, ".ndjson"), strings.HasSuffix(p, ".json"):
		return "jsonl"
	}
	return ""
}

func (v *validator) logs() {
	if len(v.c.Logs) == 0 {
		v.fail("logs", "at least one log source is required")
	}
	names := map[string]bool{}
	for i := range v.c.Logs {
		l := &v.c.Logs[i]
		key := fmt.Sprintf("logs[%d]", i)
		v.sourceCommon(key, &l.Name, l.Path, names)
		if l.Format == "" {
			l.Format = formatFromPath(l.Path)
		}
		if !slices.Contains(LogFormats, l.Format) {
			v.fail(key+".format", "unknown log format %q%s; this version reads: %s", l.Format, suggest(l.Format, LogFormats), strings.Join(LogFormats, ", "))
		}
		v.logFields(key, l)
		if l.Timezone == "" {
			l.Timezone = "UTC"
		}
		if _, err := time.LoadLocation(l.Timezone); err != nil {
			v.fail(key+".timezone", "unknown time zone %q: use an IANA name such as UTC or America/New_York", l.Timezone)
		}
	}
	v.identityJoins()
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

func (v *validator) endpoints() {
	if len(v.c.Endpoints) == 0 {
		v.fail("endpoints", "at least one endpoint is required: which request returns which fields")
	}
	names := map[string]bool{}
	elements := elementNames(v.c.Elements())
	for i := range v.c.Endpoints {
		e := &v.c.Endpoints[i]
		key := fmt.Sprintf("endpoints[%d]", i)
		if e.Name == "" {
			v.fail(key+".name", "a name is required (it appears in evidence and reports)")
		}
		if names[e.Name] {
			v.fail(key+".name", "duplicate endpoint name %q", e.Name)
		}
		names[e.Name] = true
		e.Method = strings.ToUpper(strings.TrimSpace(e.Method))
		if e.Method == "" {
			e.Method = "GET"
		}
		if e.Method != "*" && !regexp.MustCompile(`^[A-Z]+$`).MatchString(e.Method) {
			v.fail(key+".method", "an HTTP method such as GET, or * for any")
		}
		placeholder := v.endpointRegex(key, e)
		if e.Identifier == "" && placeholder != "" {
			e.Identifier = placeholder
		}
		if e.Identifier == "" {
			v.fail(key+".identifier", "which identifier kind the request carries is required; kinds: %s", strings.Join(v.c.IdentifierKinds(), ", "))
		} else if id, ok := v.c.IdentifierKind(e.Identifier); !ok {
			v.fail(key+".identifier", "unknown identifier kind %q%s; kinds: %s (declare others under identifiers)", e.Identifier, suggest(e.Identifier, v.c.IdentifierKinds()), strings.Join(v.c.IdentifierKinds(), ", "))
		} else if !v.fieldMapped(id.Field) {
			v.fail(key+".identifier", "identifier %q is matched against customer field %q, which no customer source maps", e.Identifier, id.Field)
		}
		if len(e.Exposes) == 0 {
			v.fail(key+".exposes", "list the data elements the response returns; elements: %s", strings.Join(elements, ", "))
		}
		for j, el := range e.Exposes {
			if !slices.Contains(elements, el) {
				v.fail(fmt.Sprintf("%s.exposes[%d]", key, j), "unknown element %q%s; elements: %s", el, suggest(el, elements), strings.Join(elements, ", "))
			}
		}
		linked := v.linkedSources()
		for j, src := range e.AlsoReturns {
			if !slices.Contains(linked, src) {
				v.fail(fmt.Sprintf("%s.also_returns[%d]", key, j), "%q is not a many_per_customer customer source%s; those are: %s", src, suggest(src, linked), strings.Join(linked, ", "))
			}
		}
	}
}

// endpointRegex sets e.Regex from path or path_regex and returns the path
// placeholder name, if any.
func (v *validator) endpointRegex(key string, e *Endpoint) string {
	switch {
	case e.Path != "" && e.PathRegex != "":
		v.fail(key, "set path or path_regex, not both")
		return ""
	case e.Path == "" && e.PathRegex == "":
		v.fail(key+".path", "a path template such as /api/v1/accounts/{account_number} (or path_regex) is required")
		return ""
	case e.PathRegex != "":
		re, err := regexp.Compile(e.PathRegex)
		if err != nil {
			v.fail(key+".path_regex", "not a valid regular expression (RE2 syntax): %v", err)
			return ""
		}
		want := 1
		if e.QueryParam != "" {
			want = 0
		}
		if re.NumSubexp() != want {
			v.fail(key+".path_regex", "needs exactly %d capture group(s) (the identifier), has %d", want, re.NumSubexp())
		}
		e.Regex = "^(?:" + e.PathRegex + ")$"
		return ""
	}
	if !strings.HasPrefix(e.Path, "/") {
		v.fail(key+".path", "a path template starts with /")
	}
	holes := placeholderRE.FindAllStringSubmatchIndex(e.Path, -1)
	if len(holes) > 1 {
		v.fail(key+".path", "at most one {placeholder} (the identifier); use path_regex for other shapes")
		return ""
	}
	if len(holes) == 1 && e.QueryParam != "" {
		v.fail(key, "the identifier is either in the path ({placeholder}) or in query_param, not both")
		return ""
	}
	if len(holes) == 0 && e.QueryParam == "" {
		v.fail(key, "say where the identifier is: a {placeholder} in path or a query_param")
		return ""
	}
	if len(holes) == 0 {
		e.Regex = "^" + regexp.QuoteMeta(strings.TrimSuffix(e.Path, "/")) + "/?$"
		return ""
	}
	h := holes[0]
	name := e.Path[h[2]:h[3]]
	e.Regex = "^" + regexp.QuoteMeta(e.Path[:h[0]]) + "([^/]+)" + regexp.QuoteMeta(strings.TrimSuffix(e.Path[h[1]:], "/")) + "/?$"
	return name
}

func (v *validator) linkedSources() []string {
	var out []string
	for _, s := range v.c.Customers.Sources {
		if s.ManyPerCustomer {
			out = append(out, s.Name)
		}
	}
	return out
}

func (v *validator) fieldMapped(field string) bool {
	for _, s := range v.c.Customers.Sources {
		if s.Columns[field] != "" || s.Extra[field] != "" {
			return true
		}
	}
	return false
}

func elementNames(els []Element) []string {
	out := make([]string, len(els))
	for i, e := range els {
		out[i] = e.Name
	}
	return out
}

func (v *validator) scope() {
	s := &v.c.Scope
	w := &v.c.Window
	var err error
	if s.Window.Start != "" {
		if w.Start, err = parseInstant(s.Window.Start); err != nil {
			v.fail("scope.window.start", "%v", err)
		}
	}
	if s.Window.End != "" {
		if w.End, err = parseInstant(s.Window.End); err != nil {
			v.fail("scope.window.end", "%v", err)
		}
	}
	if !w.Start.IsZero() && !w.End.IsZero() && !w.Start.Before(w.End) {
		v.fail("scope.window", "start must be before end (end is exclusive)")
	}
	if s.Match == "" {
		s.Match = "any"
	}
	if s.Match != "any" && s.Match != "all" {
		v.fail("scope.match", "any (a request matching any indicator is the attacker's) or all")
	}
	if len(s.IPs)+len(s.Principals)+len(s.UserAgents) == 0 {
		v.fail("scope", "no indicators: add ips, principals or user_agents (breachscope triage proposes candidates)")
	}
	for i, ip := range s.IPs {
		if _, err := ParseIPIndicator(ip); err != nil {
			v.fail(fmt.Sprintf("scope.ips[%d]", i), "%q is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/32)", ip)
		}
	}
	for i, p := range s.Principals {
		if strings.TrimSpace(p) == "" {
			v.fail(fmt.Sprintf("scope.principals[%d]", i), "empty principal")
		}
	}
	for i, ua := range s.UserAgents {
		if _, err := regexp.Compile(ua); err != nil {
			v.fail(fmt.Sprintf("scope.user_agents[%d]", i), "not a valid regular expression (RE2 syntax): %v", err)
		}
	}
	if len(s.Success.Status) == 0 {
		s.Success.Status = []int{200, 299}
	}
	st := s.Success.Status
	if len(st) != 2 || st[0] < 100 || st[1] > 599 || st[0] > st[1] {
		v.fail("scope.success.status", "a range [low, high] of HTTP statuses, for example [200, 299]")
	}
	if s.Success.MinBytes < 0 {
		v.fail("scope.success.min_bytes", "must be 0 or more")
	}
}

// ParseIPIndicator parses an address or CIDR into a prefix (an address is a /32 or /128).
func ParseIPIndicator(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// parseInstant accepts RFC 3339 times and bare dates (midnight UTC).
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time: use RFC 3339 such as 2022-11-25T00:00:00Z, or a date 2022-11-25 (midnight UTC)", s)
}

func (v *validator) identifiers() {
	for kind, id := range v.c.Identifiers {
		key := "identifiers." + kind
		if !identRE.MatchString(kind) {
			v.fail(key, "identifier kinds are lower case letters, digits and _")
		}
		eff, _ := v.c.IdentifierKind(kind)
		if !slices.Contains(v.c.AllCustomerFields(), eff.Field) {
			v.fail(key+".field", "unknown customer field %q%s", eff.Field, suggest(eff.Field, v.c.AllCustomerFields()))
		}
		if !slices.Contains(Normalizers, eff.Normalize) {
			v.fail(key+".normalize", "unknown normalisation %q%s; one of: %s", eff.Normalize, suggest(eff.Normalize, Normalizers), strings.Join(Normalizers, ", "))
		}
		if id.LeadingZeros != "" && id.LeadingZeros != "significant" && id.LeadingZeros != "ignore" {
			v.fail(key+".leading_zeros", "significant (0012 and 12 differ) or ignore (the API accepted both)")
		}
		if id.DefaultCountryCode != "" && !regexp.MustCompile(`^[1-9][0-9]{0,2}$`).MatchString(id.DefaultCountryCode) {
			v.fail(key+".default_country_code", "a country calling code such as \"1\" or \"44\", as a quoted string")
		}
	}
}

func (v *validator) notice() {
	n := &v.c.Notice
	if n.ReferenceSecretFile == "" {
		n.ReferenceSecretFile = "reference.key"
	}
	if n.CSV.Delimiter == "" {
		n.CSV.Delimiter = ","
	}
	if len([]rune(n.CSV.Delimiter)) != 1 || strings.ContainsAny(n.CSV.Delimiter, "\"\r\n") {
		v.fail("notice.csv.delimiter", "a single character such as \",\" or \";\"")
	}
	elements := elementNames(v.c.Elements())
	for el := range n.Labels {
		if !slices.Contains(elements, el) {
			v.fail("notice.labels."+el, "unknown element%s; elements: %s", suggest(el, elements), strings.Join(elements, ", "))
		}
	}
}

// Resolve returns p relative to the case directory unless it is absolute.
func (c *Case) Resolve(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}
