package store

import (
	"context"
	"testing"
)

func TestMemoryLimitBytes(t *testing.T) {
	for in, want := range map[string]int64{
		"8GB": 8e9, "4GB": 4e9, "512MB": 512e6, "1.5GB": 1.5e9, "64 MB": 64e6, "100KB": 1e5, "10B": 10, "1TB": 1e12,
		"6GiB": 6 << 30, "512MiB": 512 << 20, "2KiB": 2048, "1TiB": 1 << 40,
	} {
		if got, ok := memoryLimitBytes(in); !ok || got != want {
			t.Errorf("memoryLimitBytes(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	// DuckDB 1.4 refuses percentages, lower-case units and bare numbers.
	for _, bad := range []string{"", "80%", "4gb", "4", "GB", "4 G", "-1GB", "1e9B", "4GB; DROP TABLE x"} {
		if _, ok := DuckDBMemoryLimit(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestDuckDBShareOfMemoryLimit: DuckDB is given 85% of the limit, in
// DuckDB's own reading of the units (query's read-only connection is
// checked in its package).
func TestDuckDBShareOfMemoryLimit(t *testing.T) {
	ctx := context.Background()
	for limit, want := range map[string]string{"8GB": "6.3 GiB", "4GB": "3.1 GiB", "1GiB": "870.3 MiB"} {
		db, err := Open(ctx, "", Options{MemoryLimit: limit, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := db.QueryRow(ctx, "SELECT current_setting('memory_limit')").Scan(&got); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if got != want {
			t.Errorf("--memory-limit %s: DuckDB's memory_limit is %s, want %s", limit, got, want)
		}
	}
}
