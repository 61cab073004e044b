package casefile

import (
	"slices"
	"strconv"
)

// How a log format locates a field, that is, what a fields: value means.
const (
	// LocatePath: a key or dotted path in a JSON record ("client.ip").
	LocatePath = "path"
	// LocateColumn: a column name (header line of csv/tsv, parquet schema).
	LocateColumn = "column"
	// LocatePosition: a 1-based field number in a line split on spaces,
	// quoted fields counting as one.
	LocatePosition = "position"
)

// LogFormat is what breachscope knows about one log format before any
// configuration: where its fields are and which ones its parser derives.
type LogFormat struct {
	// Locate says what a fields: value names in this format.
	Locate string
	// Defaults locate fields without configuration. A field may have
	// several candidates: the first one present in a record (not empty,
	// not "-") wins.
	Defaults map[string][]string
	// Derived fields are computed by the format's parser (method, path and
	// query from the request line; for CloudTrail from the event); a
	// fields: entry replaces the derivation where Mappable allows it.
	Derived []string
	// Mappable lists the fields a source may map; nil means every log field.
	Mappable []string
}

// requestLine are the fields split out of an HTTP request line.
var requestLine = []string{"method", "path", "query", "protocol"}

// positional formats may remap these fields to another field number, for
// example a request id appended to the nginx combined format.
var positionalMappable = []string{"time", "request_id", "client_ip", "principal", "status", "bytes", "user_agent"}

// LogFormatSpecs describes every format in LogFormats.
var LogFormatSpecs = map[string]LogFormat{
	"jsonl":   {Locate: LocatePath},
	"csv":     {Locate: LocateColumn},
	"tsv":     {Locate: LocateColumn},
	"parquet": {Locate: LocateColumn},
	// nginx/Apache: %h %l %u %t "%r" %>s %b ["%{Referer}i" "%{User-agent}i"],
	// then any fields a site appended (10, 11, ...). %u, the authenticated
	// user, is the principal: API partners often authenticate with the key
	// as user name.
	"combined": {Locate: LocatePosition, Derived: requestLine, Mappable: positionalMappable, Defaults: map[string][]string{
		"client_ip": {"1"}, "principal": {"3"}, "time": {"4"}, "status": {"6"}, "bytes": {"7"}, "user_agent": {"9"},
	}},
	// AWS Application Load Balancer, fields as documented by AWS: 2 time
	// (response sent), 4 client:port, 9 elb_status_code, 12 sent_bytes,
	// 13 request, 14 user_agent, 18 trace_id, 22 request_creation_time.
	// The request's time is when the load balancer received it
	// (request_creation_time), or the response time in entries that lack it.
	"alb": {Locate: LocatePosition, Derived: requestLine, Mappable: positionalMappable, Defaults: map[string][]string{
		"time": {"22", "2"}, "client_ip": {"4"}, "status": {"9"}, "bytes": {"12"}, "user_agent": {"14"}, "request_id": {"18"},
	}},
	// API Gateway access logs in JSON, keyed like the $context variables
	// they hold. path is $context.path (the request), never resourcePath
	// (the route template). The principal is the API key, else the
	// authorizer's principal; map principal: to choose.
	"apigw": {Locate: LocatePath, Defaults: map[string][]string{
		"time":       {"requestTime", "requestTimeEpoch"},
		"request_id": {"requestId"},
		"client_ip":  {"ip", "sourceIp", "identity.sourceIp"},
		"principal":  {"identity.apiKey", "apiKey", "authorizer.principalId", "principalId"},
		"method":     {"httpMethod"},
		"path":       {"path"},
		"status":     {"status"},
		"bytes":      {"responseLength"},
		"user_agent": {"userAgent", "identity.userAgent"},
		"protocol":   {"protocol"},
	}},
	// CloudTrail records: the request is an AWS API call. The principal is
	// the access key that signed it (the credential an attacker holds),
	// else the caller's ARN, else its principal id. method is the API
	// action (eventName, upper-cased like an HTTP method), path is
	// /<eventSource>/<eventName>, query holds requestParameters as
	// key=value pairs (nested keys joined with dots), status is 200 for a
	// call without errorCode and 403/404/429/500/400 by error family, and
	// bytes is S3's additionalEventData.bytesTransferredOut.
	"cloudtrail": {Locate: LocatePath, Derived: []string{"method", "path", "query", "status"}, Defaults: map[string][]string{
		"time":       {"eventTime"},
		"request_id": {"requestID"},
		"client_ip":  {"sourceIPAddress"},
		"principal":  {"userIdentity.accessKeyId", "userIdentity.arn", "userIdentity.principalId"},
		"bytes":      {"additionalEventData.bytesTransferredOut"},
		"user_agent": {"userAgent"},
	}},
}

// Locations returns where the source finds field: its fields: entry, else
// the format's default candidates; nil when the field is not available.
func (l *LogSource) Locations(field string) []string {
	if v := l.Fields[field]; v != "" {
		return []string{v}
	}
	// A mapped url holds path and query: no default path competes with it.
	if (field == "path" || field == "query") && l.Fields["url"] != "" {
		return nil
	}
	return LogFormatSpecs[l.Format].Defaults[field]
}

// Provides reports whether the source yields field: mapped, located by
// default, or derived by the format's parser.
func (l *LogSource) Provides(field string) bool {
	return len(l.Locations(field)) > 0 || slices.Contains(LogFormatSpecs[l.Format].Derived, field)
}

// fieldNumber parses a positional fields: value.
func fieldNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 1000
}
