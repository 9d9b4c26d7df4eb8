package accounts_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

func same(addr string) func(int) string { return func(int) string { return addr } }

// v6 is a new address in one /64 for every guess.
func v6(i int) string { return fmt.Sprintf("2001:db8:1:2::%x", i+1) }

func TestTheAddressLimitCountsAnIPv6ClientByItsSlash64(t *testing.T) {
	tests := []struct {
		name    string
		guesser func(i int) string // the address of guess i
		probe   string
		limited bool
	}{
		{"IPv4: same address", same("198.51.100.7"), "198.51.100.7", true},
		{"IPv4: neighbour", same("198.51.100.7"), "198.51.100.8", false},
		{"IPv6: a new address per guess, probe in the same /64", v6, "2001:db8:1:2:ffff::1", true},
		{"IPv6: another /64", v6, "2001:db8:1:3::1", false},
		{"IPv6: IPv4 client unaffected", v6, "198.51.100.7", false},
		{"IPv6: zoned spelling of the same /64", v6, "2001:db8:1:2::1%eth0", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			acc, err := accounts.New(accounts.Config{Store: storagetest.OpenSQLite(t), Hash: accounts.HashParams{Memory: 256, Time: 1, Threads: 1, Concurrency: 1}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := acc.AddUser(ctx, accounts.AddUserInput{Email: "ute@example.org", Password: "Kesselschmiede-2026", Role: accounts.Admin, Lang: isa.DE}); err != nil {
				t.Fatal(err)
			}
			for i := range 20 {
				_, _, err := acc.Login(ctx, fmt.Sprintf("nobody%d@example.org", i), "wrong-password-1", tt.guesser(i))
				if isa.ErrorCode(err) != isa.CodeUnauth {
					t.Fatalf("guess %d: %v", i+1, err)
				}
			}
			_, _, err = acc.Login(ctx, "ute@example.org", "Kesselschmiede-2026", tt.probe)
			if limited := isa.ErrorCode(err) == isa.CodeRateLimit; limited != tt.limited || (!limited && err != nil) {
				t.Errorf("sign-in from %s: %v, limited want %v", tt.probe, err, tt.limited)
			}
		})
	}
}
