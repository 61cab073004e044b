package scaffold

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/breachscope/breachscope/analysis/casefile"
)

// commentColumn is where trailing comments start, so a file reads as two columns.
const commentColumn = 42

// writer builds the case file line by line.
type writer struct{ b strings.Builder }

// line writes code with an optional trailing comment.
func (w *writer) line(code, comment string) {
	w.b.WriteString(code)
	if comment != "" {
		pad := commentColumn - len(code)
		if pad < 1 {
			pad = 1
		}
		w.b.WriteString(strings.Repeat(" ", pad))
		if !strings.HasPrefix(comment, "#") {
			w.b.WriteString("# ")
		}
		w.b.WriteString(oneLine(comment))
	}
	w.b.WriteByte('\n')
}

func (w *writer) blank() { w.b.WriteByte('\n') }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// guess is the trailing comment of a guessed value.
func guess(why string) string {
	if why == "" {
		return MarkGuess
	}
	return MarkGuess + " (" + why + ")"
}

// todo is the trailing comment of a value init could not guess.
func todo(what string) string { return MarkTODO + ": " + what }

// q renders s as a YAML scalar, quoted only when YAML needs it.
func q(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// Render writes the proposal as a commented case file.
func Render(p *Proposal) []byte {
	w := &writer{}
	for _, l := range []string{
		"# breachscope case file written by `breachscope init`.",
		"#",
		"# init read samples of the inputs and guessed what it could. Every line",
		"# marked \"" + MarkGuess + "\" is a guess: check it. Every line marked",
		"# \"" + MarkTODO + "\" needs a value only you know (a commented-out TODO line",
		"# is optional: uncomment it to use it). Then, before the long run:",
		"#   breachscope check <case-dir>",
		"#   breachscope run <case-dir>",
	} {
		w.line(l, "")
	}
	w.line("version: 1", "")
	w.line("name: "+q(p.Name), guess("the case directory's name"))
	w.blank()
	p.renderCustomers(w)
	w.blank()
	p.renderLogs(w)
	w.blank()
	p.renderEndpoints(w)
	w.blank()
	p.renderScope(w)
	w.blank()
	p.renderIdentifiers(w)
	w.line("notice:", "")
	w.line("  reference_secret_file: reference.key", "HMAC secret for reference codes, created by the first report: keep it secret")
	return []byte(w.b.String())
}

// source writes the name, path and format lines of a source at indent.
func (w *writer) source(indent, name, path, pathNote, format, formatTODO, formatGuess string) {
	w.line(indent[:len(indent)-2]+"- name: "+q(name), "")
	w.line(indent+"path: "+q(path), pathNote)
	if format == "" {
		w.line(indent+"format:", todo(formatTODO))
	} else {
		w.line(indent+"format: "+format, guess(formatGuess))
	}
}

func (p *Proposal) renderCustomers(w *writer) {
	w.line("customers:", "")
	w.line("  sources:", "")
	for _, s := range p.Customers {
		w.source("      ", s.Name, s.Path, fmt.Sprintf("%d file(s)", s.Files), s.Format,
			s.Note+"; ingest reads csv (comma), tsv, parquet and jsonl: convert the file", s.Note)
		w.line("      columns:", "canonical field: column in the file")
		for _, f := range casefile.CustomerFields {
			g, ok := s.Columns[f]
			switch {
			case ok && g.Value != "":
				w.line("        "+f+": "+q(g.Value), guess(g.Why))
			case f == "customer_id":
				w.line("        customer_id:", todo("the column that identifies a customer record uniquely (required)"))
			case needsTODO(f, s.Columns):
				w.line("        # "+f+":", todo("no column looked like "+f+"; map one if the table has it"))
			}
		}
		w.line("      extra:", "case-specific data elements (element: column)")
		for _, x := range s.Extra {
			el := x.Element
			if el == "" {
				el = "element_name"
			}
			w.line("        # "+el+": "+q(x.Column), todo("uncomment if "+x.Column+" is a data element the API returned"))
		}
	}
}

// needsTODO says whether an unmapped customer field deserves a TODO line:
// only when no field of its element is mapped (full_name is not missing
// when first and last name are there).
func needsTODO(field string, cols map[string]Guess) bool {
	for _, e := range casefile.BuiltinElements {
		for _, f := range e.Fields {
			if f != field {
				continue
			}
			for _, other := range e.Fields {
				if cols[other].Value != "" {
					return false
				}
			}
			return field == e.Fields[0] || (e.Name == "name" && field == "full_name")
		}
	}
	return false
}

// requiredLogFields must be mapped for every generic log format.
var requiredLogFields = []string{"time", "method", "status"}

// indicatorLogFields are optional fields worth a TODO when unmapped: scope
// indicators and success rules need them.
var indicatorLogFields = []string{"client_ip", "principal", "user_agent", "bytes"}

func (p *Proposal) renderLogs(w *writer) {
	w.line("logs:", "")
	for _, l := range p.Logs {
		w.source("    ", l.Name, l.Path, fmt.Sprintf("%d file(s); plain and .gz", l.Files), l.Format,
			l.Why+"; formats: jsonl, csv, tsv, parquet, combined, alb, apigw, cloudtrail", "detected from content: "+l.Why)
		if l.Fields == nil && l.Format != "" {
			w.line("    # fields: fixed by the "+l.Format+" format", "")
		} else {
			w.line("    fields:", "canonical field: key (dotted path for nested JSON) or column")
			for _, f := range casefile.LogFields {
				g := l.Fields[f]
				switch {
				case g.Value != "":
					w.line("      "+f+": "+q(g.Value), guess(g.Why))
				case f == "path" && l.Fields["url"].Value == "":
					w.line("      path:", todo("the request path (or map url: for path and query together)"))
				case f == "url" || (f == "query" && l.Fields["url"].Value != ""):
				case contains(requiredLogFields, f):
					w.line("      "+f+":", todo("required: the key that holds "+f))
				case contains(indicatorLogFields, f):
					w.line("      # "+f+":", todo("no key looked like "+f+"; map one if the logs have it"))
				}
			}
		}
		if l.NeedTimezone {
			w.line("    timezone: UTC", todo("the logs' times carry no offset: the IANA zone they were written in"))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *Proposal) elementsHint() string {
	names := []string{}
	for _, e := range casefile.BuiltinElements {
		names = append(names, e.Name)
	}
	for _, s := range p.Customers {
		for _, x := range s.Extra {
			if x.Element != "" && !contains(names, x.Element) {
				names = append(names, x.Element+"?")
			}
		}
	}
	return strings.Join(names, ", ")
}

func (p *Proposal) renderEndpoints(w *writer) {
	w.line("endpoints:", "which request returns which data elements")
	w.line(fmt.Sprintf("  # Proposed from %d sampled requests: the most frequent templates with an", p.Requests), "")
	w.line("  # identifier in the path or query that returned data.", "")
	if len(p.Skipped) > 0 {
		w.line("  # Seen but not proposed:", "")
		for _, s := range p.Skipped {
			w.line("  #   "+s, "")
		}
	}
	exposes := todo("the data elements its response returns, e.g. [" + p.elementsHint() + "]")
	if len(p.Endpoints) == 0 {
		w.line("  - name:", todo("a name for the endpoint"))
		w.line("    method: GET", todo("the HTTP method"))
		w.line("    path:", todo("a path template such as /api/v1/accounts/{account_number}"))
		w.line("    identifier:", todo("the identifier kind it takes: account_number, phone, email or customer_id"))
		w.line("    exposes: []", exposes)
		return
	}
	for _, e := range p.Endpoints {
		w.line("  - name: "+q(e.Name), guess(e.Why))
		w.line("    method: "+e.Method, guess(""))
		w.line("    path: "+q(e.Path), guess(""))
		if e.QueryParam != "" {
			w.line("    query_param: "+q(e.QueryParam), guess("the identifier is in this query parameter"))
		}
		if e.Identifier.Value == "" {
			w.line("    identifier:", todo(e.Identifier.Why))
		} else {
			w.line("    identifier: "+e.Identifier.Value, guess(e.Identifier.Why))
		}
		w.line("    exposes: []", exposes)
	}
}

func (p *Proposal) renderScope(w *writer) {
	w.line("scope:", todo("which requests are the attacker's: give at least one of ips, principals, user_agents"))
	if p.Window.N > 0 {
		w.line("  window:", "the attack's time window: start inclusive, end exclusive")
		w.line("    start: "+day(p.Window.Min).Format(time.RFC3339), guess("the sampled logs start "+p.Window.Min.Format(time.RFC3339)+": narrow it to the attack"))
		w.line("    end: "+day(p.Window.Max).Add(24*time.Hour).Format(time.RFC3339), guess("the sampled logs end "+p.Window.Max.Format(time.RFC3339)))
	} else {
		w.line("  # window: {start: 2022-11-25T00:00:00Z, end: 2023-01-06T00:00:00Z}", todo("the attack's time window (no time could be read in the sample)"))
	}
	w.line("  match: any", guess("any: a request matching any indicator is in scope; all: every configured kind"))
	w.line("  ips: []", todo("the attacker's addresses and CIDRs, e.g. [203.0.113.7, 198.51.100.0/24]"))
	w.line("  principals: []", todo("the attacker's API keys or principals, e.g. [key-123]"))
	w.line("  user_agents: []", todo("RE2 patterns of the attacker's user agents, e.g. ['^python-requests/']"))
	w.line("  success:", "which responses returned data")
	w.line("    status: [200, 299]", guess("the 2xx range"))
	w.line("    min_bytes: "+p.MinBytes.Value, guess(p.MinBytes.Why))
}

func (p *Proposal) renderIdentifiers(w *writer) {
	var kinds []string
	for _, e := range p.Endpoints {
		if k := e.Identifier.Value; k != "" && !contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	var lines [][2]string
	for _, k := range kinds {
		s := p.Identifiers[k]
		switch k {
		case "account_number":
			lz := s.LeadingZeros
			if lz.Value == "" {
				lz = Guess{Value: "significant", Why: "ignore if the API accepted 0012 and 12 alike"}
			}
			lines = append(lines, [2]string{"  account_number:", ""}, [2]string{"    leading_zeros: " + lz.Value, guess(lz.Why)})
		case "phone":
			cc := s.CountryCode
			if cc.Value == "" {
				cc = Guess{Value: "1", Why: "the calling code of phone numbers written without one"}
			}
			lines = append(lines, [2]string{"  phone:", ""}, [2]string{"    default_country_code: " + q(cc.Value), guess(cc.Why)})
		}
	}
	if len(lines) == 0 {
		return
	}
	w.line("identifiers:", "how identifiers are normalised on both sides of the match")
	for _, l := range lines {
		w.line(l[0], l[1])
	}
	w.blank()
}
