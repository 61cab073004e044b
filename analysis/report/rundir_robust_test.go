package report

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckSpace(t *testing.T) {
	dir := t.TempDir()
	real := freeBytes
	t.Cleanup(func() { freeBytes = real })
	for _, tc := range []struct {
		name       string
		free, need int64
		statErr    error
		want       string // "" for no error
	}{
		{"room", 10 << 20, 5 << 20, nil, ""},
		{"exactly enough", 5 << 20, 5 << 20, nil, ""},
		{"too little", 3 << 20, 5 << 20, nil, "has 3.0 MiB free and a report may need up to 5.0 MiB"},
		{"tiny", 100, 5 << 30, nil, "has 100 B free and a report may need up to 5.0 GiB"},
		{"cannot measure", 0, 5 << 20, errors.New("statfs: not supported"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			freeBytes = func(string) (int64, error) { return tc.free, tc.statErr }
			err := CheckSpace(dir, tc.need)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrNoSpace) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "free some space") {
				t.Fatalf("got %v, want ErrNoSpace with %q", err, tc.want)
			}
		})
	}
}

func TestFreeBytesMeasures(t *testing.T) {
	n, err := freeBytes(t.TempDir())
	if err != nil || n <= 0 {
		t.Fatalf("free bytes of the temp dir: %d, %v", n, err)
	}
}
