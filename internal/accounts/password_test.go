package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
)

func TestPasswordChecks(t *testing.T) {
	h := newHasher(HashParams{Memory: 256, Time: 1, Threads: 1, Concurrency: 1})
	tests := []struct {
		name, pw string
		wantKey  string
	}{
		{"long enough and uncommon", "Stahlbau-Hagen-77", ""},
		{"nine characters", "abcdefgh9", "account.error.password_short"},
		{"ten Chinese characters count as ten", "钢结构焊接加工机械零件", ""},
		{"common in another case", "PASSWORD123", "account.error.password_common"},
		{"over the upper bound", strings.Repeat("x", MaxPassword+1), "account.error.password_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.check(tt.pw)
			var e *isa.Error
			switch {
			case tt.wantKey == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantKey != "" && (!errors.As(err, &e) || e.Key != tt.wantKey):
				t.Fatalf("got %v, want key %s", err, tt.wantKey)
			}
		})
	}
}

func TestHashVerifiesOnlyTheSamePassword(t *testing.T) {
	h := newHasher(HashParams{Memory: 256, Time: 1, Threads: 1, Concurrency: 2})
	ctx := context.Background()
	enc, err := h.hash(ctx, "Stahlbau-Hagen-77")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=256,t=1,p=1$") {
		t.Fatalf("encoding %q", enc)
	}
	other, _ := h.hash(ctx, "Stahlbau-Hagen-77")
	if other == enc {
		t.Fatalf("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		pw   string
		want bool
	}{{"Stahlbau-Hagen-77", true}, {"stahlbau-hagen-77", false}, {"", false}, {strings.Repeat("x", 1000), false}}
	for _, tt := range tests {
		if ok, err := h.verify(ctx, tt.pw, enc); err != nil || ok != tt.want {
			t.Errorf("verify(%.20q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	if _, err := h.verify(ctx, "x", "$bcrypt$whatever"); err == nil {
		t.Errorf("an unknown hash format was accepted")
	}
}

func TestHashingWaitsForAFreeSlot(t *testing.T) {
	h := newHasher(HashParams{Memory: 256, Time: 1, Threads: 1, Concurrency: 1})
	if err := h.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.hash(ctx, "Stahlbau-Hagen-77"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hashing did not wait for the slot: %v", err)
	}
	h.release()
	if _, err := h.hash(context.Background(), "Stahlbau-Hagen-77"); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

// BenchmarkHashDefault measures one argon2id hash at the production costs.
func BenchmarkHashDefault(b *testing.B) {
	h := newHasher(DefaultHashParams)
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.hash(ctx, "Stahlbau-Hagen-77"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashDefaultParallel is many logins at once: the semaphore
// keeps at most two hashes (128 MiB) in flight.
func BenchmarkHashDefaultParallel(b *testing.B) {
	h := newHasher(DefaultHashParams)
	ctx := context.Background()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.hash(ctx, "Stahlbau-Hagen-77"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
