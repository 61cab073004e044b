package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"
)

// MaxLineBytes is the longest log line accepted; longer lines are
// quarantined (without their content) rather than loaded.
const MaxLineBytes = 1 << 20

// line is one physical line of a log file.
type line struct {
	Number int64
	Offset int64 // byte offset in the (decompressed) stream
	Text   []byte
	Reason string // non-empty when the line is rejected before parsing
}

// lineStats counts what readLines saw.
type lineStats struct {
	Lines   int64
	Warning string
}

// readLines calls fn for every physical line of path, decompressing gzip by
// its magic bytes. A final line without a newline is a line; a trailing
// newline does not start another. The text passed to fn is only valid
// during the call.
func readLines(path string, fn func(line) error) (lineStats, error) {
	var st lineStats
	r, closeLog, err := openLog(path)
	if err != nil {
		return st, err
	}
	defer closeLog()
	lr := bufio.NewReaderSize(r, 1<<20)
	var offset int64
	for {
		chunk, err := lr.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// An over-long line: keep only its length, never its content.
			n := int64(len(chunk))
			for errors.Is(err, bufio.ErrBufferFull) {
				chunk, err = lr.ReadSlice('\n')
				n += int64(len(chunk))
			}
			st.Lines++
			if ferr := fn(line{Number: st.Lines, Offset: offset, Reason: fmt.Sprintf("line longer than %d bytes", MaxLineBytes)}); ferr != nil {
				return st, ferr
			}
			offset += n
			if err == io.EOF {
				return st, nil
			}
			if err != nil {
				return st, streamErr(&st, err)
			}
			continue
		}
		if len(chunk) > 0 {
			st.Lines++
			l := line{Number: st.Lines, Offset: offset, Text: trimEOL(chunk)}
			offset += int64(len(chunk))
			if st.Lines == 1 {
				l.Text = bytes.TrimPrefix(l.Text, []byte("\xef\xbb\xbf"))
			}
			switch {
			case err != nil && err != io.EOF:
				l.Reason = "truncated file (last line incomplete)"
			case len(bytes.TrimSpace(l.Text)) == 0:
				l.Reason = "empty line"
			case len(l.Text) > MaxLineBytes:
				l.Reason = fmt.Sprintf("line longer than %d bytes", MaxLineBytes)
			case !utf8.Valid(l.Text):
				l.Reason = "invalid UTF-8"
			}
			if ferr := fn(l); ferr != nil {
				return st, ferr
			}
		}
		if err == io.EOF {
			return st, nil
		}
		if err != nil {
			return st, streamErr(&st, err)
		}
	}
}

// openLog opens a log file for reading, decompressing gzip by its magic
// bytes whatever the file's name.
func openLog(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("open gzip: %w", err)
		}
		return gz, func() { gz.Close(); f.Close() }, nil
	}
	return br, func() { f.Close() }, nil
}

// streamErr turns a damaged compressed stream into a warning: the lines
// before the damage are real evidence and are kept, and the input is flagged.
func streamErr(st *lineStats, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
		st.Warning = fmt.Sprintf("compressed stream damaged after line %d: %v", st.Lines, err)
		return nil
	}
	return err
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
