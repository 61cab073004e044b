package jurisdiction

import "time"

// DeadlineDate returns the deadline for notifying people: discovery plus
// DeadlineDays calendar days in discovery's location. It is false when the
// rule sets no fixed number of days. Where the statute counts from the
// determination or confirmation of the breach (the notes say so) the date
// from discovery is the earliest it can be, so it is safe to plan against.
func DeadlineDate(discovery time.Time, r Rule) (time.Time, bool) {
	return addDays(discovery, r.DeadlineDays)
}

// RegulatorDeadlineDate is DeadlineDate for the regulator's notice. For
// EU-GDPR the 3 days are the 72 hours of Art. 33 exactly when discovery is
// in UTC (a calendar day across a daylight-saving change is 23 or 25 hours).
func RegulatorDeadlineDate(discovery time.Time, r Rule) (time.Time, bool) {
	return addDays(discovery, r.RegulatorDeadlineDays)
}

func addDays(t time.Time, days int) (time.Time, bool) {
	if days <= 0 {
		return time.Time{}, false
	}
	return t.AddDate(0, 0, days), true
}
