package synth

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LogFormats are the log formats synth writes; jsonl is the default.
var LogFormats = []string{"jsonl", "csv", "tsv", "parquet", "combined", "alb", "apigw", "cloudtrail"}

func formatList() string { return strings.Join(LogFormats, ", ") }

// logFormat is the format Options.LogFormat names ("" is jsonl).
func logFormat(f string) string {
	if f == "" {
		return "jsonl"
	}
	return f
}

// months are the monthly log files, in time order. December is gzipped so
// ingest has to handle both.
var months = []struct {
	name string
	gz   bool
	end  int64 // exclusive
}{
	{"2022-11", false, decemberOne},
	{"2022-12", true, januaryOne},
	{"2023-01", false, trafficEnd},
}

func monthIndex(ts int64) int {
	for i, mo := range months {
		if ts < mo.end {
			return i
		}
	}
	return len(months) - 1
}

// period is how the line formats split the logs into files by time: by
// month with December gzipped (the default case, so ingest meets both), or,
// for tier cases, one uncompressed file per day (gzip would dominate the
// time it takes to write hundreds of millions of lines). gzip compresses
// every file (Options.GzipLogs).
type period struct{ daily, gzip bool }

// of names the period of ts (2022-12, or 2022-12-01 when daily) and says
// whether its file is gzipped.
func (p period) of(ts int64) (string, bool) {
	if p.daily {
		return time.Unix(ts, 0).UTC().Format("2006-01-02"), p.gzip
	}
	mo := months[monthIndex(ts)]
	return mo.name, mo.gz || p.gzip
}

// route sends a unit to <prefix><period><ext>, plus .gz when gzipped.
func (p period) route(prefix, ext string) func(int64) (string, bool) {
	return func(ts int64) (string, bool) {
		name, gz := p.of(ts)
		name = prefix + name + ext
		if gz {
			name += ".gz"
		}
		return name, gz
	}
}

// cutPath truncates the line that starts at start inside its request path,
// where every format's parser must notice (an open quote, missing fields),
// and ends it there.
func cutPath(b *bytes.Buffer, start int, l *logLine) {
	i := bytes.Index(b.Bytes()[start:], []byte(l.Path))
	b.Truncate(start + i + len(l.Path)/2)
	b.WriteByte('\n')
}

// writeFunc writes a request as one line; badTime puts a time there that is
// no time.
type writeFunc func(b *bytes.Buffer, ts int64, l *logLine, badTime bool) error

// lineLayout is a line format's layout: requests are written by write, and
// the planted bad lines are an empty line, a request whose time is no time,
// and a request cut short by cut.
func lineLayout(route func(int64) (string, bool), header []byte, write writeFunc, cut func(b *bytes.Buffer, start int, l *logLine)) layout {
	return layout{
		route:  route,
		header: header,
		encode: func(b *bytes.Buffer, ts int64, l *logLine) error { return write(b, ts, l, false) },
		bad: func(b *bytes.Buffer, ts int64, l *logLine, k injectKind) error {
			switch k {
			case injBlank:
				b.WriteByte('\n')
				return nil
			case injBadTime:
				return write(b, ts, l, true)
			}
			start := b.Len()
			if err := write(b, ts, l, false); err != nil {
				return err
			}
			cut(b, start, l)
			return nil
		},
	}
}

// layouts are the text formats other than alb, by name.
func layouts(p period) map[string]layout {
	return map[string]layout{
		"jsonl":      jsonlLayout("api-", p),
		"csv":        delimitedLayout(',', p),
		"tsv":        delimitedLayout('\t', p),
		"combined":   combinedLayout(p),
		"apigw":      apigwLayout(p),
		"cloudtrail": cloudTrailLayout(),
	}
}

