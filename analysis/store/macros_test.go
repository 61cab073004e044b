package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestNormalisers pins the identifier normalisation rules: both sides of
// the join go through them, so a change here changes who was exposed.
func TestNormalisers(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		norm, in, cc string
		zeros        bool
		want         any // nil for NULL
	}{
		{"phone", "(555) 201-0001", "1", false, "+15552010001"},
		{"phone", "555.201.0001", "1", false, "+15552010001"},
		{"phone", "+1 555 201 0001", "1", false, "+15552010001"},
		{"phone", "15552010001", "1", false, "+15552010001"},
		{"phone", "+44 20 7946 0000", "1", false, "+442079460000"},
		{"phone", "011 44 20 7946 0000", "1", false, "+442079460000"},
		{"phone", "0044 20 7946 0000", "44", false, "+442079460000"},
		{"phone", "555-201-0001 x123", "1", false, "+15552010001"},
		{"phone", "1-800-FLOWERS", "1", false, "+18003569377"},
		{"phone", "%2B15552010001", "1", false, nil},
		{"phone", "not a number", "1", false, nil},
		{"phone", "020 7946 0000", "44", false, "+442079460000"},
		{"phone", "  ", "1", false, nil},
		{"email", "  John.Smith@Example.COM ", "", false, "john.smith@example.com"},
		{"email", "", "", false, nil},
		{"account_number", "0001234", "", true, "1234"},
		{"account_number", "0001234", "", false, "0001234"},
		{"account_number", "000-12 34", "", true, "1234"},
		{"account_number", "0000", "", true, "0"},
		{"account_number", "ab-0012", "", true, "AB0012"},
		{"digits", "a1b2c3", "", false, "123"},
		{"digits", "abc", "", false, nil},
		{"text", "  x y ", "", false, "x y"},
		{"lower", " AbC ", "", false, "abc"},
	} {
		var got sql.NullString
		if err := db.QueryRow(ctx, "SELECT bs_normalize(?, ?, ?, ?)", tc.norm, tc.in, tc.cc, tc.zeros).Scan(&got); err != nil {
			t.Fatal(err)
		}
		var gotV any
		if got.Valid {
			gotV = got.String
		}
		if gotV != tc.want {
			t.Errorf("%s(%q, cc=%s, zeros=%v) = %v, want %v", tc.norm, tc.in, tc.cc, tc.zeros, gotV, tc.want)
		}
	}
}

