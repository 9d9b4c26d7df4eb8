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
		fmt.Fprintln(env.Stderr, env.T("user.usage"))
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
	return usageError{errors.New(env.T("user.unknown", args[0]))}
}

func cmdUserAdd(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	role := fs.String("role", "", env.T("user.flag.role"))
	email := fs.String("email", "", env.T("user.flag.email"))
	city := fs.String("city", "", env.T("user.flag.city"))
	org := fs.String("org", "", env.T("user.flag.org"))
	name := fs.String("name", "", env.T("user.flag.name"))
	lang := fs.String("lang", string(env.lang()), env.T("user.flag.lang"))
	if _, err := env.parse(fs, args, "", env.T("user.add.about")); err != nil {
		return err
	}
	if *role == "" || *email == "" {
		return usageError{errors.New(env.T("user.add.required"))}
	}
	if !isa.Lang(*lang).Valid() {
		return usageError{errors.New(env.T("err.lang", *lang))}
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
		return fmt.Errorf("%s: %w", env.T("user.add.failed"), err)
	}
	fmt.Fprintln(env.Stdout, env.T("user.added", u.ID, u.Email, u.Role))
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
	email := fs.String("email", "", env.T("user.disable.email"))
	if _, err := env.parse(fs, args, "", env.T("user.disable.about")); err != nil {
		return err
	}
	if *email == "" {
		return usageError{errors.New(env.T("user.disable.required"))}
	}
	acc, err := accountService(ctx, env)
	if err != nil {
		return err
	}
	if err := acc.DisableByEmail(ctx, *email); err != nil {
		return fmt.Errorf("%s: %w", env.T("user.disable.failed"), err)
	}
	fmt.Fprintln(env.Stdout, env.T("user.disabled"))
	return nil
}

// readPassword asks twice without echo on a terminal, and otherwise reads
// the first line of standard input (for scripts: echo "$PW" | isa user add).
func readPassword(env *Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, env.T("user.password"))
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(env.Stderr, env.T("user.password.again"))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", usageError{errors.New(env.T("user.password.differ"))}
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.Stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageError{errors.New(env.T("user.password.none"))}
	}
	return pw, nil
}
