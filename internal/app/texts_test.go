package app

import (
	"regexp"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/search"
)

func TestCLILang(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want isa.Lang
	}{
		{"nothing set", nil, isa.EN},
		{"ISA_LANG wins", map[string]string{"ISA_LANG": "zh", "LANG": "de_DE.UTF-8"}, isa.ZH},
		{"ISA_LANG in capitals", map[string]string{"ISA_LANG": "DE"}, isa.DE},
		{"invalid ISA_LANG falls back to the locale", map[string]string{"ISA_LANG": "fr", "LANG": "de_AT.UTF-8"}, isa.DE},
		{"LANG German", map[string]string{"LANG": "de_DE.UTF-8"}, isa.DE},
		{"LANG Chinese", map[string]string{"LANG": "zh_CN.UTF-8"}, isa.ZH},
		{"LANG Taiwanese Chinese", map[string]string{"LANG": "zh_TW"}, isa.ZH},
		{"LC_ALL before LANG", map[string]string{"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}, isa.EN},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "de_DE.UTF-8"}, isa.ZH},
		{"C locale", map[string]string{"LANG": "C.UTF-8"}, isa.EN},
		{"French locale", map[string]string{"LANG": "fr_FR.UTF-8"}, isa.EN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cliLang(func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("cliLang = %q, want %q", got, tt.want)
			}
		})
	}
}

var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestTextsComplete checks that every text of the command line exists in
// all three languages with the same format verbs in the same order, and
// that every command has its summary.
func TestTextsComplete(t *testing.T) {
	for key, tx := range texts {
		verbs := strings.Join(verbRE.FindAllString(tx.en, -1), " ")
		for _, l := range isa.Langs {
			s := tx.in(l)
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: no %s text", key, l)
				continue
			}
			if got := strings.Join(verbRE.FindAllString(s, -1), " "); got != verbs {
				t.Errorf("%s: %s text has verbs %q, en has %q", key, l, got, verbs)
			}
		}
	}
	var c Config
	for _, s := range c.settings() {
		if _, ok := texts["setting."+s.flag]; !ok {
			t.Errorf("setting %s has no description setting.%s", s.flag, s.flag)
		}
	}
	for _, f := range []string{search.FacetKind, search.FacetCountry, search.FacetLang, search.FacetCooperation, search.FacetSection, search.FacetOrgKind, search.FacetCity} {
		if _, ok := texts["facet."+f]; !ok {
			t.Errorf("facet %s has no heading facet.%s", f, f)
		}
	}
	for _, c := range commands() {
		if _, ok := texts["cmd."+c.name]; !ok {
			t.Errorf("command %s has no summary cmd.%s", c.name, c.name)
		}
	}
}

func TestCommandLineSpeaksTheUsersLanguage(t *testing.T) {
	tests := []struct {
		lang isa.Lang
		args []string
		code int
		want []string // in stdout or stderr
	}{
		{isa.DE, nil, 2, []string{"Befehle:", "die Mitgliedsstädte auflisten"}},
		{isa.ZH, nil, 2, []string{"命令：", "列出成员城市"}},
		{isa.DE, []string{"frobnicate"}, 2, []string{"unbekannter Befehl"}},
		{isa.ZH, []string{"import"}, 2, []string{"请至少指定一个要导入的文件", "查看用法"}},
		{isa.DE, []string{"cities", "--help"}, 0, []string{"Aufruf: isa cities", "Optionen:", "JSON (ein Array)"}},
		{isa.ZH, []string{"cities"}, 0, []string{"代码", "佛山"}},
		{isa.DE, []string{"cities"}, 0, []string{"KÜRZEL", "Köln"}},
		{isa.EN, []string{"migrate"}, 0, []string{"schema version"}},
		{isa.DE, []string{"migrate"}, 0, []string{"Schemaversion"}},
		{isa.ZH, []string{"match"}, 2, []string{"请至少指定一个信息的 ref"}},
		{isa.DE, []string{"search", "--help"}, 0, []string{"Treffer pro Seite"}},
		{isa.ZH, []string{"reindex"}, 0, []string{"已索引 0 条信息"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang)+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runEnv(t, map[string]string{"ISA_DATA": t.TempDir(), "ISA_LANG": string(tt.lang)}, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout+stderr, w) {
					t.Errorf("output lacks %q:\n%s%s", w, stdout, stderr)
				}
			}
		})
	}
}
