package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/isa-alliance/isa"
)

// HashParams are the argon2id costs. The defaults are sized for a 2-core
// server: 64 MiB per hash, so that at most Concurrency hashes (128 MiB)
// run at once whatever the login traffic.
type HashParams struct {
	Memory      uint32 // KiB
	Time        uint32
	Threads     uint8
	Concurrency int
}

// DefaultHashParams are the costs used when none are configured.
var DefaultHashParams = HashParams{Memory: 64 * 1024, Time: 1, Threads: 2, Concurrency: 2}

// Password limits. The upper bound keeps hashing of huge inputs out.
const (
	MinPassword = 10
	MaxPassword = 256
)

//go:embed common_passwords.txt
var commonPasswordsText string

// hasher hashes and checks passwords with a bounded number at a time.
type hasher struct {
	p      HashParams
	sema   chan struct{}
	common map[string]bool
}

func newHasher(p HashParams) *hasher {
	if p.Memory == 0 {
		p = DefaultHashParams
	}
	if p.Concurrency <= 0 {
		p.Concurrency = 1
	}
	common := make(map[string]bool)
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			common[strings.ToLower(line)] = true
		}
	}
	return &hasher{p: p, sema: make(chan struct{}, p.Concurrency), common: common}
}

// check refuses passwords that are too short, too long or common.
func (h *hasher) check(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return &isa.Error{Code: isa.CodeInvalid, Field: "password", Key: "account.error.password_short", Message: "the password is too short"}
	case len(pw) > MaxPassword:
		return &isa.Error{Code: isa.CodeInvalid, Field: "password", Key: "account.error.password_long", Message: "the password is too long"}
	case h.common[strings.ToLower(pw)]:
		return &isa.Error{Code: isa.CodeInvalid, Field: "password", Key: "account.error.password_common", Message: "the password is too common"}
	}
	return nil
}

// acquire waits for a hashing slot; the context ends the wait.
func (h *hasher) acquire(ctx context.Context) error {
	select {
	case h.sema <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("accounts: waiting to hash: %w", ctx.Err())
	}
}

func (h *hasher) release() { <-h.sema }

// hash returns the PHC-style encoding of an argon2id hash of pw.
func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, 16)
	rand.Read(salt)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, h.p.Time, h.p.Memory, h.p.Threads, 32)
	h.release()
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.p.Memory, h.p.Time, h.p.Threads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verify checks pw against an encoded hash, with the costs stored in it.
func (h *hasher) verify(ctx context.Context, pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("accounts: unknown password hash format")
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("accounts: unknown argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("accounts: bad argon2 parameters: %w", err)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("accounts: bad salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("accounts: bad hash: %w", err)
	}
	if len(pw) > MaxPassword {
		return false, nil
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	h.release()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
