package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
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

// lineStats counts what a unit reader saw in one file, and hashes it.
type lineStats struct {
	Lines   int64
	Warning string
	// Size and SHA256 are of the file as stored (compressed when gzip):
	// reading a file hashes it, so an input is read once, not twice.
	Size   int64
	SHA256 string
}

// Reasons the line reader rejects a line with (see unitReasons).
const (
	reasonEmptyLine     = "empty line"
	reasonInvalidUTF8   = "invalid UTF-8"
	reasonTruncatedLine = "truncated file (last line incomplete)"
	// utf16Reason quarantines every line of a file that starts with a
	// UTF-16 byte order mark: its lines are not text breachscope can read,
	// and saying why once per line beats a file of "invalid JSON".
	utf16Reason = "file looks like UTF-16 (convert it to UTF-8)"
)

// reasonLongLine is the reason of a line longer than MaxLineBytes.
var reasonLongLine = fmt.Sprintf("line longer than %d bytes", MaxLineBytes)

// readLines calls fn for every physical line of path, decompressing gzip by
// its magic bytes. A final line without a newline is a line; a trailing
// newline does not start another. The text passed to fn is only valid
// during the call.
func readLines(path string, fn func(line) error) (lineStats, error) {
	return readFile(path, scanLines, fn)
}

// readFile opens path (see openLog), splits its content into units with
// scan and returns what scan counted, with the file's size and hash.
func readFile(path string, scan func(io.Reader, *lineStats, func(line) error) error, fn func(line) error) (lineStats, error) {
	var st lineStats
	lf, err := openLog(path)
	if err != nil {
		return st, err
	}
	defer lf.close()
	if err := scan(lf, &st, fn); err != nil {
		return st, err
	}
	st.Size, st.SHA256, err = lf.finish()
	return st, err
}

// scanLines splits a log stream into lines (see readLines).
func scanLines(r io.Reader, st *lineStats, fn func(line) error) error {
	lr := bufio.NewReaderSize(r, 1<<20)
	utf16 := false
	if bom, _ := lr.Peek(2); len(bom) == 2 && (bom[0] == 0xff && bom[1] == 0xfe || bom[0] == 0xfe && bom[1] == 0xff) {
		utf16 = true
		st.Warning = "the file starts with a UTF-16 byte order mark: every line quarantined; convert it to UTF-8 (for example iconv -f UTF-16 -t UTF-8) and ingest again"
	}
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
			if ferr := fn(line{Number: st.Lines, Offset: offset, Reason: reasonLongLine}); ferr != nil {
				return ferr
			}
			offset += n
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return streamErr(st, err)
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
			case utf16:
				l.Reason = utf16Reason
			case err != nil && err != io.EOF:
				l.Reason = reasonTruncatedLine
			case len(bytes.TrimSpace(l.Text)) == 0:
				l.Reason = reasonEmptyLine
			case len(l.Text) > MaxLineBytes:
				l.Reason = reasonLongLine
			case !utf8.Valid(l.Text):
				l.Reason = reasonInvalidUTF8
			}
			if ferr := fn(l); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return streamErr(st, err)
		}
	}
}

// logFile is an open log file: Read yields its content, decompressed
// when it is gzip (detected by its magic bytes, whatever the file's name),
// while every byte of the file as stored passes through a SHA-256 hash.
type logFile struct {
	io.Reader
	f   *os.File
	raw *hashingReader
	gz  *gzip.Reader
}

// hashingReader hashes and counts what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

// openLog opens a log file for reading (see logFile).
func openLog(path string) (*logFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	raw := &hashingReader{r: f, h: sha256.New()}
	br := bufio.NewReaderSize(raw, 1<<16)
	lf := &logFile{Reader: br, f: f, raw: raw}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("open gzip: %w", err)
		}
		lf.Reader, lf.gz = gz, gz
	}
	return lf, nil
}

// finish reads what the decompressor left (bytes after a damaged stream
// count too) and returns the file's size and hex SHA-256.
func (lf *logFile) finish() (int64, string, error) {
	if _, err := io.Copy(io.Discard, lf.raw); err != nil {
		return 0, "", fmt.Errorf("read: %w", err)
	}
	return lf.raw.n, hex.EncodeToString(lf.raw.h.Sum(nil)), nil
}

func (lf *logFile) close() {
	if lf.gz != nil {
		lf.gz.Close()
	}
	lf.f.Close()
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
