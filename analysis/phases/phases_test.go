package phases

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

type events struct{ log []string }

func (e *events) Started(name string, total int64, unit Unit) {
	e.log = append(e.log, "start "+name)
}
func (e *events) Advanced(done int64) { e.log = append(e.log, "advance") }
func (e *events) Ended(r Record)      { e.log = append(e.log, "end "+r.Phase) }

// fakeClock advances a second on every reading.
func fakeClock() func() time.Time {
	t := time.Unix(0, 0)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func TestRecorder(t *testing.T) {
	ev := &events{}
	rec := NewRecorder(ev, fakeClock())
	ctx := WithRecorder(context.Background(), rec)
	p := Start(ctx, "ingest logs")
	p.Add(10)
	p.Add(5)
	p.End()
	p.End() // a second End records nothing
	Start(ctx, "report").End()

	got := rec.Records()
	if len(got) != 2 || got[0].Phase != "ingest logs" || got[1].Phase != "report" {
		t.Fatalf("records %+v", got)
	}
	if got[0].Seconds != 1 {
		t.Errorf("seconds %v, want 1 (one tick of the fake clock)", got[0].Seconds)
	}
	if runtime.GOOS == "linux" && got[0].PeakRSSBytes <= 0 {
		t.Errorf("peak RSS %d on linux, want > 0", got[0].PeakRSSBytes)
	}
	want := []string{"start ingest logs", "advance", "advance", "end ingest logs", "start report", "end report"}
	if len(ev.log) != len(want) {
		t.Fatalf("events %q, want %q", ev.log, want)
	}
	for i := range want {
		if ev.log[i] != want[i] {
			t.Errorf("event %d %q, want %q", i, ev.log[i], want[i])
		}
	}
}

// Without a Recorder in the context, phases are free and record nothing.
func TestNoRecorder(t *testing.T) {
	p := Start(context.Background(), "x")
	p.Add(1)
	p.End()
	if FromContext(context.Background()) != nil {
		t.Fatal("a plain context carries no recorder")
	}
}

// The peak of a phase is its own: memory held in an earlier phase and
// released does not count against a later one.
func TestPeakIsPerPhase(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("peak memory per phase needs /proc (linux)")
	}
	rec := NewRecorder(nil, nil)
	ctx := WithRecorder(context.Background(), rec)
	p := Start(ctx, "big")
	buf := make([]byte, 256<<20)
	for i := range buf {
		buf[i] = 1
	}
	p.End()
	buf = nil
	runtime.GC()
	debug.FreeOSMemory()
	q := Start(ctx, "small")
	q.End()
	r := rec.Records()
	if r[0].PeakRSSBytes < 256<<20 {
		t.Fatalf("big phase peak %d, want >= 256 MiB", r[0].PeakRSSBytes)
	}
	if r[1].PeakRSSBytes >= r[0].PeakRSSBytes-128<<20 {
		t.Errorf("small phase peak %d not below the big phase's %d: the peak was not reset", r[1].PeakRSSBytes, r[0].PeakRSSBytes)
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 30: "5.0 GiB", 1<<20 - 1: "1024.0 KiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// A statement is filed under the phase it ran in, or none between phases;
// Slowest lists the slowest first.
func TestStatementsByPhase(t *testing.T) {
	rec := NewRecorder(nil, nil)
	ctx := WithRecorder(context.Background(), rec)
	p := Start(ctx, "scope and resolve")
	Statement(ctx, "resolve.sql", "-- why\nCREATE TABLE x AS\n  SELECT 1", time.Second)
	Statement(ctx, "expose.sql", "SELECT 2", 3*time.Second)
	p.End()
	Statement(ctx, "meta.sql", "SELECT 3", 2*time.Second)
	got := rec.Slowest(2)
	if len(got) != 2 || got[0].File != "expose.sql" || got[0].Phase != "scope and resolve" || got[1].File != "meta.sql" || got[1].Phase != "" {
		t.Fatalf("slowest %+v", got)
	}
	if all := rec.Slowest(10); len(all) != 3 || all[2].Start != "CREATE TABLE x AS SELECT 1" {
		t.Errorf("statements %+v", all)
	}
}
