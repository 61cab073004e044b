package jurisdiction

import (
	"testing"
	"time"
)

func TestDeadlineDate(t *testing.T) {
	discovery := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		code string
		want time.Time // zero: no fixed deadline
	}{
		{"US-CA", time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)},
		{"US-CT", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)},
		{"US-TX", time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)},
		{"US-GA", time.Time{}},
		{"EU-GDPR", time.Time{}},
	} {
		got, ok := DeadlineDate(discovery, rule(t, tc.code))
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("%s: DeadlineDate = %v %v, want %v", tc.code, got, ok, tc.want)
		}
	}
}

func TestRegulatorDeadlineDate(t *testing.T) {
	aware := time.Date(2026, 3, 27, 16, 30, 0, 0, time.UTC)
	got, ok := RegulatorDeadlineDate(aware, rule(t, "EU-GDPR"))
	if !ok || got.Sub(aware) != 72*time.Hour {
		t.Errorf("GDPR supervisory deadline = %v %v, want 72 hours after %v", got, ok, aware)
	}
	if got, ok := RegulatorDeadlineDate(aware, rule(t, "US-PR")); !ok || !got.Equal(aware.AddDate(0, 0, 10)) {
		t.Errorf("Puerto Rico DACO deadline = %v %v, want 10 days", got, ok)
	}
	if _, ok := RegulatorDeadlineDate(aware, rule(t, "US-CA")); ok {
		t.Error("California counts the Attorney General's 15 days from resident notice, not discovery; no date expected")
	}
}
