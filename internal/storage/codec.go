package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// JSON columns hold the small structured values (multilingual texts, lists)
// that are read whole and never queried inside; the side tables hold what
// filters need.

func encodeJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("storage: encode: %w", err)
	}
	return string(b), nil
}

// decodeJSON fills v from s; empty lists and maps stay nil, so that what
// was stored as nil reads back as nil.
func decodeJSON[T any](s string, v *T) error {
	switch s {
	case "", "[]", "{}", "null":
		var zero T
		*v = zero
		return nil
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("storage: decode %.40q: %w", s, err)
	}
	return nil
}

// hashOf returns a digest of the canonical JSON of v. encoding/json sorts
// map keys, so equal values give equal digests.
func hashOf(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("storage: hash: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16]), nil
}

// successor returns the smallest string greater than every string that
// starts with prefix (for ASCII prefixes such as NACE codes), so that a
// prefix match becomes an index range: prefix <= code < successor.
func successor(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0x7f {
			b[i]++
			return string(b[:i+1])
		}
	}
	return strings.Repeat("\x7f", len(prefix)+1)
}
