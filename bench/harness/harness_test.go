package main

import (
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"16GB": 16e9, "512MB": 512e6, "1.5 GB": 1.5e9, "2kb": 2000, "10B": 10,
		"16GiB": 16 << 30, "512MiB": 512 << 20, "1.5 gib": 3 << 29, "2KiB": 2048} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "12", "x1GB"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) accepted", bad)
		}
	}
}

func TestNumbers(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 370472: "370,472", 10000000: "10,000,000", -1: "-1"} {
		if got := num(n); got != want {
			t.Errorf("num(%d) = %q, want %q", n, got, want)
		}
	}
	if got := exposedFrom("noise\nexposed_customers 3001\n"); got != 3001 {
		t.Errorf("exposedFrom = %d", got)
	}
	if got := exposedFrom("Traceback ..."); got != -1 {
		t.Errorf("exposedFrom without the line = %d, want -1", got)
	}
}

// The report says a target is missed, and fails exactness, when a result
// disagrees with the answer.
func TestMarkdownTargets(t *testing.T) {
	r := &results{
		Tier: "M", Config: config{memoryLimit: "4GB", seed: 1},
		Answer: answer{Customers: 1000, LogLines: 2_000_000, ExposedCustomers: 300},
		Breachscope: breachscopeRun{
			measured: measured{Seconds: 10, PeakRSSBytes: 2 << 30},
			Phases: []phase{{Phase: "ingest logs", Seconds: 4, PeakRSSBytes: 1 << 30},
				{Phase: "workbook", Seconds: 2, PeakRSSBytes: 1 << 30}, {Phase: "people and notices", Seconds: 2, PeakRSSBytes: 1 << 30}},
			Counts:              map[string]int64{"exposed_customers": 300, "log_lines_read": 2_000_000, "people": 290},
			WorkbookIndividuals: 100,
		},
		Floor:  baselineRun{measured: measured{Seconds: 5}, Exposed: 300},
		Pandas: baselineRun{measured: measured{Seconds: 60}, Exposed: 299},
	}
	md := r.markdown()
	for _, want := range []string{
		"| ingest logs | 4.0 | 2,000,000 | 500,000 | 1.00 GiB |",
		"| workbook | 2.0 | 100 | 50 | 1.00 GiB |", // the capped Individuals sheet
		"| people and notices | 2.0 | 290 | 145 | 1.00 GiB |",
		"| breachscope / A <= 1.3 | 2.00 | **no** |",
		"| B / breachscope >= 5 | 6.00 | yes |",
		"| peak RSS <= memory limit + 1 GB (4.66 GiB) | 2.00 GiB | yes |", // 4GB + 1 GB = 5e9 bytes
		"| every exposed count equals the known answer | | **no** |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
	if r.exact() {
		t.Error("pandas found 299 of 300: not exact")
	}
}
