package app

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is the one place of configuration: every setting has a flag, an
// environment variable and a default, and `isa serve --help` prints them all.
type Config struct {
	DataDir     string
	DatabaseURL string
	Addr        string
	LogLevel    string
	LogFormat   string
	BaseURL     string
	SMTPURL     string
	MailFrom    string
	HTTPS       bool
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For is
	// believed (accounts.ParseTrustedProxies).
	TrustedProxies string
	MemoryLimit    string
	Demo           bool
}

// setting binds one Config field to a flag and an environment variable;
// its description is the text setting.FLAG (texts.go).
type setting struct {
	flag, env, def string
	str            *string
	boolean        *bool
	secret         bool // never echoed in help or logs
}

func (c *Config) settings() []setting {
	return []setting{
		{flag: "data", env: "ISA_DATA", def: "./data", str: &c.DataDir},
		{flag: "database-url", env: "ISA_DATABASE_URL", str: &c.DatabaseURL, secret: true},
		{flag: "addr", env: "ISA_ADDR", def: "localhost:8080", str: &c.Addr},
		{flag: "base-url", env: "ISA_BASE_URL", str: &c.BaseURL},
		{flag: "smtp-url", env: "ISA_SMTP_URL", str: &c.SMTPURL, secret: true},
		{flag: "mail-from", env: "ISA_MAIL_FROM", def: "ISA Partner Database <noreply@isa-partner.example>", str: &c.MailFrom},
		{flag: "https", env: "ISA_HTTPS", boolean: &c.HTTPS},
		{flag: "trusted-proxies", env: "ISA_TRUSTED_PROXIES", str: &c.TrustedProxies},
		{flag: "memory-limit", env: "ISA_MEMORY_LIMIT", def: "1800MiB", str: &c.MemoryLimit},
		{flag: "log-level", env: "ISA_LOG_LEVEL", def: "info", str: &c.LogLevel},
		{flag: "log-format", env: "ISA_LOG_FORMAT", def: "text", str: &c.LogFormat},
	}
}

// storageFlags are the settings every subcommand that touches the
// database takes as flags.
var storageFlags = map[string]bool{"data": true, "database-url": true, "log-level": true, "log-format": true}

// bind registers the settings named in only (all of them for
// everySetting) as flags on fs, with defaults taken from the environment
// (getenv), so that flags override variables override defaults. Settings
// not bound take their value from the environment or their default.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string, only map[string]bool, t func(string, ...any) string) {
	for _, s := range c.settings() {
		if !only["*"] && !only[s.flag] {
			if s.str != nil {
				*s.str = firstNonEmpty(getenv(s.env), s.def)
			}
			if s.boolean != nil {
				*s.boolean = truthy(getenv(s.env))
			}
			continue
		}
		val := firstNonEmpty(getenv(s.env), s.def)
		usage := t("setting."+s.flag) + " " + t("usage.env", s.env)
		if s.str != nil {
			if s.secret {
				// The flag's default must not print the secret in --help.
				*s.str = val
				fs.Func(s.flag, usage, func(v string) error { *s.str = v; return nil })
				continue
			}
			fs.StringVar(s.str, s.flag, val, usage)
		}
		if s.boolean != nil {
			fs.BoolVar(s.boolean, s.flag, truthy(val), usage)
		}
	}
}

func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func (c *Config) sqlitePath() string { return filepath.Join(c.DataDir, "isa.db") }

// UsesPostgres reports whether the configuration names a PostgreSQL database.
func (c *Config) UsesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

func (c *Config) validate(t func(string, ...any) string) error {
	if c.DatabaseURL != "" && !c.UsesPostgres() {
		return errors.New(t("err.database_url"))
	}
	if c.DataDir == "" {
		return errors.New(t("err.data_empty"))
	}
	return nil
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// memoryLimit parses a size such as 1800MiB, 4GiB or 512MB; "off" and ""
// mean no limit (-1).
func memoryLimit(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "off") {
		return -1, nil
	}
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("memory limit %q is not a size such as 1800MiB or 4GiB, or off", s)
	}
	return n * mult, nil
}
