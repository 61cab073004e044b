package cli

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/breachscope/breachscope/analysis/report"
)

// postgresBin finds Debian's PostgreSQL server binaries.
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// TestMailFileLoadsIntoPostgres loads a mail batch into PostgreSQL with COPY,
// as a mailing system would, and gets the same rows and values back.
func TestMailFileLoadsIntoPostgres(t *testing.T) {
	bin := postgresBin()
	needTool(t, "PostgreSQL", "apt-get install postgresql", bin != "" && haveCmd("psql"))
	run, _ := clientRun(t)
	mail := filepath.Join(run, report.MailBatchName(1))
	rows := readCSV(t, mail)

	// A throwaway cluster listening only on a Unix socket in a temp dir.
	// PostgreSQL refuses to run as root, so as root it runs as "postgres".
	dir, err := os.MkdirTemp("", "bs-pg-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	asUser := func(name string, args ...string) *exec.Cmd { return exec.Command(name, args...) }
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("running as root without a postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		asUser = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := asUser(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := "54329"
	start := asUser(filepath.Join(bin, "pg_ctl"), "-D", data, "-w", "-l", filepath.Join(dir, "log"),
		"-o", fmt.Sprintf("-k %s -p %s -c listen_addresses=''", dir, port), "start")
	if out, err := start.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	defer asUser(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").Run()

	psql := func(sql string) string {
		t.Helper()
		out, err := exec.Command("psql", "-h", dir, "-p", port, "-U", "postgres", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql).CombinedOutput()
		if err != nil {
			t.Fatalf("psql %q: %v\n%s", sql, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	cols := make([]string, len(rows[0]))
	for i, c := range rows[0] {
		cols[i] = fmt.Sprintf("%q text", c)
	}
	psql("CREATE TABLE mail (" + strings.Join(cols, ", ") + ")")
	psql(fmt.Sprintf(`\copy mail FROM '%s' WITH (FORMAT csv, HEADER true)`, mail))
	if got := psql("SELECT count(*) FROM mail"); got != fmt.Sprint(len(rows)-1) {
		t.Fatalf("PostgreSQL has %s rows, the file %d", got, len(rows)-1)
	}
	// The same digest of every value, computed by PostgreSQL and from the file.
	got := psql(`SELECT md5(string_agg(concat_ws('|', ` + quotedCols(rows[0]) + `), E'\n' ORDER BY reference_code)) FROM mail`)
	sorted := append([][]string(nil), rows[1:]...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i][0] < sorted[j][0] })
	var lines []string
	for _, r := range sorted {
		var nonEmpty []string
		for _, v := range r {
			if v != "" { // concat_ws skips NULLs, which COPY makes of empty fields
				nonEmpty = append(nonEmpty, v)
			}
		}
		lines = append(lines, strings.Join(nonEmpty, "|"))
	}
	sum := md5.Sum([]byte(strings.Join(lines, "\n")))
	if want := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("values differ after COPY: PostgreSQL %s, file %s", got, want)
	}
}

func quotedCols(cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = fmt.Sprintf("%q", c)
	}
	return strings.Join(q, ", ")
}
