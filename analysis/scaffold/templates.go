package scaffold

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Placeholder kinds for path segments that vary from request to request.
const (
	holeNumber = "number"
	holeUUID   = "uuid"
	holeHex    = "hex"
	holeEmail  = "email"
	holePhone  = "phone"
	holeID     = "id"
)

var versionRE = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)*$`)

// segmentKind says whether a decoded path segment or query value is an
// identifier-like value, and which.
func segmentKind(s string) (string, bool) {
	switch {
	case s == "":
		return "", false
	case digitsRE.MatchString(s):
		return holeNumber, true
	case uuidRE.MatchString(s):
		return holeUUID, true
	case isEmail(s):
		return holeEmail, true
	case isPhone(s):
		return holePhone, true
	case hexRE.MatchString(s) && len(nonDigits.ReplaceAllString(s, "")) > 0 && letterRE.MatchString(s):
		return holeHex, true
	case len(nonDigits.ReplaceAllString(s, "")) >= 4 && !versionRE.MatchString(s):
		return holeID, true // C0000001, ab-12345
	}
	return "", false
}

// template is one method + path template with the requests that fit it.
type template struct {
	Method     string
	Segments   []string // literal segments, or "" where a placeholder is
	Holes      int
	HoleKind   string
	HoleWord   string   // the literal segment before the (first) placeholder
	HoleValues []string // decoded placeholder values of successful requests
	Requests   int
	Successful int
	Params     map[string]*param
	holes      map[int]bool
}

// param is a query parameter of a template's requests.
type param struct {
	Name     string
	Requests int
	IDLike   int
	Values   []string // decoded values of successful requests
}

// display renders the template with {kind} placeholders.
func (t *template) display() string { return t.path(t.HoleKind) }

// path renders the template with every placeholder named {name}.
func (t *template) path(name string) string {
	parts := make([]string, len(t.Segments))
	for i, s := range t.Segments {
		if t.holes[i] {
			s = "{" + name + "}"
		}
		parts[i] = s
	}
	return strings.Join(parts, "/")
}

// templates groups requests by method and path template, most requested first.
func templates(reqs []request) []*template {
	byKey := map[string]*template{}
	var order []*template
	for _, r := range reqs {
		segs := strings.Split(r.Path, "/")
		lits := make([]string, len(segs))
		holes := map[int]bool{}
		kind, word, value := "", "", ""
		for i, s := range segs {
			dec, err := url.PathUnescape(s)
			if err != nil {
				dec = s
			}
			if k, ok := segmentKind(dec); ok && i > 0 {
				holes[i] = true
				if kind == "" {
					kind, value = k, dec
					if i > 0 {
						word = lits[i-1]
					}
				}
				continue
			}
			lits[i] = s
		}
		key := r.Method + " " + keyOf(lits, holes)
		t := byKey[key]
		if t == nil {
			t = &template{Method: r.Method, Segments: lits, holes: holes, Holes: len(holes), HoleKind: kind, HoleWord: word, Params: map[string]*param{}}
			byKey[key] = t
			order = append(order, t)
		}
		t.Requests++
		ok := r.successful()
		if ok {
			t.Successful++
			if value != "" {
				t.HoleValues = append(t.HoleValues, value)
			}
		}
		for _, kv := range strings.Split(r.Query, "&") {
			name, v, _ := strings.Cut(kv, "=")
			if name == "" {
				continue
			}
			p := t.Params[name]
			if p == nil {
				p = &param{Name: name}
				t.Params[name] = p
			}
			p.Requests++
			dec, err := url.QueryUnescape(v)
			if err != nil {
				dec = v
			}
			if _, idLike := segmentKind(dec); idLike {
				p.IDLike++
			}
			if ok {
				p.Values = append(p.Values, dec)
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].Requests != order[j].Requests {
			return order[i].Requests > order[j].Requests
		}
		return order[i].Method+order[i].display() < order[j].Method+order[j].display()
	})
	return order
}

func keyOf(lits []string, holes map[int]bool) string {
	parts := make([]string, len(lits))
	for i, l := range lits {
		if holes[i] {
			parts[i] = "{}"
		} else {
			parts[i] = l
		}
	}
	return strings.Join(parts, "/")
}

// idParam returns the query parameter that carries an identifier: the one
// whose values are identifiers in most requests, with the most of them.
func (t *template) idParam() *param {
	var best *param
	for _, p := range t.Params {
		if p.IDLike*5 < p.Requests*4 || p.IDLike < 2 {
			continue
		}
		if best == nil || p.IDLike > best.IDLike || (p.IDLike == best.IDLike && p.Name < best.Name) {
			best = p
		}
	}
	return best
}

// name proposes an endpoint name from the literal segments: GET
// /api/v1/accounts/{n} -> get-accounts.
func (t *template) name() string {
	var words []string
	for i, s := range t.Segments {
		if s == "" || t.holes[i] || s == "api" || versionRE.MatchString(s) {
			continue
		}
		words = append(words, tokens(s)...)
	}
	if len(words) == 0 {
		words = []string{"root"}
	}
	return strings.ToLower(t.Method) + "-" + strings.Join(words, "-")
}

// String is the template for comments: "GET /api/v1/accounts/{number}".
func (t *template) String() string { return fmt.Sprintf("%s %s", t.Method, t.display()) }
