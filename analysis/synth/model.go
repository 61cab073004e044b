package synth

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"
)

// Sizes and fixed facts of the synthetic case. They mirror case.yaml: if one
// changes here the case file must say the same, or the known answer is wrong.
const (
	defaultCustomers = 1000
	// minCustomers keeps enough customers to plant every edge case.
	minCustomers = 10

	partnerKey = "key-partner-7731"
	attackerUA = "python-requests/2.28.1"

	// timeLayout is the one timestamp format of the logs and the answer.
	timeLayout = "2006-01-02T15:04:05Z"

	successMin = 200
	successMax = 299
	minBytes   = 1

	// normalClientCount legitimate clients share the documentation ranges.
	normalClientCount = 300
	appKeyCount       = 40
	attackerIPCount   = 4
)

// rng streams: each purpose draws from its own PCG stream so that changing
// how one part is generated does not reshuffle every other part.
const (
	streamLayout    = 0x6272656163680001 // clients, phone numbering
	streamCustomers = 0x6272656163680002
	streamAttack    = 0x6272656163680003
	streamTraffic   = 0x6272656163680004
	streamInject    = 0x6272656163680005
)

func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// Times as Unix seconds. Legitimate traffic spans the whole log period; the
// attacker stays inside the scope window [windowStart, windowEnd).
var (
	trafficStart = unix(2022, 11, 20)
	trafficEnd   = unix(2023, 1, 11) // exclusive: the last day is 2023-01-10
	windowStart  = unix(2022, 11, 25)
	windowEnd    = unix(2023, 1, 6)
	decemberOne  = unix(2022, 12, 1)
	januaryOne   = unix(2023, 1, 1)
)

func unix(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
}

func formatTS(ts int64) string {
	return time.Unix(ts, 0).UTC().Format(timeLayout)
}

// attackerNet is the scope's IP indicator.
var attackerNet = netip.MustParsePrefix("203.0.113.0/24")

// Data elements as bits, in the canonical order of the answer files.
const (
	elName uint8 = 1 << iota
	elAddress
	elEmail
	elPhone
	elDOB
	elAccount
	elPlan
	elAll = elName | elAddress | elEmail | elPhone | elDOB | elAccount | elPlan
)

// elementNames is indexed by bit position.
var elementNames = [...]string{"name", "address", "email", "phone", "date_of_birth", "account_number", "plan"}

// client is one source of requests: an IP, an API key and a user agent.
type client struct {
	ip, key, ua string
	// indicator says whether the scope's indicators (IP range or key) flag
	// this client; computed once so the answer does not reparse IPs per line.
	indicator bool
}

// model is everything about a case that both the files and the answer are
// derived from. Customer field values are not kept: they are written once,
// and only the per-customer facts the answer needs stay in memory.
type model struct {
	seed uint64
	n    int

	// acctBase is the account number of customer 0; customer i has
	// acctBase+i. It sits just below 1,000,000 for small cases so that the
	// stored 10-digit numbers carry different counts of leading zeros.
	acctBase int64
	phones   phoneBook

	clients []client
	// attacker identities, as indexes into clients
	attackerIPs   []uint16 // attacker range, partner key
	stolenClient  uint16   // attacker range, another app key
	partnerNormal uint16   // normal-looking IP, partner key

	// present holds, per customer, the elements with a non-empty value.
	present []uint8
	// facts and juris hold, per customer, what the people answer needs:
	// fact* flags and an index into jurisdictions. One byte each, so that
	// a hundred million customers fit in memory.
	facts []uint8
	juris []uint8
	// formulaCustomer gets formulaPlan as plan value.
	formulaCustomer int

	// shares are the attacker's lookup volumes; logLines, when not 0, is
	// the number of log lines the case must hold in all (normal traffic
	// fills what the attacker leaves).
	shares   attackShares
	logLines int
	// daily writes one uncompressed log file per day instead of monthly
	// files with December gzipped: tier cases are large, and gzip would
	// dominate the time it takes to write them.
	daily bool
	// gzipLogs gzips every log file (Options.GzipLogs).
	gzipLogs bool
	// idWidth is the digits of customer ids, so that ids sort as numbers.
	idWidth int

	// shapes are the optional shapes of the data (shapes.go); former is
	// the number of former customers, indexes n and up of the per-customer
	// state.
	shapes shapes
	former int
	// emails holds the emails of the customers the attacker looks up by
	// email (the only identifier not computed from a customer's index),
	// filled as the customer table is written; their keys are planned
	// first, with empty values.
	emails map[int32]string
}

// newModel lays out a case of n current customers and former ones.
func newModel(seed uint64, n, former int) (*model, error) {
	rng := newRand(seed, streamLayout)
	m := &model{seed: seed, n: n, former: former, formulaCustomer: -1, shares: defaultShares}
	m.idWidth = max(7, len(fmt.Sprint(n)))
	m.acctBase = 1_000_000 - int64(min(n/2, 900_000))
	pb, err := newPhoneBook(rng, n+former)
	if err != nil {
		return nil, err
	}
	m.phones = pb
	m.buildClients(rng)
	return m, nil
}

func (m *model) account(i int) int64 { return m.acctBase + int64(i) }

// custID is customer i's id: C and at least 7 digits, as wide as the
// largest id so that text order is number order; former customers' are F
// and their own number.
func (m *model) custID(i int) string {
	if i >= m.n {
		return fmt.Sprintf("F%0*d", m.idWidth, i-m.n+1)
	}
	return fmt.Sprintf("C%0*d", m.idWidth, i+1)
}

// buildClients makes the legitimate clients and the attacker's identities.
func (m *model) buildClients(rng *rand.Rand) {
	var ips []string
	for _, net := range []string{"198.51.100.", "192.0.2."} {
		for h := 1; h <= 254; h++ {
			ips = append(ips, fmt.Sprintf("%s%d", net, h))
		}
	}
	rng.Shuffle(len(ips), func(i, j int) { ips[i], ips[j] = ips[j], ips[i] })

	used := map[string]bool{}
	newKey := func() string {
		for {
			k := fmt.Sprintf("key-app-%06x", rng.Uint32()&0xffffff)
			if !used[k] {
				used[k] = true
				return k
			}
		}
	}
	keys := make([]string, appKeyCount)
	for i := range keys {
		keys[i] = newKey()
	}
	for i := 0; i < normalClientCount; i++ {
		m.addClient(ips[i], keys[rng.IntN(len(keys))], userAgents[rng.IntN(len(userAgents))])
	}

	hosts := rng.Perm(250)
	for i := 0; i < attackerIPCount; i++ {
		m.attackerIPs = append(m.attackerIPs, m.addClient(fmt.Sprintf("203.0.113.%d", hosts[i]+3), partnerKey, attackerUA))
	}
	// One more attacker address sends an app key instead of the partner
	// key: only the IP indicator catches it.
	m.stolenClient = m.addClient(fmt.Sprintf("203.0.113.%d", hosts[attackerIPCount]+3), newKey(), attackerUA)
	// The partner key from an address legitimate clients also use: only the
	// key indicator catches it.
	m.partnerNormal = m.addClient(m.clients[0].ip, partnerKey, attackerUA)
}

func (m *model) addClient(ip, key, ua string) uint16 {
	ind := attackerNet.Contains(netip.MustParseAddr(ip)) || key == partnerKey
	m.clients = append(m.clients, client{ip: ip, key: key, ua: ua, indicator: ind})
	return uint16(len(m.clients) - 1)
}
