package accounts_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/isa-alliance/isa/internal/accounts"
)

func TestParseTrustedProxies(t *testing.T) {
	tests := []struct {
		list    string
		n       int
		wantErr string // part of the error, "" for none
	}{
		{"", 0, ""},
		{" , ", 0, ""},
		{"10.0.0.0/8", 1, ""},
		{" 10.0.0.0/8 , 192.0.2.1,2001:db8::/32, ::1 ", 4, ""},
		{"10.1.2.3/8", 1, ""},
		{"10.0.0", 0, "not an IP address"},
		{"10.0.0.0/33", 0, "not an IP address"},
		{"proxy.example", 0, "not an IP address"},
		{"10.0.0.1, *", 0, "not an IP address"},
		{"fe80::1%eth0", 0, "not an IP address"},
		{"::ffff:10.0.0.0/104", 0, "as IPv4"},
		{"::ffff:10.0.0.1", 0, "as IPv4"},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			p, err := accounts.ParseTrustedProxies(tt.list)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
			case err == nil && p.Len() != tt.n:
				t.Fatalf("%d entries, want %d", p.Len(), tt.n)
			}
		})
	}
}

func TestClientAddrBelievesOnlyTrustedProxies(t *testing.T) {
	trusted, err := accounts.ParseTrustedProxies("10.0.0.0/8, 2001:db8:ff::/48, 192.0.2.1, 10.1.2.3/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		proxies accounts.TrustedProxies
		peer    string
		xff     []string // header lines, in order
		want    string
	}{
		// Headers from anyone else are never believed.
		{"untrusted peer forging a client", trusted, "203.0.113.9:5000", []string{"198.51.100.7"}, "203.0.113.9"},
		{"untrusted peer naming a trusted proxy", trusted, "203.0.113.9:5000", []string{"198.51.100.7, 10.0.0.2"}, "203.0.113.9"},
		{"untrusted IPv6 peer", trusted, "[2001:db8:1::9]:5000", []string{"198.51.100.7"}, "2001:db8:1::9"},
		{"no proxies configured", accounts.TrustedProxies{}, "10.0.0.1:5000", []string{"198.51.100.7"}, "10.0.0.1"},
		{"next to a trusted network", trusted, "11.0.0.1:5000", []string{"198.51.100.7"}, "11.0.0.1"},

		{"trusted peer without header", trusted, "10.0.0.1:5000", nil, "10.0.0.1"},
		{"trusted peer with empty header", trusted, "10.0.0.1:5000", []string{""}, "10.0.0.1"},
		{"one proxy", trusted, "10.0.0.1:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"single trusted address", trusted, "192.0.2.1:443", []string{"198.51.100.7"}, "198.51.100.7"},
		{"client forging its way in", trusted, "10.0.0.1:5000", []string{"1.2.3.4, 5.6.7.8, 198.51.100.7"}, "198.51.100.7"},
		{"client forging a trusted proxy", trusted, "10.0.0.1:5000", []string{"10.9.9.9, 198.51.100.7"}, "198.51.100.7"},
		{"chain of proxies", trusted, "10.0.0.1:5000", []string{"1.2.3.4, 198.51.100.7, 10.0.0.3, 10.0.0.2"}, "198.51.100.7"},
		{"only trusted hops", trusted, "10.0.0.1:5000", []string{"10.0.0.3, 10.0.0.2"}, "10.0.0.3"},
		{"spaces and tabs", trusted, "10.0.0.1:5000", []string{" 1.2.3.4 ,\t198.51.100.7\t"}, "198.51.100.7"},

		{"several header lines", trusted, "10.0.0.1:5000", []string{"1.2.3.4", "198.51.100.7, 10.0.0.2"}, "198.51.100.7"},
		{"client in an earlier line", trusted, "10.0.0.1:5000", []string{"1.2.3.4, 198.51.100.7", "10.0.0.3", "10.0.0.2"}, "198.51.100.7"},
		{"empty last line", trusted, "10.0.0.1:5000", []string{"198.51.100.7", ""}, "10.0.0.1"},

		{"IPv6 proxy and client", trusted, "[2001:db8:ff::1]:443", []string{"2001:db8:1::5"}, "2001:db8:1::5"},
		{"IPv6 client in brackets with port", trusted, "10.0.0.1:5000", []string{"[2001:db8:1::5]:1234"}, "2001:db8:1::5"},
		{"IPv6 client in brackets", trusted, "10.0.0.1:5000", []string{"[2001:db8:1::5]"}, "2001:db8:1::5"},
		{"IPv4 client with port", trusted, "10.0.0.1:5000", []string{"198.51.100.7:4711"}, "198.51.100.7"},
		{"IPv4-mapped client", trusted, "10.0.0.1:5000", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"IPv4-mapped trusted peer", trusted, "[::ffff:10.0.0.1]:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"IPv4-mapped untrusted peer", trusted, "[::ffff:203.0.113.9]:5000", []string{"198.51.100.7"}, "203.0.113.9"},
		{"IPv4-mapped trusted hop", trusted, "10.0.0.1:5000", []string{"198.51.100.7, ::ffff:10.0.0.2"}, "198.51.100.7"},
		{"zoned client", trusted, "10.0.0.1:5000", []string{"fe80::1%eth0"}, "fe80::1"},

		{"garbage", trusted, "10.0.0.1:5000", []string{"garbage"}, "10.0.0.1"},
		{"unknown right of the client", trusted, "10.0.0.1:5000", []string{"198.51.100.7, unknown"}, "10.0.0.1"},
		{"garbage behind a trusted hop", trusted, "10.0.0.1:5000", []string{"198.51.100.7, <script>, 10.0.0.2"}, "10.0.0.2"},
		{"empty item", trusted, "10.0.0.1:5000", []string{"198.51.100.7,,10.0.0.2"}, "10.0.0.2"},
		{"trailing comma", trusted, "10.0.0.1:5000", []string{"198.51.100.7,"}, "10.0.0.1"},
		{"garbage left of the client", trusted, "10.0.0.1:5000", []string{"unknown, 198.51.100.7"}, "198.51.100.7"},
		{"hostname", trusted, "10.0.0.1:5000", []string{"client.example"}, "10.0.0.1"},
		{"prefix instead of address", trusted, "10.0.0.1:5000", []string{"198.51.100.0/24"}, "10.0.0.1"},
		{"long forged list", trusted, "10.0.0.1:5000", []string{strings.Repeat("1.2.3.4, ", 5000) + "198.51.100.7"}, "198.51.100.7"},

		{"peer that is no address", trusted, "@", []string{"198.51.100.7"}, "@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/de/login", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := tt.proxies.ClientAddr(r); got != tt.want {
				t.Errorf("client %q, want %q", got, tt.want)
			}
		})
	}
}
