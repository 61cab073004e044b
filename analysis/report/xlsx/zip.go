package xlsx

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// sortedZip is the excelize.ZipWriter used to make output deterministic.
//
// excelize writes streamed worksheets by ranging over a map, so with more
// than one sheet their order in the archive changes from run to run. Parts
// are therefore spooled (uncompressed, to a file in the caller's temp dir,
// since they hold personal data) and written out sorted by name on Close.
//
// It writes to dst, not to the buffer excelize hands it: File.WriteTo builds
// the whole archive in memory, which a million-row report should not.
type sortedZip struct {
	spool    *os.File
	buf      *bufio.Writer
	size     int64 // bytes written to the spool so far
	parts    []spooledPart
	dst      *os.File
	modified time.Time
}

type spooledPart struct {
	name      string
	off, size int64
}

func newSortedZip(spool, dst *os.File, modified time.Time) *sortedZip {
	// MS-DOS timestamps in zip headers only cover 1980 to 2107.
	lo := time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)
	hi := time.Date(2107, time.December, 31, 23, 59, 58, 0, time.UTC)
	if modified.Before(lo) {
		modified = lo
	} else if modified.After(hi) {
		modified = hi
	}
	return &sortedZip{spool: spool, buf: bufio.NewWriterSize(spool, 1<<16), dst: dst, modified: modified}
}

// Create starts a new part; its content is whatever is written until the
// next Create or Close, as with zip.Writer.
func (z *sortedZip) Create(name string) (io.Writer, error) {
	z.endPart()
	z.parts = append(z.parts, spooledPart{name: name, off: z.size})
	return partWriter{z}, nil
}

// AddFS is required by excelize.ZipWriter but never used by excelize when
// saving; refusing it keeps every part going through the spool.
func (z *sortedZip) AddFS(fs.FS) error {
	return errors.New("zip: AddFS not supported")
}

type partWriter struct{ z *sortedZip }

func (w partWriter) Write(p []byte) (int, error) {
	n, err := w.z.buf.Write(p)
	w.z.size += int64(n)
	return n, err
}

func (z *sortedZip) endPart() {
	if n := len(z.parts); n > 0 {
		z.parts[n-1].size = z.size - z.parts[n-1].off
	}
}

// Close writes the archive to dst with parts in name order, which also puts
// [Content_Types].xml first as most tools expect.
func (z *sortedZip) Close() error {
	z.endPart()
	if err := z.buf.Flush(); err != nil {
		return fmt.Errorf("spool workbook: %w", err)
	}
	slices.SortStableFunc(z.parts, func(a, b spooledPart) int { return strings.Compare(a.name, b.name) })
	for i := 1; i < len(z.parts); i++ {
		if z.parts[i].name == z.parts[i-1].name {
			return fmt.Errorf("zip: duplicate part %q", z.parts[i].name)
		}
	}
	cw := &countingWriter{w: z.dst}
	zw := zip.NewWriter(cw)
	// Fastest deflate: a large workbook spent more time compressing its
	// biggest sheet at the default level than writing it. Only the
	// archive's bytes change, never the parts inside it.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	var large []int64 // local header offsets of parts needing ZIP64
	for _, p := range z.parts {
		if p.size > math.MaxUint32 {
			if err := zw.Flush(); err != nil {
				return fmt.Errorf("write workbook: %w", err)
			}
			large = append(large, cw.n)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: z.modified})
		if err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
		if _, err := io.Copy(w, io.NewSectionReader(z.spool, p.off, p.size)); err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	// archive/zip marks only the central directory as ZIP64 (version 4.5);
	// Excel also checks the local header and calls the file corrupt, so patch
	// it as excelize's own writer does.
	for _, off := range large {
		var v [2]byte
		binary.LittleEndian.PutUint16(v[:], 45)
		if _, err := z.dst.WriteAt(v[:], off+4); err != nil {
			return fmt.Errorf("write workbook: %w", err)
		}
	}
	return nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
