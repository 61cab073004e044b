package synth

import (
	"fmt"
	"math/rand/v2"
)

// action is what a request does, before it is rendered as a log line.
type action uint8

const (
	actAccount action = iota // GET /api/v1/accounts/{account_number}
	actLine                  // GET /api/v1/lines?msisdn=
	actProbe                 // anything that is no endpoint
)

// exposes is the set of elements a successful response of the action
// returns, as declared in case.yaml.
func (a action) exposes() uint8 {
	switch a {
	case actAccount:
		return elAll
	case actLine:
		return elName | elPhone
	}
	return 0
}

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

// event is one request in compact form. The attacker's plan is held as a
// slice of these, so it must stay small.
type event struct {
	ts     int64
	ident  int64 // account number, phone number or, for probes, an account number
	target int32 // customer the identifier belongs to; -1 for none
	client uint16
	act    action
	form   uint8
	status uint16
	bytes  uint32
}

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
		TS:        formatTS(e.ts),
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
func successBytes(rng *rand.Rand, a action) uint32 {
	switch a {
	case actAccount:
		return uint32(620 + rng.IntN(400))
	case actLine:
		return uint32(150 + rng.IntN(100))
	}
	return uint32(15 + rng.IntN(200))
}

func errorBytes(status uint16) uint32 {
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
