package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// action is what a request does, before it is rendered as a log line.
type action uint8

const (
	actAccount action = iota // GET /api/v1/accounts/{account_number}
	actLine                  // GET /api/v1/lines?msisdn=
	actProbe                 // anything that is no endpoint

	// Endpoints of the shapes (shapes.go).
	actCustomerID  // GET /api/v1/customers/{customer_id}
	actEmail       // GET /api/v1/customers?email=
	actBilling     // GET /api/v1/billing/{account_number}: the account it names
	actAllAccounts // GET /api/v1/subscribers/{account_number}/accounts: every account of the subscriber
)

// exposes is the set of elements a successful response of the action
// returns, as declared in case.yaml.
func (a action) exposes() uint8 {
	switch a {
	case actAccount:
		return elAll
	case actLine:
		return elName | elPhone
	case actCustomerID:
		return elName | elAddress | elEmail
	case actEmail:
		return elName | elPhone | elDOB
	case actBilling:
		return elName | elAddress | elPlan
	case actAllAccounts:
		return elName | elAddress | elAccount | elPlan
	}
	return 0
}

// byAccount says the action's identifier is an account number.
func (a action) byAccount() bool { return a == actAccount || a == actBilling || a == actAllAccounts }

// Account number forms in request paths: the API accepted both padded and
// bare numbers, and a few clients padded to 12 digits.
const (
	acctPadded10 = iota
	acctBare
	acctPadded12
)

func randomAccountForm(rng *rand.Rand) uint8 {
	switch r := rng.IntN(100); {
	case r < 50:
		return acctPadded10
	case r < 95:
		return acctBare
	}
	return acctPadded12
}

// Probe forms: requests that match no endpoint. Some are close misses on
// purpose (wrong method, deeper path, no identifier) so that an endpoint
// matcher that is too lenient shows up in the counts.
const (
	probeHealth       = iota // GET /api/v1/health
	probeLogin               // POST /api/v1/login
	probePlans               // GET /api/v1/plans
	probePostAccount         // POST /api/v1/accounts/{n}
	probeAccountUsage        // GET /api/v1/accounts/{n}/usage
	probeAccountList         // GET /api/v1/accounts
)

// event is one request in compact form.
type event struct {
	// ident is the account number or phone number asked for; for probes
	// an account number; for lookups of emails and customer ids nobody
	// has, a number that makes one up.
	ident  int64
	at     uint32 // seconds since trafficStart
	target int32  // customer the identifier belongs to; -1 for none
	client uint16
	status uint16
	bytes  uint16
	act    action
	form   uint8
	k      uint8 // the customer's account the identifier names
}

// time is the request's time in Unix seconds.
func (e *event) time() int64 { return trafficStart + int64(e.at) }

// setTime sets the request's time; ts is inside the traffic period.
func (e *event) setTime(ts int64) { e.at = uint32(ts - trafficStart) }

// logLine is the JSON shape of a log line; field order is the key order.
type logLine struct {
	TS        string    `json:"ts"`
	RequestID string    `json:"request_id"`
	Client    logClient `json:"client"`
	APIKey    string    `json:"api_key"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Query     string    `json:"query"`
	Status    int       `json:"status"`
	Bytes     int       `json:"bytes"`
	UserAgent string    `json:"user_agent"`
}

type logClient struct {
	IP string `json:"ip"`
}

// requestID turns a sequence number into a unique, random-looking id:
// multiplying by an odd constant is a bijection modulo 2^48.
func requestID(seq uint64) string {
	return fmt.Sprintf("r-%012x", (seq*0x9E3779B97F4A7C15)&(1<<48-1))
}

func (m *model) render(e *event, seq uint64) logLine {
	c := &m.clients[e.client]
	l := logLine{
		TS:        formatTS(e.time()),
		RequestID: requestID(seq),
		Client:    logClient{IP: c.ip},
		APIKey:    c.key,
		Method:    "GET",
		Status:    int(e.status),
		Bytes:     int(e.bytes),
		UserAgent: c.ua,
	}
	switch e.act {
	case actAccount:
		l.Path = "/api/v1/accounts/" + formatAccountPath(e.ident, e.form)
	case actLine:
		l.Path = "/api/v1/lines"
		l.Query = "msisdn=" + formatPhoneQuery(e.ident, e.form)
	case actBilling:
		l.Path = "/api/v1/billing/" + formatAccountPath(e.ident, e.form)
	case actAllAccounts:
		l.Path = "/api/v1/subscribers/" + formatAccountPath(e.ident, e.form) + "/accounts"
	case actCustomerID:
		id := fmt.Sprintf("C%0*d", m.idWidth, int64(m.n)+1+e.ident) // nobody's
		if e.target >= 0 {
			id = m.custID(int(e.target))
		}
		l.Path = "/api/v1/customers/" + id
	case actEmail:
		email := fmt.Sprintf("no.such.customer%d@example.com", e.ident)
		if e.target >= 0 {
			email = m.emails[e.target]
		}
		l.Path = "/api/v1/customers"
		l.Query = "email=" + formatEmailQuery(email, e.form)
	default:
		switch e.form {
		case probeHealth:
			l.Path = "/api/v1/health"
		case probeLogin:
			l.Method, l.Path = "POST", "/api/v1/login"
		case probePlans:
			l.Path = "/api/v1/plans"
		case probePostAccount:
			l.Method, l.Path = "POST", fmt.Sprintf("/api/v1/accounts/%010d", e.ident)
		case probeAccountUsage:
			l.Path = fmt.Sprintf("/api/v1/accounts/%010d/usage", e.ident)
		default:
			l.Path = "/api/v1/accounts"
		}
	}
	return l
}

func formatAccountPath(n int64, form uint8) string {
	switch form {
	case acctBare:
		return fmt.Sprintf("%d", n)
	case acctPadded12:
		return fmt.Sprintf("%012d", n)
	}
	return fmt.Sprintf("%010d", n)
}

// Response sizes. A full account record is large, a line record small, an
// error tiny; the exact numbers only need to be plausible.
func successBytes(rng *rand.Rand, a action) uint16 {
	switch a {
	case actAccount, actBilling, actAllAccounts:
		return uint16(620 + rng.IntN(400))
	case actLine, actEmail, actCustomerID:
		return uint16(150 + rng.IntN(100))
	}
	return uint16(15 + rng.IntN(200))
}

func errorBytes(status uint16) uint16 {
	switch status {
	case 404:
		return 54
	case 429:
		return 41
	case 401:
		return 38
	}
	return 35
}

// Query forms of an email: as the table has it, then with mixed formats
// lower case, upper case, padded with (encoded) spaces, and with the @
// encoded.
const emailQueryForms = 5

func formatEmailQuery(email string, form uint8) string {
	switch form {
	case 1:
		return strings.ToLower(email)
	case 2:
		return strings.ToUpper(email)
	case 3:
		return "%20" + email + "%20"
	case 4:
		return strings.Replace(email, "@", "%40", 1)
	}
	return email
}
