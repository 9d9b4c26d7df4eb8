package app

import "testing"

func TestMemoryLimitParsesSizes(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"1800MiB", 1800 << 20, false},
		{"4GiB", 4 << 30, false},
		{"512MB", 512e6, false},
		{"1048576", 1 << 20, false},
		{"off", -1, false},
		{"", -1, false},
		{"lots", 0, true},
		{"-5MiB", 0, true},
	}
	for _, tt := range tests {
		got, err := memoryLimit(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && got != tt.want) {
			t.Errorf("memoryLimit(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}
