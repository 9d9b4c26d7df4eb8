package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"runtime/debug"
	"text/tabwriter"

	"github.com/isa-alliance/isa"
)

// Version is set at build time with -ldflags "-X …/internal/app.Version=v1.2.3";
// otherwise it comes from the module build information.
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		if v != "" {
			return v
		}
	}
	return "devel"
}

func cmdVersion(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	if _, err := env.parse(fs, args, "", env.T("version.about")); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "isa", version())
	return nil
}

func cmdCities(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	asJSON := fs.Bool("json", false, env.T("cities.flag.json"))
	lang := fs.String("lang", string(env.lang()), env.T("cities.flag.lang"))
	if _, err := env.parse(fs, args, "", env.T("cities.about")); err != nil {
		return err
	}
	if !isa.Lang(*lang).Valid() {
		return usageError{errors.New(env.T("err.lang", *lang))}
	}
	db, err := env.Store(ctx)
	if err != nil {
		return err
	}
	cities, err := db.Cities(ctx)
	if err != nil {
		return fmt.Errorf("list cities: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(cities)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, env.T("cities.header"))
	for _, c := range cities {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Slug, c.Country, c.Names.In(isa.Lang(*lang)), c.Names[isa.DE], c.Names[isa.ZH], c.Region.In(isa.Lang(*lang)))
	}
	return tw.Flush()
}

func cmdMigrate(ctx context.Context, env *Env, fs *flag.FlagSet, args []string) error {
	if _, err := env.parse(fs, args, "", env.T("migrate.about")); err != nil {
		return err
	}
	db, err := env.Store(ctx)
	if err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	fmt.Fprintln(env.Stdout, env.T("migrate.done", v, db.Engine()))
	return nil
}
