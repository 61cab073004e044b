package ingest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func collect(t *testing.T, content []byte) ([]string, lineStats) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	var got []string
	st, err := readLines(p, func(l line) error {
		got = append(got, fmt.Sprintf("%d@%d %q %s", l.Number, l.Offset, l.Text, l.Reason))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, st
}

func TestReadLines(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{"empty file", "", nil},
		{"one line no newline", "a", []string{`1@0 "a" `}},
		{"trailing newline is not a line", "a\nb\n", []string{`1@0 "a" `, `2@2 "b" `}},
		{"CRLF", "a\r\nb\r\n", []string{`1@0 "a" `, `2@3 "b" `}},
		{"BOM on first line", "\xef\xbb\xbfa\nb", []string{`1@0 "a" `, `2@5 "b" `}},
		{"blank lines count", "a\n\n  \nb", []string{`1@0 "a" `, `2@2 "" empty line`, `3@3 "  " empty line`, `4@6 "b" `}},
		{"invalid UTF-8", "a\n\xff\xfe\n", []string{`1@0 "a" `, `2@2 "\xff\xfe" invalid UTF-8`}},
		{"Latin-1 byte", "caf\xe9\n", []string{`1@0 "caf\xe9" invalid UTF-8`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, st := collect(t, []byte(tc.in))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if st.Lines != int64(len(tc.want)) {
				t.Errorf("lines %d", st.Lines)
			}
		})
	}
}

func TestReadLinesOverlong(t *testing.T) {
	in := "a\n" + strings.Repeat("x", 3*MaxLineBytes) + "\nb"
	got, _ := collect(t, []byte(in))
	want := []string{`1@0 "a" `, fmt.Sprintf(`2@2 "" line longer than %d bytes`, MaxLineBytes), fmt.Sprintf(`3@%d "b" `, 3+3*MaxLineBytes)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestReadLinesGzip(t *testing.T) {
	got, st := collect(t, gz(t, "a\nb\n"))
	if diff := cmp.Diff([]string{`1@0 "a" `, `2@2 "b" `}, got); diff != "" || st.Warning != "" {
		t.Errorf("(-want +got):\n%s warning %q", diff, st.Warning)
	}
}

func TestReadLinesTruncatedGzip(t *testing.T) {
	full := gz(t, strings.Repeat("line of text\n", 5000))
	got, st := collect(t, full[:len(full)/2])
	if st.Warning == "" {
		t.Error("a truncated gzip stream must be flagged")
	}
	if len(got) == 0 {
		t.Fatal("lines before the damage must be kept")
	}
	last := got[len(got)-1]
	if !strings.Contains(last, "truncated") && !strings.HasSuffix(last, `"line of text" `) {
		t.Errorf("last line: %s", last)
	}
}

// FuzzReadLines checks the accounting rule on arbitrary bytes: every byte
// belongs to exactly one line, lines are numbered 1..n, offsets advance,
// and the file's size and hash come out of the same reading.
func FuzzReadLines(f *testing.F) {
	for _, s := range []string{"", "a", "a\n", "\n\n", "a\r\nb", "\xef\xbb\xbf{}\n", "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, in, 0o600); err != nil {
			t.Fatal(err)
		}
		var n, lastOffset int64 = 0, -1
		st, err := readLines(p, func(l line) error {
			n++
			if l.Number != n || l.Offset <= lastOffset {
				t.Fatalf("line %d at %d after %d", l.Number, l.Offset, lastOffset)
			}
			lastOffset = l.Offset
			return nil
		})
		if len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b {
			return // gzip magic: arbitrary bytes are a corrupt stream
		}
		if err != nil {
			t.Fatal(err)
		}
		want := int64(bytes.Count(in, []byte("\n")))
		if len(in) > 0 && in[len(in)-1] != '\n' {
			want++
		}
		if st.Lines != want || n != want {
			t.Fatalf("lines %d (callbacks %d), want %d", st.Lines, n, want)
		}
		// Reading hashes the file as stored.
		if sum := sha256.Sum256(in); st.Size != int64(len(in)) || st.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("read as %d bytes %s, the file has %d", st.Size, st.SHA256, len(in))
		}
	})
}

// FuzzReadRecords checks the CloudTrail reader's accounting on arbitrary
// bytes: it never fails on a plain file, records are numbered 1..n, and
// offsets never go back.
func FuzzReadRecords(f *testing.F) {
	for _, s := range []string{"", `{"Records":[{"a":1},{"b":2}]}`, `{"eventTime":"x"}` + "\n" + `{"eventTime":"y"}`,
		`[{}, null, 1]`, `{"Records":[{"a":`, `{"Records":{}}`, "\xef\xbb\xbf{\"Records\":[]}", `{"x":1,"Records":[{}],"y":[2]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) >= 2 && in[0] == 0x1f && in[1] == 0x8b {
			return // gzip magic: arbitrary bytes are a corrupt stream
		}
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, in, 0o600); err != nil {
			t.Fatal(err)
		}
		var n, lastOffset int64 = 0, -1
		st, err := readRecords(p, func(l line) error {
			n++
			if l.Number != n || l.Offset < lastOffset || l.Offset > int64(len(in)) {
				t.Fatalf("record %d at %d after %d", l.Number, l.Offset, lastOffset)
			}
			if l.Reason == "" && !json.Valid(l.Text) {
				t.Fatalf("record %d is accepted by the reader but is no JSON", l.Number)
			}
			lastOffset = l.Offset
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.Lines != n {
			t.Fatalf("lines %d, callbacks %d", st.Lines, n)
		}
	})
}
