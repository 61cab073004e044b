package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// readRecords calls fn for every CloudTrail record of path, decompressing
// gzip by its magic bytes. A CloudTrail file is accounted in records, not
// lines (S3 delivers one {"Records": [...]} document per file, often on one
// line): Number is the record's 1-based position in the file and Offset
// where it starts in the decompressed stream. Also read: several documents
// in a row, a top-level array of records, and single events one after
// another (JSON lines, as exported by CloudTrail Lake or EventBridge).
//
// Damage (bad JSON, a truncated or corrupt stream) ends the file: the
// records before it are kept, the damaged rest is one rejected unit, so
// that records read = accepted + rejected still holds, and the input gets
// a warning saying where the damage starts.
func readRecords(path string, fn func(line) error) (lineStats, error) {
	return readFile(path, scanRecords, fn)
}

// scanRecords splits a CloudTrail stream into records (see readRecords).
func scanRecords(r io.Reader, st *lineStats, fn func(line) error) error {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(2); len(b) == 2 && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff) {
		// UTF-16 is no JSON CloudTrail writes: the whole file is one unit.
		st.Warning = "the file starts with a UTF-16 byte order mark: not read; convert it to UTF-8 (for example iconv -f UTF-16 -t UTF-8) and ingest again"
		return (&recordReader{st: st, fn: fn}).emit(0, nil, utf16Reason)
	}
	// A byte order mark (a file saved by a Windows editor) is no JSON.
	var bom int64
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		bom = 3
	}
	rr := &recordReader{dec: json.NewDecoder(br), st: st, fn: fn, base: bom}
	err := rr.read()
	var damage *recordDamage
	if !errors.As(err, &damage) {
		return err
	}
	good := st.Lines
	if err := rr.emit(damage.at, nil, damage.reason); err != nil {
		return err
	}
	// The JSON error's text may quote the input: only its position is kept.
	st.Warning = fmt.Sprintf("%s at byte %d, after record %d; the rest of the file was not read", damage.reason, rr.base+damage.at, good)
	return nil
}

// Reasons the CloudTrail reader rejects a unit with (see unitReasons).
const (
	reasonBadJSONRest     = "invalid JSON (the rest of the file cannot be read)"
	reasonTruncatedRecord = "truncated file (last record incomplete)"
	reasonDamagedStream   = "damaged compressed stream (the rest of the file cannot be read)"
	reasonNotRecord       = "not a CloudTrail record (a JSON object)"
	reasonRecordsNotList  = `"Records" is not a list of records`
)

// reasonLongRecord is the reason of a record longer than MaxLineBytes.
var reasonLongRecord = fmt.Sprintf("record longer than %d bytes", MaxLineBytes)

// recordDamage is where and why a file stopped being readable.
type recordDamage struct {
	at     int64
	reason string
	err    error
}

func (d *recordDamage) Error() string { return d.reason }

type recordReader struct {
	dec  *json.Decoder
	base int64 // bytes before the decoder's input (a byte order mark)
	st   *lineStats
	fn   func(line) error
}

func (rr *recordReader) emit(offset int64, raw []byte, reason string) error {
	rr.st.Lines++
	l := line{Number: rr.st.Lines, Offset: rr.base + offset, Text: raw, Reason: reason}
	if reason == "" {
		switch {
		case len(raw) > MaxLineBytes:
			l.Reason = reasonLongRecord
		case !utf8.Valid(raw):
			l.Reason = reasonInvalidUTF8
		}
	}
	return rr.fn(l)
}

// damaged classifies a decoding error at the decoder's position: bad JSON
// and a damaged stream are damage; any other error (a failing disk) is
// returned as it is.
func (rr *recordReader) damaged(err error) error {
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return &recordDamage{at: syn.Offset, reason: reasonBadJSONRest, err: err}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return &recordDamage{at: rr.dec.InputOffset(), reason: reasonTruncatedRecord, err: io.ErrUnexpectedEOF}
	case errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader):
		return &recordDamage{at: rr.dec.InputOffset(), reason: reasonDamagedStream, err: err}
	}
	return err
}

// read walks the top-level values of the stream.
func (rr *recordReader) read() error {
	for {
		before := rr.dec.InputOffset()
		tok, err := rr.dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return rr.damaged(err)
		}
		switch tok {
		case json.Delim('{'):
			err = rr.object(rr.dec.InputOffset() - 1)
		case json.Delim('['):
			err = rr.array()
		default:
			// A bare scalar is no record; it is quarantined (from where the
			// previous value ended) and reading goes on.
			err = rr.emit(before, nil, reasonNotRecord)
		}
		if err != nil {
			return err
		}
	}
}

// object reads a top-level object whose opening brace is consumed: a
// document holding Records, or else a record itself.
func (rr *recordReader) object(start int64) error {
	var members bytes.Buffer
	records := false
	for rr.dec.More() {
		tok, err := rr.dec.Token()
		if err != nil {
			return rr.damaged(err)
		}
		key, _ := tok.(string)
		if key == "Records" && !records {
			tok, err := rr.dec.Token()
			if err != nil {
				return rr.damaged(err)
			}
			if tok != json.Delim('[') {
				return &recordDamage{at: rr.dec.InputOffset(), reason: reasonRecordsNotList}
			}
			records = true
			if err := rr.array(); err != nil {
				return err
			}
			continue
		}
		var raw json.RawMessage
		if err := rr.dec.Decode(&raw); err != nil {
			return rr.damaged(err)
		}
		if members.Len() > 0 {
			members.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		members.Write(k)
		members.WriteByte(':')
		members.Write(raw)
	}
	if _, err := rr.dec.Token(); err != nil { // the closing brace
		return rr.damaged(err)
	}
	if records {
		return nil
	}
	// A single event: its members re-joined (insignificant whitespace gone).
	return rr.emit(start, append(append([]byte{'{'}, members.Bytes()...), '}'), "")
}

// array reads records up to and including the closing bracket, whose
// opening bracket is consumed.
func (rr *recordReader) array() error {
	for rr.dec.More() {
		var raw json.RawMessage
		if err := rr.dec.Decode(&raw); err != nil {
			return rr.damaged(err)
		}
		raw = bytes.TrimSpace(raw)
		if err := rr.emit(rr.dec.InputOffset()-int64(len(raw)), raw, ""); err != nil {
			return err
		}
	}
	if _, err := rr.dec.Token(); err != nil {
		return rr.damaged(err)
	}
	return nil
}