func TestCellNeutralisesFormulas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1555": "'+1555", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "\rx": "'\rx", "\nx": "'\nx", "plain": "plain", "a=b": "a=b",
	} {
		var got string
		if err := db.QueryRow(ctx, "SELECT bs_cell(?)", in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("bs_cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBadMemoryLimit(t *testing.T) {
	_, err := Open(context.Background(), "", Options{MemoryLimit: "lots"})
	if err == nil {
		t.Fatal("accepted a bad memory limit")
	}
}

func TestScriptBindsOnlyUsedParams(t *testing.T) {
	if _, err := bind("SELECT $a -- $b is only in a comment", map[string]any{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := bind("SELECT $a, $c", map[string]any{"a": 1}); err == nil {
		t.Fatal("unbound parameter not reported")
	}
}

// TestPhoneFastPathAgreesWithLibrary checks that the SQL shortcut for North
// American numbers gives exactly what libphonenumber gives, over the shapes
// analysts meet.
func TestPhoneFastPathAgreesWithLibrary(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shapes := []string{"%s%s%s", "(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "%s %s %s", "1%s%s%s", "1-%s-%s-%s",
		"+1%s%s%s", "+1 %s %s %s", "+1 (%s) %s-%s", " %s.%s.%s ", "1 (%s) %s %s"}
	for i := 0; i < 200; i++ {
		area := fmt.Sprintf("%03d", 201+i*3)
		ex := fmt.Sprintf("%03d", 200+i)
		line := fmt.Sprintf("%04d", i*37%10000)
		for _, shape := range shapes {
			in := fmt.Sprintf(shape, area, ex, line)
			want, ok := PhoneE164(in, "1")
			var got sql.NullString
			if err := db.QueryRow(ctx, "SELECT bs_norm_phone(?, '1')", in).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got.Valid != ok || got.String != want {
				t.Fatalf("%q: SQL %q, library %q", in, got.String, want)
			}
		}
	}
}

// FuzzPhone checks that SQL normalisation equals libphonenumber's for any
// text: the fast path may only ever be a shortcut, never a different rule.
func FuzzPhone(f *testing.F) {
	for _, s := range []string{"(555) 201-0001", "+1 555 201 0001", "15552010001", "+44 20 7946 0000", "x", "555-201-0001 x9"} {
		f.Add(s)
	}
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) || strings.ContainsRune(in, 0) {
			return
		}
		var got sql.NullString
		if err := db.QueryRow(ctx, "SELECT bs_norm_phone(?, '1')", in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		want, ok := PhoneE164(strings.Trim(in, " \t\r\n"), "1")
		if got.Valid != ok || got.String != want {
			t.Fatalf("%q: SQL %q (%v), library %q (%v)", in, got.String, got.Valid, want, ok)
		}
	})
}

func TestParseDate(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct{ in, order, want string }{
		{"1987-03-14", "mdy", "1987-03-14"},
		{"1987-3-4", "mdy", "1987-03-04"},
		{"19870314", "mdy", "1987-03-14"},
		{"03/14/1987", "mdy", "1987-03-14"},
		{"3/4/1987", "mdy", "1987-03-04"},
		{"14/03/1987", "dmy", "1987-03-14"},
		{"14/03/1987", "mdy", ""},
		{"14.03.1987", "mdy", "1987-03-14"},
		{" 1987-03-14T00:00:00Z ", "mdy", "1987-03-14"},
		{"1987-02-30", "mdy", ""},
		{"March 14, 1987", "mdy", ""},
		{"", "mdy", ""},
	} {
		var got sql.NullString
		if err := db.QueryRow(ctx, "SELECT strftime(bs_parse_date(?, ?), '%Y-%m-%d')", tc.in, tc.order).Scan(&got); err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got.String != tc.want {
			t.Errorf("bs_parse_date(%q, %s) = %q, want %q", tc.in, tc.order, got.String, tc.want)
		}
	}
}

func TestMasks(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for q, want := range map[string]string{
		"SELECT bs_mask_words('Jane Smith')":             "J*** S****",
		"SELECT bs_mask_words('Al O''Brien-Jones')":      "A*** O************",
		"SELECT bs_mask_email('jane.smith@example.com')": "j***@example.com",
		"SELECT bs_mask_tail('0001234567', 4)":           "******4567",
		"SELECT bs_mask_tail('123', 4)":                  "***",
		"SELECT bs_mask_date(DATE '1987-03-14')":         "***-**-1987",
		"SELECT bs_mask_words('1 Main St')":              "1*** M*** S***",
	} {
		var got string
		if err := db.QueryRow(ctx, q).Scan(&got); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", q, got, want)
		}
	}
}

func TestAddressFunctions(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Text(ctx, `SELECT a.line1, a.state, a.zip, a.country, a.usable, bs_address_key('1 main street', NULL, 'Springfield', 'Illinois', '62701-1234', NULL, 'US') AS k,
		bs_jurisdiction('CA', 'US') AS j1, bs_jurisdiction(NULL, 'FR') AS j2
		FROM (SELECT bs_address('1 main st', NULL, 'Springfield', 'il', '62701', NULL, 'US') AS a)`)
	if err != nil {
		t.Fatal(err)
	}
	want := "line1\tstate\tzip\tcountry\tusable\tk\tj1\tj2\n1 MAIN ST\tIL\t62701\tUS\ttrue\t1 MAIN ST||62701\tUS-CA\tEU-GDPR\n"
	if got != want {
		t.Errorf("got %q want %q", got, want)
	}
}
