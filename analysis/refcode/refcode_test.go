package refcode

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCodeIsStableAndValid(t *testing.T) {
	g, err := New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := g.Code("C0000001"), g.Code("C0000001")
	if a != b {
		t.Fatalf("same key, different codes: %s %s", a, b)
	}
	if g.Code("C0000002") == a {
		t.Fatal("different keys share a code")
	}
	if len(a) != 16 || !Valid(a) {
		t.Fatalf("bad code %q", a)
	}
	if strings.ContainsAny(a, "01IO") {
		t.Fatalf("ambiguous characters in %q", a)
	}
	other, _ := New([]byte("fedcba9876543210fedcba9876543210"))
	if other.Code("C0000001") == a {
		t.Fatal("code does not depend on the secret")
	}
}

func TestCheckCatchesSingleErrorsAndTranspositions(t *testing.T) {
	g, _ := New([]byte("0123456789abcdef0123456789abcdef"))
	for i := 0; i < 200; i++ {
		code := strings.ReplaceAll(g.Code(strings.Repeat("x", i)), "-", "")
		for pos := 0; pos < len(code); pos++ {
			for _, c := range Alphabet {
				if byte(c) == code[pos] {
					continue
				}
				bad := code[:pos] + string(c) + code[pos+1:]
				if Valid(bad) {
					t.Fatalf("single error not caught: %s -> %s", code, bad)
				}
			}
			if pos+1 < len(code) && code[pos] != code[pos+1] {
				sw := code[:pos] + string(code[pos+1]) + string(code[pos]) + code[pos+2:]
				if Valid(sw) {
					t.Fatalf("transposition not caught: %s -> %s", code, sw)
				}
			}
		}
	}
}

func TestUniqueOverManyKeys(t *testing.T) {
	g, _ := New([]byte("0123456789abcdef0123456789abcdef"))
	seen := map[string]bool{}
	for i := 0; i < 200000; i++ {
		c := g.Code("C" + strings.Repeat("0", i%3) + string(rune('a'+i%26)) + itoa(i))
		if seen[c] {
			t.Fatalf("collision at %d", i)
		}
		seen[c] = true
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
		if i == 0 {
			return string(b)
		}
	}
}

func TestLoadSecretCreatesOnceWith0600(t *testing.T) {
	p := filepath.Join(t.TempDir(), "reference.key")
	s1, err := LoadSecret(p)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", st.Mode().Perm())
	}
	s2, err := LoadSecret(p)
	if err != nil || string(s1) != string(s2) {
		t.Fatalf("secret not stable: %v", err)
	}
}

func FuzzValid(f *testing.F) {
	f.Add("ABCD-EFGH-JKLM-N")
	f.Add("")
	f.Add("2222-2222-2222-2")
	f.Fuzz(func(t *testing.T, s string) {
		// Valid must never panic, and any valid code must survive re-formatting.
		if Valid(s) && !Valid(strings.ToLower(s)) {
			t.Fatalf("case changes validity of %q", s)
		}
	})
}
