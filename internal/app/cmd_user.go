package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/accounts"
)

// cmdUser manages accounts from the command line: the first secretariat
// account can only be made here, before anyone can sign in.
func cmdUser(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stderr, "Usage: isa user add|disable [flags]\n\n  add      create an active account (password from standard input or a prompt)\n  disable  disable an account and end its sessions")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return exitError{code: 2}
	}
	switch args[0] {
	case "add":
		return cmdUserAdd(ctx, env, fs, args[1:])
	case "disable":
		return cmdUserDisable(ctx, env, fs, args[1:])
	}
	return usageError{fmt.Errorf("unknown user command %q: add or disable", args[0])}
}

func cmdUserAdd(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	role := fs.String("role", "", "admin (alliance secretariat), officer (city office) or member (company)")
	email := fs.String("email", "", "e-mail address; the sign-in name")
	city := fs.String("city", "", "officers: the slug of their city (see isa cities)")
	org := fs.String("org", "", "members: the ref of their organisation")
	name := fs.String("name", "", "display name")
	lang := fs.String("lang", "en", "preferred language: de, zh or en")
	if _, err := parse(fs, args, "", "Creates an active account. The password is read from standard input (first line)\nor, on a terminal, asked for twice without echo; it is never taken from a flag,\nwhich would leave it in the shell history and the process list."); err != nil {
		return err
	}
	if *role == "" || *email == "" {
		return usageError{errors.New("--role and --email are required")}
	}
	acc, err := accountService(ctx, env)
	if err != nil {
		return err
	}
	pw, err := readPassword(env)
	if err != nil {
		return err
	}
	u, err := acc.AddUser(ctx, accounts.AddUserInput{
		Email: *email, Name: *name, Password: pw, Lang: isa.Lang(*lang), Role: accounts.Role(*role), City: *city, Org: *org,
	})
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	fmt.Fprintf(env.Stdout, "user %d added: %s, %s\n", u.ID, u.Email, u.Role)
	return nil
}

// accountService opens the store and the accounts service on it, for the
// operator's commands.
func accountService(ctx context.Context, env *Env) (*accounts.Service, error) {
	db, err := env.Store(ctx)
	if err != nil {
		return nil, err
	}
	return accounts.New(accounts.Config{Store: db, Logger: env.Logger, Now: env.Now})
}

func cmdUserDisable(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	email := fs.String("email", "", "e-mail address of the account")
	if _, err := parse(fs, args, "", "Disables an account and ends all its sessions; its API tokens stop working."); err != nil {
		return err
	}
	if *email == "" {
		return usageError{errors.New("--email is required")}
	}
	acc, err := accountService(ctx, env)
	if err != nil {
		return err
	}
	if err := acc.DisableByEmail(ctx, *email); err != nil {
		return fmt.Errorf("disable user: %w", err)
	}
	fmt.Fprintln(env.Stdout, "user disabled")
	return nil
}

// readPassword asks twice without echo on a terminal, and otherwise reads
// the first line of standard input (for scripts: echo "$PW" | isa user add).
func readPassword(env *Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(env.Stderr, "Repeat: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", usageError{errors.New("the passwords differ")}
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError{errors.New("no password on standard input")}
	}
	return pw, nil
}
