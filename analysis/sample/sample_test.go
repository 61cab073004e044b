package sample

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func TestHead(t *testing.T) {
	text := []byte("\xef\xbb\xbfa,b\r\n1,2\n\n3,4")
	for _, tc := range []struct {
		name string
		data []byte
	}{{"plain.csv", text}, {"renamed.csv", gz(text)}} {
		p := write(t, tc.name, tc.data)
		got, err := Head(p, 0)
		if err != nil || strings.Join(got, "|") != "a,b|1,2||3,4" {
			t.Errorf("%s: %q %v", tc.name, got, err)
		}
		got, _ = Head(p, 2)
		if strings.Join(got, "|") != "a,b|1,2" {
			t.Errorf("%s first two: %q", tc.name, got)
		}
	}
	// A damaged stream still yields the lines before the damage.
	z := gz([]byte(strings.Repeat("line\n", 10000)))
	got, err := Head(write(t, "cut.gz", z[:len(z)/2]), 0)
	if err != nil || len(got) == 0 {
		t.Errorf("damaged gzip: %d lines, %v", len(got), err)
	}
	long := strings.Repeat("x", MaxLine+10)
	got, _ = Head(write(t, "long", []byte(long+"\nnext\n")), 0)
	if len(got) != 2 || len(got[0]) != MaxLine || got[1] != "next" {
		t.Errorf("long line: %d lines", len(got))
	}
}

func TestSpread(t *testing.T) {
	var b strings.Builder
	b.WriteString("header\n")
	for i := 0; b.Len() < wholeFileBytes*2; i++ {
		fmt.Fprintf(&b, "line %08d %s\n", i, strings.Repeat("y", 40))
	}
	p := write(t, "big.log", []byte(b.String()))
	got, err := Spread(p, 800, 8, true)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != "header" || len(got) != 801 {
		t.Fatalf("%d lines, first %q", len(got), got[0])
	}
	last := got[len(got)-1]
	for _, l := range got[1:] {
		if !strings.HasPrefix(l, "line ") || len(l) != len(last) {
			t.Fatalf("partial or foreign line %q", l)
		}
	}
	if last < "line 00100000" {
		t.Errorf("the sample does not reach the end of the file: last %q", last[:13])
	}
	small := write(t, "small.log", []byte("a\nb\nc\n"))
	if got, _ := Spread(small, 800, 8, true); strings.Join(got, "") != "abc" {
		t.Errorf("small file: %q", got)
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]Kind{"PAR1xxxx": Parquet, "a,b\n": Text, string(gz([]byte("x"))): Gzip, "": Text} {
		k, err := Detect(write(t, "f", []byte(name)))
		if err != nil || k != want {
			t.Errorf("%q: %v %v", name, k, err)
		}
	}
	if _, err := Detect(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestSanitize(t *testing.T) {
	err := errors.New("Invalid Input Error: CSV Error on Line: 3\nOriginal Line: Jane,Doe,555-0100\nPossible fixes: ...")
	if got := Sanitize(err).Error(); strings.Contains(got, "Jane") || !strings.Contains(got, "Line: 3") {
		t.Errorf("got %q", got)
	}
}
