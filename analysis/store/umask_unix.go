//go:build unix

package store

import (
	"os"
	"syscall"
)

// privateFiles makes every file this process creates from now on readable
// by its owner only, and tightens the write-ahead log already there. DuckDB
// creates the case database's write-ahead log (case.duckdb.wal) and its
// spill files itself, with the process's umask (0644 under the usual 022),
// and the log comes and goes with every checkpoint, so a chmod after Open
// cannot keep it private: the umask does. breachscope writes nothing that
// should be readable by others.
func privateFiles(dbPath string) error {
	old := syscall.Umask(0o077)
	syscall.Umask(old | 0o077)
	if err := os.Chmod(dbPath+".wal", 0o600); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}
