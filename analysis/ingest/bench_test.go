package ingest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// benchRows is the size of every format's benchmark file.
var benchRows = flag.Int("bench.rows", 1_000_000, "rows per format in BenchmarkIngestFormats")

// benchFormat is one format in BenchmarkIngestFormats: how its lines look
// (realistic sizes), how the case file maps them, and the bare DuckDB read
// of the same file it is compared with.
type benchFormat struct {
	name   string
	header string
	line   func(i int) string
	fields map[string]string
	bare   string // FROM clause; %s is the file's path
	// records: the file is one CloudTrail {"Records": [...]} document
	records bool
	// rejectEvery > 0 breaks every rejectEvery-th line (cut short), so the
	// quarantining pass runs; bare reads past them (ignore_errors).
	rejectEvery int
}

// broken is how many of n lines of f are broken.
func (f benchFormat) broken(n int) int {
	if f.rejectEvery == 0 {
		return 0
	}
	return n / f.rejectEvery
}

func benchTime(i int) time.Time {
	return time.Date(2022, 11, 25, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 250 * time.Millisecond)
}

const benchUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/108.0.0.0 Safari/537.36"

var jsonlFields = map[string]string{"time": "ts", "request_id": "request_id", "client_ip": "client.ip", "principal": "api_key",
	"method": "method", "path": "path", "query": "query", "status": "status", "bytes": "bytes", "user_agent": "user_agent"}

var columnFields = map[string]string{"time": "ts", "request_id": "request_id", "client_ip": "client_ip", "principal": "api_key",
	"method": "method", "path": "path", "query": "query", "status": "status", "bytes": "bytes", "user_agent": "user_agent"}

func delimited(sep string) func(int) string {
	return func(i int) string {
		return strings.Join([]string{benchTime(i).Format(time.RFC3339), fmt.Sprintf("r-%012x", i), fmt.Sprintf("198.51.100.%d", i%250),
			fmt.Sprintf("key-app-%06x", i%4096), "GET", fmt.Sprintf("/api/v1/accounts/%010d", i), "", "200", fmt.Sprint(600 + i%400), `"` + benchUA + `"`}, sep)
	}
}