// jsonlLayout writes the JSON-lines logs (the default format, and the
// application log behind the ALB).
func jsonlLayout(prefix string, p period) layout {
	write := func(b *bytes.Buffer, _ int64, l *logLine, badTime bool) error {
		if badTime {
			bad := *l
			bad.TS = "not-a-time"
			l = &bad
		}
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		return enc.Encode(l)
	}
	// A JSON object cut in half.
	half := func(b *bytes.Buffer, start int, _ *logLine) {
		b.Truncate(start + (b.Len()-start)/2)
		b.WriteByte('\n')
	}
	return lineLayout(p.route(prefix, ".jsonl"), nil, write, half)
}

// appLayout is the application log behind the load balancer: JSON lines
// whose request_id is the ALB trace id.
func appLayout(p period) layout { return jsonlLayout("app-", p) }

// delimitedLayout writes a SIEM's CSV or TSV export: a header line, then one
// request per line, quoted where needed.
func delimitedLayout(comma rune, p period) layout {
	ext := ".csv"
	if comma == '\t' {
		ext = ".tsv"
	}
	header := []string{"ts", "request_id", "client_ip", "api_key", "method", "path", "query", "status", "bytes", "user_agent"}
	write := func(b *bytes.Buffer, rec []string) error {
		w := csv.NewWriter(b)
		w.Comma = comma
		if err := w.Write(rec); err != nil {
			return err
		}
		w.Flush()
		return w.Error()
	}
	var hb bytes.Buffer
	_ = write(&hb, header)
	return lineLayout(p.route("api-", ext), hb.Bytes(), func(b *bytes.Buffer, _ int64, l *logLine, badTime bool) error {
		rec := []string{l.TS, l.RequestID, l.Client.IP, l.APIKey, l.Method, l.Path, l.Query,
			strconv.Itoa(l.Status), strconv.Itoa(l.Bytes), l.UserAgent}
		if badTime {
			rec[0] = "not-a-time"
		}
		return write(b, rec)
	}, cutPath)
}

// pacific is the web server's local time: Pacific Standard Time all through
// the log period, so combined logs carry -0800 offsets.
var pacific = time.FixedZone("PST", -8*3600)

// combinedLayout writes nginx access logs in the combined format; the
// partner apps authenticate with their API key as basic-auth user, which
// nginx logs as %u.
func combinedLayout(p period) layout {
	return lineLayout(p.route("access-", ".log"), nil, func(b *bytes.Buffer, ts int64, l *logLine, badTime bool) error {
		when := time.Unix(ts, 0).In(pacific).Format("02/Jan/2006:15:04:05 -0700")
		if badTime {
			when = "not-a-time"
		}
		target := l.Path
		if l.Query != "" {
			target += "?" + l.Query
		}
		_, err := fmt.Fprintf(b, "%s - %s [%s] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\"\n",
			l.Client.IP, l.APIKey, when, l.Method, target, l.Status, l.Bytes, l.UserAgent)
		return err
	}, cutPath)
}

// apigwLine is an API Gateway access log entry in JSON, keyed like the
// $context variables. API Gateway has no variable for the query string;
// this deployment logs it from its integration under queryString.
type apigwLine struct {
	RequestID      string        `json:"requestId"`
	IP             string        `json:"ip"`
	RequestTime    string        `json:"requestTime"`
	HTTPMethod     string        `json:"httpMethod"`
	Path           string        `json:"path"`
	QueryString    string        `json:"queryString"`
	Status         string        `json:"status"`
	Protocol       string        `json:"protocol"`
	ResponseLength string        `json:"responseLength"`
	Identity       apigwIdentity `json:"identity"`
}

type apigwIdentity struct {
	APIKey    string `json:"apiKey"`
	UserAgent string `json:"userAgent"`
}

func apigwLayout(p period) layout {
	return lineLayout(p.route("apigw-", ".jsonl"), nil, func(b *bytes.Buffer, ts int64, l *logLine, badTime bool) error {
		when := time.Unix(ts, 0).UTC().Format("02/Jan/2006:15:04:05 -0700")
		if badTime {
			when = "not-a-time"
		}
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		return enc.Encode(apigwLine{
			RequestID: l.RequestID, IP: l.Client.IP, RequestTime: when, HTTPMethod: l.Method,
			Path: l.Path, QueryString: l.Query, Status: strconv.Itoa(l.Status), Protocol: "HTTP/1.1",
			ResponseLength: strconv.Itoa(l.Bytes), Identity: apigwIdentity{APIKey: l.APIKey, UserAgent: l.UserAgent},
		})
	}, cutPath)
}

