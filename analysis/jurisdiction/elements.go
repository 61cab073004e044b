package jurisdiction

import (
	"regexp"
	"slices"
)

// Element is a data element the rules table may name in a trigger.
type Element struct {
	Name        string
	Description string
}

// Elements is the vocabulary of the shipped table. The first six are
// breachscope's built-in customer elements; the rest are elements a case
// adds as extra customer fields under exactly these names. Statutes speak of
// "account number with any required code" and "user name with password";
// those are kept as separate elements (account_number+access_code,
// username+password) so each maps to one customer column and a trigger can
// say which half was exposed.
var Elements = []Element{
	{"name", "first name or first initial and last name"},
	{"address", "postal address"},
	{"email", "email address"},
	{"phone", "telephone number"},
	{"date_of_birth", "full date of birth"},
	{"account_number", "financial account, credit card or debit card number"},
	{"access_code", "security code, access code, PIN or password that permits access to a financial account"},
	{"ssn", "Social Security number"},
	{"drivers_license", "driver's license or state identification card number"},
	{"passport", "passport number"},
	{"military_id", "military identification number"},
	{"student_id", "student identification number"},
	{"government_id", "other government-issued identification number (tribal, federal, nondriver, voter)"},
	{"tax_id", "taxpayer identification number or IRS identity protection PIN"},
	{"medical", "medical history, condition, treatment or diagnosis"},
	{"health_insurance", "health insurance policy or subscriber number"},
	{"biometric", "biometric data used to authenticate (fingerprint, retina, voice print)"},
	{"genetic", "genetic information or DNA profile"},
	{"username", "user name or other identifier of an online account"},
	{"password", "password or security question and answer of an online account"},
	{"digital_signature", "digitized or electronic signature, or a private signing key"},
	{"mothers_maiden_name", "mother's maiden name"},
	{"employee_id", "identification number assigned by an employer"},
	{"birth_certificate", "birth or marriage certificate"},
	{"security_token", "shared secret or security token used for authentication"},
}

// ElementNames returns the names of Elements in table order.
func ElementNames() []string {
	out := make([]string, len(Elements))
	for i, e := range Elements {
		out[i] = e.Name
	}
	return out
}

// elementRE is what an element name must look like: the same shape as a
// case's extra customer field, because that is where the element comes from.
var elementRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// known reports whether name is in Elements or extra.
func known(name string, extra []string) bool {
	for _, e := range Elements {
		if e.Name == name {
			return true
		}
	}
	return slices.Contains(extra, name)
}
