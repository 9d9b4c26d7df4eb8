package app

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa/internal/accounts"
)

func TestUserCommandAddsAndDisablesAccounts(t *testing.T) {
	dir := t.TempDir()
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		env := &Env{Config: Config{DataDir: dir}, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out,
			Getenv: func(string) string { return "" }, Now: time.Now, Logger: slog.New(slog.DiscardHandler)}
		defer env.close()
		err := cmdUser(context.Background(), env, flag.NewFlagSet("isa user", flag.ContinueOnError), args)
		return out.String(), err
	}
	tests := []struct {
		name    string
		stdin   string
		args    []string
		wantErr bool
		want    string
	}{
		{"the first admin", "Sekretariat-Passwort-1\n", []string{"add", "--role", "admin", "--email", "Sekretariat@ISA.example", "--name", "Sekretariat"}, false, "sekretariat@isa.example, admin"},
		{"an officer of a city", "Amt-Bad-Homburg-2026\n", []string{"add", "--role", "officer", "--email", "wf@bad-homburg.example", "--city", "bad-homburg"}, false, "officer"},
		{"an officer of an unknown city", "Amt-Bad-Homburg-2026\n", []string{"add", "--role", "officer", "--email", "x@atlantis.example", "--city", "atlantis"}, true, ""},
		{"no password", "", []string{"add", "--role", "admin", "--email", "b@isa.example"}, true, ""},
		{"a common password", "password123\n", []string{"add", "--role", "admin", "--email", "c@isa.example"}, true, ""},
		{"an unknown role", "Sekretariat-Passwort-1\n", []string{"add", "--role", "king", "--email", "d@isa.example"}, true, ""},
		{"the same address again", "Sekretariat-Passwort-1\n", []string{"add", "--role", "admin", "--email", "sekretariat@isa.example"}, true, ""},
		{"disabling", "", []string{"disable", "--email", "wf@bad-homburg.example"}, false, "user disabled"},
		{"disabling nobody", "", []string{"disable", "--email", "nobody@isa.example"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(tt.stdin, tt.args...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v (output %q)", err, tt.wantErr, out)
			}
			if !strings.Contains(out, tt.want) {
				t.Fatalf("output %q does not contain %q", out, tt.want)
			}
		})
	}
	env := &Env{Config: Config{DataDir: dir}, Logger: slog.New(slog.DiscardHandler)}
	defer env.close()
	db, err := env.Store(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.UserByEmail(context.Background(), "wf@bad-homburg.example")
	if err != nil || u.State != accounts.Disabled || u.City != "bad-homburg" {
		t.Fatalf("officer %+v, %v", u, err)
	}
}
