// Package sample reads small samples of input files: the first lines of a
// file, or lines spread across it. init sniffs inputs from samples and
// check parses a sample of each log source before the long run. Files are
// decompressed by their gzip magic bytes, as ingest does, so a renamed .gz
// file is still read.
package sample

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxLine is the longest line a sample keeps; longer lines are cut, since a
// sample is for sniffing and parse rates, never evidence.
const MaxLine = 1 << 20

// Kind is what a file's first bytes say it is.
type Kind int

// The kinds Detect tells apart.
const (
	Text    Kind = iota // plain text (CSV, JSON lines, log lines)
	Gzip                // gzip-compressed text
	Parquet             // an Apache Parquet file
)

// Detect reports a file's kind from its magic bytes.
func Detect(path string) (Kind, error) {
	f, err := os.Open(path)
	if err != nil {
		return Text, err
	}
	defer f.Close()
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	switch {
	case n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		return Gzip, nil
	case n == 4 && string(magic[:]) == "PAR1":
		return Parquet, nil
	}
	return Text, nil
}

// Open opens path for reading, decompressing gzip by its magic bytes.
func Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: open gzip: %w", path, err)
		}
		return readCloser{gz, func() error { return errors.Join(gz.Close(), f.Close()) }}, nil
	}
	return readCloser{br, f.Close}, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

// Close closes the decompressor (if any) and the file.
func (r readCloser) Close() error { return r.close() }

// Head returns up to n lines from the start of path (all lines when n <= 0),
// without line terminators and with a leading UTF-8 byte-order mark removed.
// A damaged compressed stream ends the sample instead of failing it.
func Head(path string, n int) ([]string, error) {
	r, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	lines, err := readLines(r, n, true)
	if err != nil {
		return lines, fmt.Errorf("%s: %w", path, err)
	}
	return lines, nil
}

// readLines reads up to n lines (all when n <= 0). atStart says whether r
// starts at the beginning of the file; when it does not, the partial line
// it starts in is dropped.
func readLines(r io.Reader, n int, atStart bool) ([]string, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var out []string
	if !atStart {
		if _, err := readLine(br); err != nil {
			return nil, endErr(err)
		}
	}
	for n <= 0 || len(out) < n {
		l, err := readLine(br)
		if err == nil || len(l) > 0 {
			if atStart && len(out) == 0 {
				l = bytes.TrimPrefix(l, []byte("\xef\xbb\xbf"))
			}
			out = append(out, string(l))
		}
		if err != nil {
			return out, endErr(err)
		}
	}
	return out, nil
}

// endErr is nil for the end of a file, including a damaged compressed
// stream (the lines before the damage are a fine sample).
func endErr(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) {
		return nil
	}
	return err
}

// readLine returns the next line without its terminator, cut at MaxLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line) < MaxLine {
			line = append(line, chunk[:min(len(chunk), MaxLine-len(line))]...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == nil {
			line = bytes.TrimSuffix(line, []byte("\n"))
			return bytes.TrimSuffix(line, []byte("\r")), nil
		}
		return line, err
	}
}

// Spread returns about n lines of path taken in chunks from evenly spaced
// places, so a sample of a large log covers its whole time range and not
// only its first minutes. With keepHeader the file's first line (a CSV
// header) is always the first line returned. Compressed files cannot be
// entered in the middle: for them, and for files small enough to read
// whole, the sample is the first n lines.
func Spread(path string, n, chunks int, keepHeader bool) ([]string, error) {
	kind, err := Detect(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if kind != Text || chunks <= 1 || st.Size() <= wholeFileBytes {
		return Head(path, n)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	if keepHeader {
		h, err := readLines(f, 1, true)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, h...)
	}
	per := max(1, n/chunks)
	for c := 0; c < chunks; c++ {
		off := st.Size() * int64(c) / int64(chunks)
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			return nil, err
		}
		lines, err := readLines(f, per+1, off == 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if off == 0 && keepHeader && len(lines) > 0 {
			lines = lines[1:]
		}
		out = append(out, lines[:min(per, len(lines))]...)
	}
	return out, nil
}

// wholeFileBytes is the size up to which Spread reads a file from its start:
// small files are sampled whole (up to n lines), with no chunk overlap.
const wholeFileBytes = 4 << 20

// Sanitize drops the parts of a DuckDB error that quote file content,
// which may be PII, keeping the message that says what went wrong.
func Sanitize(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, marker := range []string{"Original Line", "\n  file = ", "Possible fixes:", "The search space used", "\nLINE 1:"} {
		if i := strings.Index(msg, marker); i >= 0 {
			msg = strings.TrimSpace(msg[:i])
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// TableFunction returns the DuckDB table function (with its bound
// arguments) that reads a customer file the way ingest does: CSV and TSV
// with a header and every column as text, so leading zeros survive.
// Compressed files are recognised by content, not by name.
func TableFunction(format, path string) (string, []any) {
	compression := "none"
	if k, _ := Detect(path); k == Gzip {
		compression = "gzip"
	}
	switch format {
	case "parquet":
		return "read_parquet(?)", []any{path}
	case "jsonl":
		return "read_json(?, format = 'newline_delimited', compression = ?)", []any{path, compression}
	case "tsv":
		return "read_csv(?, header = true, all_varchar = true, delim = '\t', compression = ?)", []any{path, compression}
	}
	return "read_csv(?, header = true, all_varchar = true, delim = ',', compression = ?)", []any{path, compression}
}
