// Package casefile loads and validates a breachscope case file (case.yaml).
//
// The case file is the analyst's declaration of what the inputs are and what
// counts as the attack. It is validated strictly on load: unknown keys are
// errors (a typo must never silently change the scope of a breach), and every
// error names the file, the line and the key.
package casefile

import "time"

// FileName is the name of the case file inside a case directory.
const FileName = "case.yaml"

// Case is a parsed and validated case file.
type Case struct {
	Version       int                   `yaml:"version"`
	Name          string                `yaml:"name"`
	DiscoveryDate string                `yaml:"discovery_date"`
	Customers     Customers             `yaml:"customers"`
	Logs          []LogSource           `yaml:"logs"`
	Endpoints     []Endpoint            `yaml:"endpoints"`
	Scope         Scope                 `yaml:"scope"`
	Identifiers   map[string]Identifier `yaml:"identifiers"`
	Notice        Notice                `yaml:"notice"`
	People        People                `yaml:"people"`

	// Dir is the case directory; relative paths in the file are resolved against it.
	Dir string `yaml:"-"`
	// Raw is the case file exactly as read, for hashing and the methodology sheet.
	Raw []byte `yaml:"-"`
	// Window is Scope.Window parsed.
	Window TimeWindow `yaml:"-"`
	// Discovery is DiscoveryDate parsed; zero when not given.
	Discovery time.Time `yaml:"-"`
	// Reference is the date ages are taken on (see noticeDates).
	Reference time.Time `yaml:"-"`
}

// Customers declares the customer tables.
type Customers struct {
	Sources []CustomerSource `yaml:"sources"`
}

// CustomerSource is one customer table: a file or glob with a column mapping.
type CustomerSource struct {
	Name    string            `yaml:"name"`
	Path    string            `yaml:"path"`
	Format  string            `yaml:"format"`
	Columns map[string]string `yaml:"columns"`
	// Extra maps case-specific elements (plan, ssn_last4, ...) to source columns.
	Extra map[string]string `yaml:"extra"`
	// ManyPerCustomer marks a table whose rows belong to a customer of a
	// primary table (billing accounts of a subscriber), linked on customer_id.
	ManyPerCustomer bool `yaml:"many_per_customer"`
	// DateOrder says how slashed dates such as 03/04/1987 read: mdy or dmy.
	DateOrder string `yaml:"date_order"`
}

// LogSource is one set of access-log files in one format.
type LogSource struct {
	Name   string            `yaml:"name"`
	Path   string            `yaml:"path"`
	Format string            `yaml:"format"`
	Fields map[string]string `yaml:"fields"`
	// Timezone applies to timestamps that carry no offset (IANA name, default UTC).
	Timezone string `yaml:"timezone"`
	// IdentityFrom fills the principal of requests that lack one from
	// another source (an application or gateway log) joined on a request id.
	IdentityFrom *IdentityJoin `yaml:"identity_from"`
}

// IdentityJoin names the source that supplies caller identities and the
// field both sources share. The named source is read for identities only:
// its lines are accounted for, but its rows are not requests of their own,
// so no request is counted twice.
type IdentityJoin struct {
	Source string `yaml:"source"`
	// On is the shared field; request_id (the default) is the only one.
	On string `yaml:"on"`
}

// Endpoint is an API request pattern, the identifier it takes and what its response exposes.
type Endpoint struct {
	Name       string   `yaml:"name"`
	Method     string   `yaml:"method"`
	Path       string   `yaml:"path"`
	PathRegex  string   `yaml:"path_regex"`
	QueryParam string   `yaml:"query_param"`
	Identifier string   `yaml:"identifier"`
	Exposes    []string `yaml:"exposes"`
	// AlsoReturns names many_per_customer tables whose every row of the
	// matched customer the response includes (not only the matched row).
	AlsoReturns []string `yaml:"also_returns"`

	// Regex is the anchored RE2 pattern the request path must match; when the
	// identifier is in the path it has exactly one capture group.
	Regex string `yaml:"-"`
}

// Scope declares which requests are the attacker's and which succeeded.
type Scope struct {
	Window     Window   `yaml:"window"`
	Match      string   `yaml:"match"`
	IPs        []string `yaml:"ips"`
	Principals []string `yaml:"principals"`
	UserAgents []string `yaml:"user_agents"`
	Success    Success  `yaml:"success"`
}

// Window is the attack's time window as written: start inclusive, end exclusive.
type Window struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// TimeWindow is a parsed Window in UTC.
type TimeWindow struct {
	Start, End time.Time
}

// Success declares which responses count as having returned data.
type Success struct {
	Status   []int `yaml:"status"`
	MinBytes int64 `yaml:"min_bytes"`
}

// Identifier declares how one identifier kind is normalised and which customer field it matches.
type Identifier struct {
	Field              string `yaml:"field"`
	Normalize          string `yaml:"normalize"`
	LeadingZeros       string `yaml:"leading_zeros"`
	DefaultCountryCode string `yaml:"default_country_code"`
}

// Notice declares how notification files are written.
type Notice struct {
	ReferenceSecretFile string            `yaml:"reference_secret_file"`
	CSV                 CSVOptions        `yaml:"csv"`
	Labels              map[string]string `yaml:"labels"`
	// ReferenceDate is the date ages are taken on (minors); default: the
	// discovery date, else the end of the attack window.
	ReferenceDate string `yaml:"reference_date"`
	// MailBatchSize is the rows per mail-house file.
	MailBatchSize int `yaml:"mail_batch_size"`
	// RulesFile is a CSV in the format of the shipped jurisdiction rules
	// whose rows override or extend them.
	RulesFile string `yaml:"rules_file"`
}

// CSVOptions are the conventions of the notification CSV files.
type CSVOptions struct {
	BOM       bool   `yaml:"bom"`
	Delimiter string `yaml:"delimiter"`
}
