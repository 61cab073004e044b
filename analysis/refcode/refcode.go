// Package refcode makes the reference codes printed on notices: short,
// unique within a case, not guessable from the person's data or position
// (an HMAC under a per-case secret, not a sequence), free of look-alike
// characters (no 0/O, 1/I) and ending in a check character so a call-centre
// agent can tell a mistyped code from an unknown one.
package refcode

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Alphabet has 32 symbols: digits 2-9 and letters without I and O.
const Alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// DataChars is how many symbols carry the HMAC: 60 bits, so a collision among
// 40 million codes has a probability below one in a thousand, and is
// detected (the run fails) rather than assumed away.
const DataChars = 12

// Generator derives codes from a case secret.
type Generator struct {
	secret []byte
}

// New returns a generator for a secret of at least 16 bytes.
func New(secret []byte) (*Generator, error) {
	if len(secret) < 16 {
		return nil, errors.New("reference secret too short: need at least 16 bytes")
	}
	return &Generator{secret: append([]byte(nil), secret...)}, nil
}

// Code returns the reference code of key, formatted XXXX-XXXX-XXXX-C.
func (g *Generator) Code(key string) string {
	mac := hmac.New(sha256.New, g.secret)
	mac.Write([]byte("breachscope/reference/v1\x00"))
	mac.Write([]byte(key))
	n := binary.BigEndian.Uint64(mac.Sum(nil)[:8]) >> 4 // 60 bits
	var sym [DataChars]byte
	for i := DataChars - 1; i >= 0; i-- {
		sym[i] = Alphabet[n&31]
		n >>= 5
	}
	s := string(sym[:])
	return s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + string(checkChar(s))
}

// checkChar is Damm's check symbol over the quasigroup x*y = 2x XOR y in
// GF(32): the quasigroup is totally anti-symmetric, so the check catches
// every single-symbol error and every adjacent transposition, including
// transpositions involving the check symbol itself.
func checkChar(data string) byte {
	return Alphabet[mul2(damm(data))]
}

func damm(s string) byte {
	var interim byte
	for i := 0; i < len(s); i++ {
		interim = mul2(interim) ^ byte(strings.IndexByte(Alphabet, s[i]))
	}
	return interim
}

// mul2 multiplies by x in GF(2^5) modulo the primitive polynomial x^5+x^2+1.
func mul2(v byte) byte {
	v <<= 1
	if v&0x20 != 0 {
		v ^= 0x25
	}
	return v
}

// Valid reports whether code is well formed and its check symbol matches;
// dashes, spaces and case are ignored, as a caller would read it out.
func Valid(code string) bool {
	s := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	if len(s) != DataChars+1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(Alphabet, s[i]) < 0 {
			return false
		}
	}
	return damm(s) == 0
}

// LoadSecret reads the hex secret at path, creating a random one (mode 0600)
// when the file does not exist. Keeping it in the case directory makes codes
// stable across re-runs of the case.
func LoadSecret(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(secret)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("create reference secret: %w", err)
		}
		return secret, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read reference secret: %w", err)
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("reference secret %s is not hex: %w", path, err)
	}
	return secret, nil
}