// ALB facts of the synthetic load balancer.
const (
	albName   = "app/api-lb/50dc6c495c0c9188"
	albTarget = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api-targets/8f1a2b3c4d5e6f70"
	albCert   = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
)

// traceID is the ALB's X-Amzn-Trace-Id root for a request: its time and
// 96 bits derived from the request id.
func traceID(ts int64, requestID string) string {
	return fmt.Sprintf("Root=1-%08x-000000000000%s", ts, strings.TrimPrefix(requestID, "r-"))
}

func albLayout() layout {
	iso := func(ts int64, frac string) string {
		return time.Unix(ts, 0).UTC().Format("2006-01-02T15:04:05") + frac + "Z"
	}
	// One file per hour, as the load balancer delivers them (every five
	// minutes per node, in reality): many small gzip files.
	route := func(ts int64) (string, bool) {
		end := time.Unix(ts, 0).UTC().Truncate(time.Hour).Add(time.Hour)
		return "alb/111122223333_elasticloadbalancing_us-east-1_" + strings.ReplaceAll(albName, "/", ".") +
			"_" + end.Format("20060102T1504Z") + "_10.0.1.5_synth.log.gz", true
	}
	return lineLayout(route, nil, func(b *bytes.Buffer, ts int64, l *logLine, badTime bool) error {
		// The response goes out 50ms after the request came in.
		when, created := iso(ts, ".050000"), iso(ts, ".000000")
		if badTime {
			when, created = "not-a-time", "not-a-time"
		}
		h := fnv.New32a()
		h.Write([]byte(l.RequestID))
		n := h.Sum32()
		target := fmt.Sprintf("10.0.1.%d:8080", 10+n%4)
		url := "https://api.example.com:443" + l.Path
		if l.Query != "" {
			url += "?" + l.Query
		}
		_, err := fmt.Fprintf(b, `https %s %s %s:%d %s 0.001 0.%03d 0.000 %d %d %d %d "%s %s HTTP/1.1" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 %s "%s" "api.example.com" "%s" 1 %s "forward" "-" "-" "%s" "%d" "-" "-" TID_%08x`+"\n",
			when, albName, l.Client.IP, 1024+n%60000, target, 5+n%90, l.Status, l.Status, 180+n%120, l.Bytes,
			l.Method, url, l.UserAgent, albTarget, traceID(ts, l.RequestID), albCert, created, target, l.Status, n)
		return err
	}, cutPath)
}

// ctRecord is a CloudTrail record of a call to the synthetic accounts API.
type ctRecord struct {
	EventVersion        string            `json:"eventVersion"`
	UserIdentity        ctIdentity        `json:"userIdentity"`
	EventTime           string            `json:"eventTime,omitempty"`
	EventSource         string            `json:"eventSource"`
	EventName           string            `json:"eventName"`
	AWSRegion           string            `json:"awsRegion"`
	SourceIPAddress     string            `json:"sourceIPAddress"`
	UserAgent           string            `json:"userAgent"`
	ErrorCode           string            `json:"errorCode,omitempty"`
	RequestParameters   map[string]string `json:"requestParameters"`
	ResponseElements    *struct{}         `json:"responseElements"`
	AdditionalEventData ctAdditional      `json:"additionalEventData"`
	RequestID           string            `json:"requestID"`
	EventID             string            `json:"eventID"`
	ReadOnly            bool              `json:"readOnly"`
	EventType           string            `json:"eventType"`
}

type ctIdentity struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	AccessKeyID string `json:"accessKeyId"`
}

