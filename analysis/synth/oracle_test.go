package synth

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The oracle recomputes the answer from the files alone, the way the product
// must, with code that shares nothing with the generator's tally. Agreement
// between the two is what makes the known answer trustworthy.

type oracle struct {
	sum      Summary
	rows     [][]string // exposed.csv rows without header
	header   []string   // customers.csv header
	custRows [][]string
	// facts the tests check beyond the summary
	ipOnlyHits, keyOnlyHits int   // matched requests caught by one indicator only
	minInScope, maxInScope  int64 // in-scope request times
	invalidJSON, badTime    int
	blank                   int
}

var allLogKeys = []string{"ts", "request_id", "client", "api_key", "method", "path", "query", "status", "bytes", "user_agent"}

var accountPath = regexp.MustCompile(`^/api/v1/accounts/([^/]+)$`)

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func normAccount(s string) string {
	d := strings.TrimLeft(digits(s), "0")
	if d == "" && digits(s) != "" {
		return "0"
	}
	return d
}

func normPhone(s string) string {
	d := digits(s)
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 {
		return ""
	}
	return "+1" + d
}

func runOracle(t *testing.T, dir string) *oracle {
	t.Helper()
	o := &oracle{}
	f, err := os.Open(filepath.Join(dir, "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("customers.csv: %v", err)
	}
	o.header, o.custRows = recs[0], recs[1:]
	col := map[string]int{}
	for i, h := range o.header {
		col[h] = i
	}
	byAcct, byPhone := map[string][]int{}, map[string][]int{}
	for i, r := range o.custRows {
		byAcct[normAccount(r[col["account_no"]])] = append(byAcct[normAccount(r[col["account_no"]])], i)
		byPhone[normPhone(r[col["phone"]])] = append(byPhone[normPhone(r[col["phone"]])], i)
	}
	has := func(r []string, cols ...string) bool {
		for _, c := range cols {
			if r[col[c]] != "" {
				return true
			}
		}
		return false
	}
	elemPresent := func(r []string, el string) bool {
		switch el {
		case "name":
			return has(r, "first_name", "last_name")
		case "address":
			return has(r, "street", "unit", "city", "state", "zip")
		case "email":
			return has(r, "email")
		case "phone":
			return has(r, "phone")
		case "date_of_birth":
			return has(r, "dob")
		case "account_number":
			return has(r, "account_no")
		}
		return has(r, "plan")
	}

	start, _ := time.Parse(time.RFC3339, "2022-11-25T00:00:00Z")
	end, _ := time.Parse(time.RFC3339, "2023-01-06T00:00:00Z")
	attackNet := netip.MustParsePrefix("203.0.113.0/24")
	accountEls := []string{"name", "address", "email", "phone", "date_of_birth", "account_number", "plan"}
	lineEls := []string{"name", "phone"}

	type hit struct {
		n           int
		first, last time.Time
		els         map[string]bool
	}
	hits := map[int]*hit{}
	o.minInScope, o.maxInScope = 1<<62, 0

	files, _ := filepath.Glob(filepath.Join(dir, "logs", "api-*.jsonl*"))
	sort.Strings(files)
	if len(files) != 3 && len(files) != 52 { // months, or days in a tier case
		t.Fatalf("want 3 or 52 log files, got %v", files)
	}
	var prev time.Time
	for _, name := range files {
		lf, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = lf
		if strings.HasSuffix(name, ".gz") {
			gz, err := gzip.NewReader(lf)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			r = gz
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			o.sum.LogLines++
			if strings.TrimSpace(line) == "" {
				o.blank++
				o.sum.RejectedLines++
				continue
			}
			var raw map[string]json.RawMessage
			if err := json.Unmarshal([]byte(line), &raw); err != nil {
				o.invalidJSON++
				o.sum.RejectedLines++
				continue
			}
			var l logLine
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Fatalf("%s: line %q: %v", name, line, err)
			}
			ts, err := time.Parse(time.RFC3339, l.TS)
			if err != nil {
				o.badTime++
				o.sum.RejectedLines++
				continue
			}
			for _, k := range allLogKeys {
				if _, ok := raw[k]; !ok {
					t.Fatalf("%s: line lacks %q: %s", name, k, line)
				}
			}
			if l.Client.IP == "" || !strings.HasSuffix(l.TS, "Z") {
				t.Fatalf("%s: bad client or ts: %s", name, line)
			}
			if ts.Before(prev) {
				t.Fatalf("%s: time goes back at %s", name, line)
			}
			prev = ts
			o.sum.AcceptedRequests++

			ipHit := attackNet.Contains(netip.MustParseAddr(l.Client.IP))
			keyHit := l.APIKey == "key-partner-7731"
			if ts.Before(start) || !ts.Before(end) || !(ipHit || keyHit) {
				o.sum.OutOfScope++
				continue
			}
			o.sum.InScope++
			o.minInScope, o.maxInScope = min(o.minInScope, ts.Unix()), max(o.maxInScope, ts.Unix())
			var els []string
			var ids []int
			switch {
			case l.Method == "GET" && accountPath.MatchString(l.Path):
				els, ids = accountEls, byAcct[normAccount(accountPath.FindStringSubmatch(l.Path)[1])]
			case l.Method == "GET" && l.Path == "/api/v1/lines":
				q, err := url.ParseQuery(l.Query)
				if err != nil {
					t.Fatalf("query %q: %v", l.Query, err)
				}
				els, ids = lineEls, byPhone[normPhone(q.Get("msisdn"))]
			default:
				o.sum.NoEndpoint++
				continue
			}
			if l.Status < 200 || l.Status > 299 || l.Bytes < 1 {
				o.sum.Unsuccessful++
				continue
			}
			o.sum.Successful++
			switch len(ids) {
			case 0:
				o.sum.Unmatched++
				continue
			case 1:
				o.sum.Matched++
			default:
				o.sum.Ambiguous++
				continue
			}
			if ipHit && !keyHit {
				o.ipOnlyHits++
			}
			if keyHit && !ipHit {
				o.keyOnlyHits++
			}
			h := hits[ids[0]]
			if h == nil {
				h = &hit{first: ts, els: map[string]bool{}}
				hits[ids[0]] = h
			}
			h.n++
			h.last = ts
			for _, el := range els {
				h.els[el] = true
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lf.Close()
	}

	o.sum.Customers = len(o.custRows)
	o.sum.ExposedPerElement = map[string]int{}
	for _, el := range accountEls {
		o.sum.ExposedPerElement[el] = 0
	}
	var idxs []int
	for i := range hits {
		idxs = append(idxs, i)
	}
	sort.Ints(idxs)
	for _, i := range idxs {
		h, r := hits[i], o.custRows[i]
		o.sum.MatchedCustomers++
		var names []string
		for _, el := range accountEls {
			if h.els[el] && elemPresent(r, el) {
				names = append(names, el)
				o.sum.ExposedPerElement[el]++
			}
		}
		if len(names) == 0 {
			o.sum.MatchedWithoutElements++
			continue
		}
		o.sum.ExposedCustomers++
		o.rows = append(o.rows, []string{r[col["cust_id"]], strings.Join(names, "|"), strconv.Itoa(h.n),
			h.first.UTC().Format(timeLayout), h.last.UTC().Format(timeLayout)})
	}
	return o
}