var benchFormats = []benchFormat{
	{name: "jsonl", fields: jsonlFields, bare: "read_json('%s', format = 'newline_delimited')",
		line: func(i int) string {
			return fmt.Sprintf(`{"ts":"%s","request_id":"r-%012x","client":{"ip":"198.51.100.%d"},"api_key":"key-app-%06x","method":"GET","path":"/api/v1/accounts/%010d","query":"","status":200,"bytes":%d,"user_agent":"%s"}`,
				benchTime(i).Format(time.RFC3339), i, i%250, i%4096, i, 600+i%400, benchUA)
		}},
	{name: "jsonl-rejects", fields: jsonlFields, bare: "read_json('%s', format = 'newline_delimited', ignore_errors = true)", rejectEvery: 1000,
		line: func(i int) string {
			return fmt.Sprintf(`{"ts":"%s","request_id":"r-%012x","client":{"ip":"198.51.100.%d"},"api_key":"key-app-%06x","method":"GET","path":"/api/v1/accounts/%010d","query":"","status":200,"bytes":%d,"user_agent":"%s"}`,
				benchTime(i).Format(time.RFC3339), i, i%250, i%4096, i, 600+i%400, benchUA)
		}},
	{name: "csv", fields: columnFields, header: "ts,request_id,client_ip,api_key,method,path,query,status,bytes,user_agent",
		line: delimited(","), bare: "read_csv('%s', header = true)"},
	{name: "tsv", fields: columnFields, header: "ts\trequest_id\tclient_ip\tapi_key\tmethod\tpath\tquery\tstatus\tbytes\tuser_agent",
		line: delimited("\t"), bare: "read_csv('%s', header = true, delim = '\\t')"},
	{name: "parquet", fields: columnFields, header: "ts,request_id,client_ip,api_key,method,path,query,status,bytes,user_agent",
		line: delimited(","), bare: "read_parquet('%s')"},
	{name: "combined", bare: "read_csv('%s', delim = ' ', quote = '\"', escape = '\\', header = false, auto_detect = false, columns = {'h': 'VARCHAR', 'l': 'VARCHAR', 'u': 'VARCHAR', 't': 'VARCHAR', 'z': 'VARCHAR', 'r': 'VARCHAR', 's': 'INTEGER', 'b': 'BIGINT', 'ref': 'VARCHAR', 'ua': 'VARCHAR'})",
		line: func(i int) string {
			return fmt.Sprintf(`198.51.100.%d - key-app-%06x [%s] "GET /api/v1/accounts/%010d HTTP/1.1" 200 %d "-" "%s"`,
				i%250, i%4096, benchTime(i).In(time.FixedZone("", -8*3600)).Format("02/Jan/2006:15:04:05 -0700"), i, 600+i%400, benchUA)
		}},
	{name: "alb", bare: "read_csv('%s', delim = ' ', quote = '\"', escape = '\\', header = false, auto_detect = false, columns = {" + albBareColumns() + "})",
		line: func(i int) string {
			t := benchTime(i)
			return fmt.Sprintf(`https %s app/api-lb/50dc6c495c0c9188 198.51.100.%d:%d 10.0.1.12:8080 0.001 0.048 0.000 200 200 231 %d "GET https://api.example.com:443/api/v1/accounts/%010d HTTP/1.1" "%s" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api-targets/8f1a2b3c4d5e6f70 "Root=1-%08x-%024x" "api.example.com" "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666" 1 %s "forward" "-" "-" "10.0.1.12:8080" "200" "-" "-" TID_%08x`,
				t.Add(50*time.Millisecond).Format("2006-01-02T15:04:05.000000Z"), i%250, 1024+i%60000, 600+i%400, i, benchUA, t.Unix(), i, t.Format("2006-01-02T15:04:05.000000Z"), i)
		}},
	{name: "apigw", bare: "read_json('%s', format = 'newline_delimited')",
		line: func(i int) string {
			return fmt.Sprintf(`{"requestId":"%08x-7b61-11e6-9a41-93e8deadbeef","ip":"198.51.100.%d","requestTime":"%s","httpMethod":"GET","resourcePath":"/api/v1/accounts/{account}","path":"/api/v1/accounts/%010d","status":"200","protocol":"HTTP/1.1","responseLength":"%d","identity":{"apiKey":"key-app-%06x","userAgent":"%s"}}`,
				i, i%250, benchTime(i).Format("02/Jan/2006:15:04:05 -0700"), i, 600+i%400, i%4096, benchUA)
		}},
	{name: "cloudtrail", records: true, bare: "(SELECT unnest(Records, recursive := false) FROM read_json('%s', maximum_object_size = 4000000000))",
		line: func(i int) string {
			return fmt.Sprintf(`{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE%06X","arn":"arn:aws:iam::111122223333:user/app-%d","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE%09X"},"eventTime":"%s","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.%d","userAgent":"%s","requestParameters":{"bucketName":"customer-records","Host":"customer-records.s3.amazonaws.com","key":"accounts/%010d.json"},"responseElements":null,"additionalEventData":{"bytesTransferredIn":0,"bytesTransferredOut":%d},"requestID":"%016X","eventID":"%08x-0000-4000-8000-000000000000","readOnly":true,"eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333"}`,
				i%4096, i%4096, i%4096, benchTime(i).Format(time.RFC3339), i%250, benchUA, i, 600+i%400, i, i)
		}},
}

func albBareColumns() string {
	var cols []string
	for k := 1; k <= 30; k++ {
		cols = append(cols, fmt.Sprintf("'c%d': 'VARCHAR'", k))
	}
	return strings.Join(cols, ", ")
}

