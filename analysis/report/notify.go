package report

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/breachscope/breachscope/analysis/casefile"
	"github.com/breachscope/breachscope/analysis/store"
)

// Notification files inside a run directory.
const (
	NotifyDir      = "notify"
	EmailCSV       = "notify/email.csv"
	SubstituteCSV  = "notify/substitute.csv"
	NotifyManifest = "notify/manifest.csv"
)

// MailBatchName is the name of mail batch n (1-based).
func MailBatchName(n int) string { return fmt.Sprintf("notify/mail-%04d.csv", n) }

// writeNotify writes the mail batches, the email and substitute lists and
// notify/manifest.csv (file, rows, bytes, SHA-256 for the mail house), and
// returns them as outputs.
func writeNotify(ctx context.Context, db *store.DB, c *casefile.Case, dir string) ([]Output, error) {
	delim := c.Notice.CSV.Delimiter
	elements := struct{ Elements []casefile.Element }{c.Elements()}
	withElements := func(params map[string]any) map[string]any {
		for i, e := range elements.Elements {
			params[fmt.Sprintf("el_%d", i)] = e.Name
		}
		return params
	}
	if err := db.Script(ctx, "report_notify.sql", nil, map[string]any{"batch_size": c.Notice.MailBatchSize}); err != nil {
		return nil, fmt.Errorf("notification lists: %w", err)
	}
	batches, err := db.Int(ctx, "SELECT coalesce(max(batch), 0) FROM mail_rows")
	if err != nil {
		return nil, err
	}
	type file struct {
		rel  string
		rows string
	}
	var files []file
	for b := 1; b <= int(batches); b++ {
		rel := MailBatchName(b)
		params := map[string]any{"batch": b, "path": filepath.Join(dir, rel), "delim": delim}
		if err := db.Script(ctx, "report_mail_batch.sql", elements, withElements(params)); err != nil {
			return nil, fmt.Errorf("mail batch %d: %w", b, err)
		}
		files = append(files, file{rel, fmt.Sprintf("SELECT count(*) FROM mail_rows WHERE batch = %d", b)})
	}
	params := map[string]any{"email_path": filepath.Join(dir, EmailCSV), "substitute_path": filepath.Join(dir, SubstituteCSV), "delim": delim}
	if err := db.Script(ctx, "report_email_substitute.sql", elements, withElements(params)); err != nil {
		return nil, fmt.Errorf("email and substitute lists: %w", err)
	}
	files = append(files,
		file{EmailCSV, "SELECT count(*) FROM notice_rows WHERE email IS NOT NULL"},
		file{SubstituteCSV, "SELECT count(*) FROM notice_rows WHERE channel = 'substitute'"})
	var outs []Output
	for _, f := range files {
		if c.Notice.CSV.BOM {
			if err := prependBOM(filepath.Join(dir, f.rel)); err != nil {
				return nil, err
			}
		}
		rows, err := db.Int(ctx, f.rows)
		if err != nil {
			return nil, err
		}
		out, err := describeOutput(dir, f.rel, rows)
		if err != nil {
			return nil, err
		}
		outs = append(outs, out)
	}
	if err := writeNotifyManifest(filepath.Join(dir, NotifyManifest), outs); err != nil {
		return nil, err
	}
	m, err := describeOutput(dir, NotifyManifest, int64(len(outs)))
	if err != nil {
		return nil, err
	}
	return append(outs, m), nil
}

// writeNotifyManifest lists the notification files for the mail house, so
// it can check it received each file whole.
func writeNotifyManifest(path string, outs []Output) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "rows", "bytes", "sha256"})
	for _, o := range outs {
		w.Write([]string{filepath.Base(o.Path), strconv.FormatInt(o.Rows, 10), strconv.FormatInt(o.Size, 10), o.SHA256})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("notify manifest: %w", err)
	}
	return f.Close()
}
