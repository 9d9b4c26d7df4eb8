package app

// Placeholder: the search engineer replaces this file with the real
// `isa search`, `isa match` and `isa reindex` commands.

import (
	"context"
	"errors"
	"flag"
)

var errNoSearch = errors.New("search is not built yet")

func cmdSearch(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	return errNoSearch
}

func cmdMatch(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	return errNoSearch
}

func cmdReindex(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	return errNoSearch
}
