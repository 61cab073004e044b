package casefile

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// logFields checks a log source's field mapping against its format: every
// key is a log field the format lets a source map, every value locates it
// in the format's terms, and the fields a request needs are available.
func (v *validator) logFields(key string, l *LogSource) {
	spec, ok := LogFormatSpecs[l.Format]
	if !ok {
		return // the unknown format is reported already
	}
	fields := make([]string, 0, len(l.Fields))
	for f := range l.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, field := range fields {
		src, fk := l.Fields[field], key+".fields."+field
		switch {
		case !slices.Contains(LogFields, field):
			v.fail(fk, "unknown log field%s; fields: %s", suggest(field, LogFields), strings.Join(LogFields, ", "))
		case spec.Mappable != nil && !slices.Contains(spec.Mappable, field):
			v.fail(fk, "the %s format takes %s from the request line; it maps only: %s", l.Format, field, strings.Join(spec.Mappable, ", "))
		case strings.TrimSpace(src) == "":
			v.fail(fk, "needs %s", locateHint(spec.Locate))
		case spec.Locate == LocatePosition:
			if _, ok := fieldNumber(src); !ok {
				v.fail(fk, "needs %s, got %q", locateHint(spec.Locate), src)
			}
		}
	}
	for _, req := range []string{"time", "method", "status"} {
		if !l.Provides(req) {
			v.fail(key+".fields", "%s is required", req)
		}
	}
	if l.Fields["path"] != "" && l.Fields["url"] != "" || !l.Provides("path") && l.Fields["url"] == "" {
		v.fail(key+".fields", "map exactly one of path (with query) or url (path and query together)")
	}
	if l.Fields["url"] != "" && l.Fields["query"] != "" {
		v.fail(key+".fields.query", "url already holds the query string; drop query or map path instead of url")
	}
}

func locateHint(locate string) string {
	switch locate {
	case LocateColumn:
		return "the name of a column in the log files"
	case LocatePosition:
		return "a field number (1 is a line's first field; a quoted field counts as one)"
	}
	return "the name (or dotted path) of a field in the log records"
}

// identityJoins checks every identity_from: the named source exists, is
// another source that does not itself borrow identities, and both sources
// provide the join field; the named source must provide a principal.
func (v *validator) identityJoins() {
	byName := map[string]*LogSource{}
	var names []string
	for i := range v.c.Logs {
		byName[v.c.Logs[i].Name] = &v.c.Logs[i]
		names = append(names, v.c.Logs[i].Name)
	}
	for i := range v.c.Logs {
		l := &v.c.Logs[i]
		j := l.IdentityFrom
		if j == nil {
			continue
		}
		key := fmt.Sprintf("logs[%d].identity_from", i)
		if j.On == "" {
			j.On = "request_id"
		}
		if j.On != "request_id" {
			v.fail(key+".on", "only request_id can join two sources (the id both logs record for the same request), got %q", j.On)
		} else if !l.Provides(j.On) {
			v.fail(key+".on", "source %q has no request_id to join on: map fields.request_id", l.Name)
		}
		src, ok := byName[j.Source]
		switch {
		case j.Source == "":
			v.fail(key+".source", "name the log source that records the caller identity")
			continue
		case !ok:
			v.fail(key+".source", "no log source named %q%s; sources: %s", j.Source, suggest(j.Source, names), strings.Join(names, ", "))
			continue
		case src == l:
			v.fail(key+".source", "a source cannot take identities from itself")
			continue
		case src.IdentityFrom != nil:
			v.fail(key+".source", "source %q takes its identities from %q itself; name the source that records them", j.Source, src.IdentityFrom.Source)
			continue
		}
		if !src.Provides("principal") {
			v.fail(key+".source", "source %q has no principal: map its fields.principal", j.Source)
		}
		if j.On == "request_id" && !src.Provides(j.On) {
			v.fail(key+".source", "source %q has no request_id to join on: map its fields.request_id", j.Source)
		}
	}
}

// IdentitySource reports whether another log source takes its caller
// identities from the named source, which makes that source's rows
// identities rather than requests.
func (c *Case) IdentitySource(name string) bool {
	for _, l := range c.Logs {
		if l.IdentityFrom != nil && l.IdentityFrom.Source == name {
			return true
		}
	}
	return false
}
