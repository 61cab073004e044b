package report

import "time"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "(open)"
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}