// writeBenchFile writes the format's benchmark file (text formats; the
// parquet file is converted from its CSV by DuckDB).
func writeBenchFile(b *testing.B, f benchFormat, path string) {
	b.Helper()
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(out, 1<<20)
	if f.header != "" {
		w.WriteString(f.header + "\n")
	}
	if f.records {
		w.WriteString(`{"Records":[`)
	}
	for i := 0; i < *benchRows; i++ {
		if f.records && i > 0 {
			w.WriteByte(',')
		}
		line := f.line(i)
		if f.rejectEvery > 0 && i%f.rejectEvery == f.rejectEvery-1 {
			line = line[:len(line)/2]
		}
		w.WriteString(line)
		if !f.records {
			w.WriteByte('\n')
		}
	}
	if f.records {
		w.WriteString("]}\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkIngestFormats ingests a file of benchRows requests in every log
// format (reading and hashing, provenance, parsing, reject accounting,
// counts) and, in the same run, times a bare DuckDB CREATE TABLE AS SELECT *
// FROM read_... of the same file into a fresh case database. It reports
// both rates, their ratio (ingest time / bare time) and the ratio of the
// CPU time both spent. jsonl-rejects has one broken line in a thousand, so
// its ingest also runs the quarantining pass. `make bench-ingest` runs it.
func BenchmarkIngestFormats(b *testing.B) {
	ctx := context.Background()
	for _, f := range benchFormats {
		b.Run(f.name, func(b *testing.B) {
			dir := b.TempDir()
			name := "bench." + f.name
			path := filepath.Join(dir, name)
			if f.name == "parquet" {
				writeBenchFile(b, f, path+".csv")
				db := benchDB(b, filepath.Join(dir, "convert.duckdb"))
				if err := db.Exec(ctx, fmt.Sprintf("COPY (FROM read_csv('%s', header = true, all_varchar = true)) TO '%s' (FORMAT parquet)", path+".csv", path)); err != nil {
					b.Fatal(err)
				}
				db.Close()
				os.Remove(path + ".csv")
			} else {
				writeBenchFile(b, f, path)
			}
			format := strings.TrimSuffix(f.name, "-rejects")
			src := casefile.LogSource{Name: "bench", Path: name, Format: format, Fields: f.fields, Timezone: "UTC"}
			var ingestTime, bareTime time.Duration
			var ingestCPU, bareCPU float64
			bad := f.broken(*benchRows)
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				b.StopTimer()
				db := benchDB(b, filepath.Join(dir, fmt.Sprintf("ingest%d.duckdb", n)))
				if err := db.Script(ctx, "schema.sql", struct{ Fields []string }{}, nil); err != nil {
					b.Fatal(err)
				}
				in := &ingester{db: db, c: &casefile.Case{Dir: dir, Logs: []casefile.LogSource{src}}}
				b.StartTimer()
				start, cpu := time.Now(), cpuSeconds()
				in.findLogFiles() // inside the timing, as in a real ingest
				if err := in.logs(ctx, src); err != nil {
					b.Fatal(err)
				}
				ingestTime += time.Since(start)
				ingestCPU += cpuSeconds() - cpu
				b.StopTimer()
				if i := in.inputs[0]; i.Accepted != int64(*benchRows-bad) || i.Rejected != int64(bad) {
					b.Fatalf("accepted %d, rejected %d of %d", i.Accepted, i.Rejected, *benchRows)
				}
				db.Close()

				db = benchDB(b, filepath.Join(dir, fmt.Sprintf("bare%d.duckdb", n)))
				start, cpu = time.Now(), cpuSeconds()
				if err := db.Exec(ctx, "CREATE TABLE bare AS SELECT * FROM "+fmt.Sprintf(f.bare, path)); err != nil {
					b.Fatal(err)
				}
				bareTime += time.Since(start)
				bareCPU += cpuSeconds() - cpu
				rows, err := db.Int(ctx, "SELECT count(*) FROM bare")
				// read_json's ignore_errors keeps a cut line as a row of NULLs.
				if err != nil || rows != int64(*benchRows) && rows != int64(*benchRows-bad) {
					b.Fatalf("bare read: %d rows (%v)", rows, err)
				}
				db.Close()
				b.StartTimer()
			}
			b.StopTimer()
			rows := float64(*benchRows) * float64(b.N)
			b.ReportMetric(rows/ingestTime.Seconds(), "ingest_rows/s")
			b.ReportMetric(rows/bareTime.Seconds(), "bare_rows/s")
			b.ReportMetric(ingestTime.Seconds()/bareTime.Seconds(), "ratio")
			// On a shared machine wall time also measures the neighbours;
			// the ratio of CPU time spent (all threads) does much less.
			b.ReportMetric(ingestCPU/bareCPU, "cpu_ratio")
		})
	}
}

func benchDB(b *testing.B, path string) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), path, store.Options{TempDir: filepath.Join(filepath.Dir(path), "tmp")})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// cpuSeconds is the CPU time this process has used, all threads.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
