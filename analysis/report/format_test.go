package report

import "testing"

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0", 7: "7", 999: "999", 1000: "1,000", 100_000: "100,000", 363_977: "363,977",
		1_000_000: "1,000,000", 37_000_000: "37,000,000", -1234: "-1,234", -999: "-999",
	} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
