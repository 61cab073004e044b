package phases

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// peakRSS reads the process's resident-memory high-water mark (VmHWM) from
// /proc, in bytes; 0 where /proc is not there (not Linux).
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS sets the high-water mark back to the current resident size
// (Linux's clear_refs "5"), so the next peakRSS is the peak since now. It
// is best effort: where it cannot, a phase reports the process's peak so far.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}