type ctAdditional struct {
	BytesTransferredOut int `json:"bytesTransferredOut"`
}

// ctEventSource is the synthetic API as CloudTrail names it.
const ctEventSource = "accounts.example.com"

// ctCall maps a request to its API action and parameters.
func ctCall(l *logLine) (string, map[string]string) {
	const accounts = "/api/v1/accounts"
	switch {
	case l.Path == "/api/v1/lines":
		q, _ := url.ParseQuery(l.Query)
		return "GetLine", map[string]string{"msisdn": q.Get("msisdn")}
	case l.Path == accounts:
		return "ListAccounts", nil
	case strings.HasPrefix(l.Path, accounts+"/") && strings.HasSuffix(l.Path, "/usage"):
		return "GetAccountUsage", map[string]string{"accountNumber": strings.TrimSuffix(strings.TrimPrefix(l.Path, accounts+"/"), "/usage")}
	case strings.HasPrefix(l.Path, accounts+"/") && l.Method == "POST":
		return "UpdateAccount", map[string]string{"accountNumber": strings.TrimPrefix(l.Path, accounts+"/")}
	case strings.HasPrefix(l.Path, accounts+"/"):
		return "GetAccount", map[string]string{"accountNumber": strings.TrimPrefix(l.Path, accounts+"/")}
	case l.Path == "/api/v1/login":
		return "Login", nil
	case l.Path == "/api/v1/plans":
		return "ListPlans", nil
	}
	return "GetHealth", nil
}

// ctErrors are the error codes of failed calls, by HTTP status.
var ctErrors = map[int]string{401: "UnauthorizedOperation", 404: "AccountNotFoundException", 429: "ThrottlingException", 500: "InternalFailure"}

func ctRecordOf(ts int64, l *logLine) ctRecord {
	name, params := ctCall(l)
	key := l.APIKey
	return ctRecord{
		EventVersion: "1.08",
		UserIdentity: ctIdentity{Type: "IAMUser", PrincipalID: "AIDA" + strings.ToUpper(strings.ReplaceAll(key, "-", "")),
			ARN: "arn:aws:iam::111122223333:user/" + key, AccountID: "111122223333", AccessKeyID: key},
		EventTime: formatTS(ts), EventSource: ctEventSource, EventName: name, AWSRegion: "us-east-1",
		SourceIPAddress: l.Client.IP, UserAgent: l.UserAgent, ErrorCode: ctErrors[l.Status],
		RequestParameters: params, AdditionalEventData: ctAdditional{BytesTransferredOut: l.Bytes},
		RequestID: l.RequestID, EventID: "e-" + strings.TrimPrefix(l.RequestID, "r-"),
		ReadOnly: !slices.Contains([]string{"Login", "UpdateAccount"}, name), EventType: "AwsApiCall",
	}
}

// cloudTrailLayout writes one {"Records": [...]} file per day, gzipped, as
// CloudTrail delivers them to S3.
func cloudTrailLayout() layout {
	encode := func(b *bytes.Buffer, rec ctRecord) error {
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rec); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // records are separated by commas, not newlines
		return nil
	}
	return layout{
		route: func(ts int64) (string, bool) {
			day := time.Unix(ts, 0).UTC().Format("20060102")
			return "cloudtrail/111122223333_CloudTrail_us-east-1_" + day + "T0000Z_synth.json.gz", true
		},
		header: []byte(`{"Records":[`),
		sep:    []byte(","),
		footer: []byte("]}\n"),
		encode: func(b *bytes.Buffer, ts int64, l *logLine) error { return encode(b, ctRecordOf(ts, l)) },
		bad: func(b *bytes.Buffer, ts int64, l *logLine, k injectKind) error {
			rec := ctRecordOf(ts, l)
			switch k {
			case injBlank:
				b.WriteString("null") // an element that is no record
				return nil
			case injBadTime:
				rec.EventTime = "not-a-time"
			default:
				rec.EventTime = "" // a record without its time
			}
			return encode(b, rec)
		},
	}
}
