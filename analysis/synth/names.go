package synth

// Built-in word lists. They are small on purpose: the case must look like a
// customer table without containing anyone's real record, so names come from
// lists of very common given and family names, and streets and towns are
// invented. A few entries carry an apostrophe, a space or a non-ASCII letter
// because real customer tables do, and ingest must cope with them.

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
	"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
	"Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily", "Andrew", "Michelle",
	"Kevin", "Amanda", "Brian", "Melissa", "José", "Zoë", "Maria", "Luis",
	"Wei", "Priya", "Aaliyah", "Omar", "Mei", "Carlos", "Fatima", "Dmitri",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
	"Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
	"Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
	"Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Flores", "Green",
	"O'Brien", "O'Connor", "Muñoz", "Peña", "De La Cruz", "Kim", "Patel", "Chen",
}

// nicknames pairs a given name with a nickname; such customers get a first
// name like `Katherine "Kate"`, which needs CSV quote escaping.
var nicknames = [][2]string{
	{"Robert", "Bobby"}, {"Katherine", "Kate"}, {"William", "Bill"},
	{"Elizabeth", "Liz"}, {"Anthony", "Tony"},
}

// nameSuffixes are appended to last names after a comma (`Smith, Jr.`), which
// forces CSV quoting.
var nameSuffixes = []string{"Jr.", "Sr.", "III"}

var streetNames = []string{
	"Maple", "Oak", "Cedar", "Pine", "Elm", "Willow", "Birch", "Aspen",
	"Juniper", "Sycamore", "Hawthorn", "Chestnut", "Lakeview", "Hillcrest", "Meadow", "Ridge",
	"Sunset", "Harbor", "Orchard", "Quarry", "Foxglove", "Bramble", "Heron", "Larkspur",
}

var streetSuffixes = []string{"St", "Ave", "Rd", "Ln", "Dr", "Ct", "Way", "Blvd", "Pl"}

var unitPrefixes = []string{"Apt", "Unit", "Suite", "#"}

// cities are invented town names.
var cities = []string{
	"Alderbrook", "Brightwater", "Cedar Hollow", "Eastvale", "Foxmoor", "Glenwick",
	"Harrowgate", "Ivydale", "Juniper Flats", "Kestrel Point", "Larkmoor", "Millbrook Junction",
	"Northmere", "Oakhaven", "Pinecrest Ridge", "Quillby", "Rosemont Vale", "Silverhollow",
	"Thornbury", "Westbrook Glen",
}

// stateWeight is a US state (or DC) code with a rough population weight, so
// that jurisdiction counts have a realistic spread (many in CA and TX, few in
// WY) instead of a flat one.
type stateWeight struct {
	code   string
	weight int
}

var states = []stateWeight{
	{"AL", 50}, {"AK", 7}, {"AZ", 73}, {"AR", 30}, {"CA", 390}, {"CO", 58},
	{"CT", 36}, {"DE", 10}, {"DC", 7}, {"FL", 222}, {"GA", 109}, {"HI", 14},
	{"ID", 19}, {"IL", 126}, {"IN", 68}, {"IA", 32}, {"KS", 29}, {"KY", 45},
	{"LA", 46}, {"ME", 14}, {"MD", 62}, {"MA", 70}, {"MI", 100}, {"MN", 57},
	{"MS", 29}, {"MO", 62}, {"MT", 11}, {"NE", 20}, {"NV", 32}, {"NH", 14},
	{"NJ", 93}, {"NM", 21}, {"NY", 197}, {"NC", 107}, {"ND", 8}, {"OH", 118},
	{"OK", 40}, {"OR", 42}, {"PA", 130}, {"RI", 11}, {"SC", 53}, {"SD", 9},
	{"TN", 71}, {"TX", 300}, {"UT", 34}, {"VT", 6}, {"VA", 87}, {"WA", 78},
	{"WV", 18}, {"WI", 59}, {"WY", 6},
}

// planWeight is a plan name with its share of customers.
type planWeight struct {
	name   string
	weight int
}

var plans = []planWeight{
	{"Essentials", 30}, {"Unlimited Plus", 25}, {"Unlimited Premium", 15},
	{"Family Share", 15}, {"Prepaid Basic", 10}, {"Business Pro", 5},
}

// formulaPlan is the plan value of exactly one exposed customer. It starts
// with `=` so that every CSV or XLSX output meant for people proves it
// neutralises formula injection; it also holds quotes and a comma.
const formulaPlan = `=HYPERLINK("https://example.com/upgrade","Unlimited Plus")`

var emailDomains = []string{"example.com", "example.org", "example.net"}

// userAgents of the legitimate apps and browsers.
var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Safari/605.1.15",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.1 Mobile/15E148 Safari/604.1",
	"Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Mobile Safari/537.36",
	"CarrierApp/5.12.0 (iOS 16.1; iPhone14,2)",
	"CarrierApp/5.12.0 (Android 13; SM-S901U)",
	"okhttp/4.10.0",
}
