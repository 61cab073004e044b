package synth

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLogFormatsSameAnswer: the log format changes how requests are
// written, never which requests there are, so every format gives the same
// answer; each format's files are byte-identical from run to run, private
// (0600), and its case file declares the format.
func TestLogFormatsSameAnswer(t *testing.T) {
	_, want := generate(t, Options{Seed: 9, Customers: 60})
	for _, f := range LogFormats[1:] {
		t.Run(f, func(t *testing.T) {
			a, sum := generate(t, Options{Seed: 9, Customers: 60, LogFormat: f})
			if !reflect.DeepEqual(sum, want) {
				t.Errorf("answer differs from jsonl's:\n%+v\n%+v", sum, want)
			}
			b, _ := generate(t, Options{Seed: 9, Customers: 60, LogFormat: f})
			ta, tb := readTree(t, a), readTree(t, b)
			if len(ta) != len(tb) {
				t.Fatalf("%d files, then %d", len(ta), len(tb))
			}
			for name, content := range ta {
				if !bytes.Equal(content, tb[name]) {
					t.Errorf("%s differs between runs", name)
				}
			}
			if !strings.Contains(string(ta["case.yaml"]), "format: "+f) {
				t.Errorf("case.yaml does not declare format %s", f)
			}
			err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				info, err := os.Stat(p)
				if err == nil && info.Mode().Perm() != fileMode {
					t.Errorf("%s: mode %v", p, info.Mode().Perm())
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnknownLogFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "case")
	if _, err := Generate(context.Background(), dir, Options{Seed: 1, LogFormat: "syslog"}); err == nil || !strings.Contains(err.Error(), `unknown log format "syslog"`) {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("a failed synth left %s behind", dir)
	}
}
