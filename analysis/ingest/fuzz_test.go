package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// fuzzFormats are the formats FuzzParseLine drives, indexed by its first
// argument.
var fuzzFormats = []string{"jsonl", "csv", "tsv", "combined", "alb", "apigw", "cloudtrail"}

// FuzzParseLine runs each format's parser (the Go reader, then the
// format's SQL) on an arbitrary file: it must never fail, and every unit
// must end up accepted or quarantined, exactly once. The corpus is in
// testdata/fuzz/FuzzParseLine.
func FuzzParseLine(f *testing.F) {
	for k, format := range fuzzFormats {
		sf := sampleFormats[format]
		f.Add(uint8(k), sf.file([]string{sf.unit(1, "agent"), sf.unit(2, `a "quoted" \ agent`)}, "\n"))
		f.Add(uint8(k), []byte(sf.header+"\n"+sf.unit(3, "x")[:20]))
	}
	f.Add(uint8(3), []byte(`1.2.3.4 - - [25/Nov/2022:03:14:15 -0800] "GET /\" HTTP/1.1" 200 - "-" "\\"`))
	f.Add(uint8(4), []byte(`h2 x y 1:2 - 0 0 0 200 200 1 1 "- - - " "-" "" """`))
	f.Add(uint8(6), []byte(`[{"eventTime":1},null,"x",[],{"Records":{}}]{"Records":[{}]`))

	ctx := context.Background()
	db, err := store.Open(ctx, "", store.Options{TempDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	if err := db.Script(ctx, "schema.sql", struct{ Fields []string }{}, nil); err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, which uint8, content []byte) {
		if len(content) >= 2 && content[0] == 0x1f && content[1] == 0x8b {
			return // gzip magic: covered by the truncated-gzip tests
		}
		format := fuzzFormats[int(which)%len(fuzzFormats)]
		src := fuzzSource(format)
		path := filepath.Join(dir, "f.log")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"access", "rejects", "inputs"} {
			if err := db.Exec(ctx, "DELETE FROM "+table); err != nil {
				t.Fatal(err)
			}
		}
		c := &casefile.Case{Dir: dir, Logs: []casefile.LogSource{src}}
		in := &ingester{db: db, c: c}
		in.findLogFiles()
		if err := in.logs(ctx, src); err != nil {
			if errors.Is(err, ErrMissingColumn) {
				return // a header without the mapped columns stops the ingest, by design
			}
			t.Fatalf("%s: %v", format, err)
		}
		i := in.inputs[0]
		if i.Read != i.Accepted+i.Rejected {
			t.Fatalf("%s: read %d != accepted %d + rejected %d", format, i.Read, i.Accepted, i.Rejected)
		}
		dups, err := db.Int(ctx, `SELECT count(*) FROM (SELECT line FROM (SELECT line FROM access UNION ALL SELECT line FROM rejects)
			GROUP BY line HAVING count(*) > 1)`)
		if err != nil || dups != 0 {
			t.Fatalf("%s: a unit has two outcomes (%v)", format, err)
		}
	})
}

// fuzzSource is the log source the fuzzer's file is ingested as, mapped
// like sampleFormats' units.
func fuzzSource(format string) casefile.LogSource {
	src := casefile.LogSource{Name: "f", Path: "f.log", Format: format, Timezone: "UTC"}
	if spec := casefile.LogFormatSpecs[format]; spec.Locate != casefile.LocatePosition && spec.Defaults == nil {
		src.Fields = map[string]string{"time": "ts", "method": "m", "path": "p", "status": "s", "user_agent": "ua"}
	}
	return src
}
