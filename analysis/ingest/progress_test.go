package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/breachscope/breachscope/analysis/phases"
)

// progressLog keeps what an observer of the ingest is told.
type progressLog struct {
	totals   map[string]int64
	advances map[string][]int64
	current  string
}

func (p *progressLog) Started(name string, total int64, unit phases.Unit) {
	p.totals[name], p.current = total, name
}
func (p *progressLog) Advanced(done int64) {
	p.advances[p.current] = append(p.advances[p.current], done)
}
func (p *progressLog) Ended(phases.Record) {}

// The log ingest reports its progress in bytes of the stored files, rising
// to exactly their total: the sample's three files, one gzipped.
func TestIngestProgress(t *testing.T) {
	dir := filepath.Join("..", "..", "samples", "demo-case")
	c, db := openCase(t, dir)
	obs := &progressLog{totals: map[string]int64{}, advances: map[string][]int64{}}
	ctx := phases.WithRecorder(context.Background(), phases.NewRecorder(obs, nil))
	if _, err := Run(ctx, db, c); err != nil {
		t.Fatal(err)
	}
	var want int64
	matches, _ := filepath.Glob(filepath.Join(dir, "logs", "*"))
	for _, m := range matches {
		st, err := os.Stat(m)
		if err != nil {
			t.Fatal(err)
		}
		want += st.Size()
	}
	if got := obs.totals["ingest logs"]; got != want || want == 0 {
		t.Fatalf("ingest logs total %d bytes, want the %d bytes of the log files", got, want)
	}
	adv := obs.advances["ingest logs"]
	if len(adv) == 0 || adv[len(adv)-1] != want {
		t.Fatalf("progress %v, want it to end at %d", adv, want)
	}
	for k := 1; k < len(adv); k++ {
		if adv[k] < adv[k-1] {
			t.Fatalf("progress went back: %v", adv)
		}
	}
}
