package casefile

import (
	"regexp"
	"slices"
)

// CustomerFields are the canonical customer columns, in output order. Every
// customer source maps some of them to its own column names.
var CustomerFields = []string{
	"customer_id",
	"first_name", "last_name", "full_name",
	"address_line1", "address_line2", "city", "state", "postal_code", "country",
	"email", "phone", "date_of_birth", "account_number",
	"deceased", // a flag, not an element: true, yes, y, 1 or deceased mean the notice goes to the estate
}

// Element is a data element a notice talks about ("your name and date of
// birth"): a group of customer fields exposed together.
type Element struct {
	Name string
	// Fields are the customer fields whose presence makes the element present.
	Fields []string
	// Label is the default phrase used in notices.
	Label string
}

// BuiltinElements are the data elements every case knows, in notice order.
// Country alone does not make an address: most tables fill it for everyone.
var BuiltinElements = []Element{
	{Name: "name", Fields: []string{"first_name", "last_name", "full_name"}, Label: "name"},
	{Name: "address", Fields: []string{"address_line1", "address_line2", "city", "state", "postal_code"}, Label: "address"},
	{Name: "email", Fields: []string{"email"}, Label: "email address"},
	{Name: "phone", Fields: []string{"phone"}, Label: "phone number"},
	{Name: "date_of_birth", Fields: []string{"date_of_birth"}, Label: "date of birth"},
	{Name: "account_number", Fields: []string{"account_number"}, Label: "account number"},
}

// LogFields are the canonical access-log fields a log source maps.
var LogFields = []string{
	"time", "request_id", "client_ip", "principal", "method",
	"url", "path", "query", "status", "bytes", "user_agent", "protocol",
}

// CustomerFormats are the customer file formats ingest reads.
var CustomerFormats = []string{"csv", "tsv", "parquet", "jsonl"}

// LogFormats are the log formats ingest reads.
var LogFormats = []string{"jsonl", "csv", "tsv", "parquet", "combined", "alb", "apigw", "cloudtrail"}

// Normalizers are the identifier normalisations resolve applies to both
// sides of the join.
var Normalizers = []string{"text", "lower", "email", "digits", "account_number", "phone"}

// builtinIdentifiers are the identifier kinds known without configuration.
var builtinIdentifiers = map[string]Identifier{
	"customer_id":    {Field: "customer_id", Normalize: "text"},
	"account_number": {Field: "account_number", Normalize: "account_number", LeadingZeros: "significant"},
	"phone":          {Field: "phone", Normalize: "phone", DefaultCountryCode: "1"},
	"email":          {Field: "email", Normalize: "email"},
}

// identRE is what a case-specific element name must look like; it becomes a
// column name, so it is kept to a conservative shape.
var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Elements returns the data elements of this case: the built-in ones followed
// by the case's extra customer fields in name order.
func (c *Case) Elements() []Element {
	out := append([]Element(nil), BuiltinElements...)
	for _, name := range c.ExtraFields() {
		out = append(out, Element{Name: name, Fields: []string{name}, Label: name})
	}
	for i := range out {
		if l, ok := c.Notice.Labels[out[i].Name]; ok && l != "" {
			out[i].Label = l
		}
	}
	return out
}

// ExtraFields returns the case-specific customer fields declared by any source, sorted.
func (c *Case) ExtraFields() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range c.Customers.Sources {
		for k := range s.Extra {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// AllCustomerFields returns the canonical fields followed by the extra fields.
func (c *Case) AllCustomerFields() []string {
	return append(append([]string(nil), CustomerFields...), c.ExtraFields()...)
}

// IdentifierKind returns the effective settings of an identifier kind,
// merging the case's settings over the built-in defaults.
func (c *Case) IdentifierKind(kind string) (Identifier, bool) {
	id, builtin := builtinIdentifiers[kind]
	custom, configured := c.Identifiers[kind]
	if !builtin && !configured {
		return Identifier{}, false
	}
	if custom.Field != "" {
		id.Field = custom.Field
	}
	if custom.Normalize != "" {
		id.Normalize = custom.Normalize
	}
	if custom.LeadingZeros != "" {
		id.LeadingZeros = custom.LeadingZeros
	}
	if custom.DefaultCountryCode != "" {
		id.DefaultCountryCode = custom.DefaultCountryCode
	}
	if id.Field == "" {
		id.Field = kind
	}
	if id.Normalize == "" {
		id.Normalize = "text"
	}
	return id, true
}

// IdentifierKinds returns every identifier kind the case can use, sorted.
func (c *Case) IdentifierKinds() []string {
	var out []string
	for k := range builtinIdentifiers {
		out = append(out, k)
	}
	for k := range c.Identifiers {
		if _, ok := builtinIdentifiers[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// RecordFields are the customer fields other than customer_id, in the order
// of the customers table's columns.
func (c *Case) RecordFields() []string {
	return c.AllCustomerFields()[1:]
}
