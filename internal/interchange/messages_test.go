package interchange

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

func TestEveryMessageExistsInThreeLanguagesWithTheSameArguments(t *testing.T) {
	for key, m := range messages {
		for i, l := range []string{"de", "zh", "en"} {
			if strings.TrimSpace(m[i]) == "" && key != "sep" {
				t.Errorf("%s: no %s text", key, l)
			}
		}
		en := verb.FindAllString(m[2], -1)
		for i, l := range []string{"de", "zh"} {
			if got := verb.FindAllString(m[i], -1); !slices.Equal(got, en) {
				t.Errorf("%s: %s verbs %v differ from English %v", key, l, got, en)
			}
		}
	}
}

func TestProblemTextInEachLanguage(t *testing.T) {
	p := Problem{Pos: Position{File: "orgs.csv", Row: 12}, Field: "city", Key: "city.unknown", Args: []any{"Berlin"}}
	tests := []struct {
		lang isa.Lang
		want string
	}{
		{isa.EN, `orgs.csv, row 12: field "city": unknown member city "Berlin" (use a slug such as "bad-homburg" or a city name in German, English or Chinese)`},
		{isa.DE, `orgs.csv, Zeile 12: Feld "city": unbekannte Mitgliedsstadt "Berlin" (verwenden Sie einen Kurznamen wie "bad-homburg" oder einen Stadtnamen auf Deutsch, Englisch oder Chinesisch)`},
		{isa.ZH, `orgs.csv, 第 12 行：字段 "city"：未知的成员城市 "Berlin"（请使用 "bad-homburg" 这样的简称，或城市的德文、英文或中文名称）`},
	}
	for _, tc := range tests {
		if got := p.Text(tc.lang); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.lang, got, tc.want)
		}
	}
	if e := p.AsError(); e.Code != isa.CodeInvalid || e.Field != "city" || e.Key != "interchange.city.unknown" {
		t.Errorf("AsError = %+v", e)
	}
}

func TestSummaryLineAndExitCode(t *testing.T) {
	tests := []struct {
		name string
		sum  Summary
		exit int
		en   string
	}{
		{"exits 0 when nothing was rejected", Summary{Records: 10, Created: 8, Updated: 1, Unchanged: 1, Elapsed: 2 * time.Second}, 0,
			"imported 8, updated 1, unchanged 1, rejected 0, warnings 0 (10 records in 2s, 5 records/s)"},
		{"exits 1 when records were rejected", Summary{Records: 4, Created: 3, Rejected: 1, Warnings: 2, Elapsed: time.Second}, 1,
			"imported 3, updated 0, unchanged 0, rejected 1, warnings 2 (4 records in 1s, 4 records/s)"},
		{"says when an atomic import wrote nothing", Summary{Records: 4, Rejected: 1, RolledBack: true, Elapsed: time.Second}, 1,
			"imported 0, updated 0, unchanged 0, rejected 1, warnings 0 (4 records in 1s, 4 records/s); nothing written (--atomic)"},
		{"exits 2 when a file could not be read", Summary{Unreadable: []string{"a.csv"}}, 2,
			"imported 0, updated 0, unchanged 0, rejected 0, warnings 0 (0 records in 0s, 0 records/s); 1 file(s) could not be read"},
		{"says when the import was interrupted", Summary{Records: 1, Created: 1, Err: context.Canceled, Elapsed: time.Second}, 2,
			"imported 1, updated 0, unchanged 0, rejected 0, warnings 0 (1 records in 1s, 1 records/s): import interrupted; the records counted so far are saved (except with --atomic)"},
		{"exits 2 when the import stopped", Summary{Records: 1, Err: errors.New("disk full"), Elapsed: time.Second}, 2,
			"imported 0, updated 0, unchanged 0, rejected 0, warnings 0 (1 records in 1s, 1 records/s): import stopped: internal error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.sum.ExitCode(); got != tc.exit {
				t.Errorf("exit code %d, want %d", got, tc.exit)
			}
			if got := tc.sum.String(); got != tc.en {
				t.Errorf("summary\n got %s\nwant %s", got, tc.en)
			}
			for _, l := range []isa.Lang{isa.DE, isa.ZH} {
				if got := tc.sum.Text(l); got == tc.en || strings.Contains(got, "%!") {
					t.Errorf("%s summary %q is not translated or has a bad verb", l, got)
				}
			}
		})
	}
}

func TestProgressOnAPipePrintsLinesAtIntervals(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	m := newMeter(&out, &out, isa.EN, now)
	for i := 0; i < 640; i++ {
		if i%64 == 0 {
			clock = clock.Add(time.Second)
		}
		m.tick()
	}
	m.println("a problem")
	m.finish()
	want := "640 records, 64/s\na problem\n"
	if out.String() != want {
		t.Errorf("output %q, want one progress line after 10 s and the problem", out.String())
	}
}

func TestProgressOnATerminalRedrawsOneLine(t *testing.T) {
	var out bytes.Buffer
	clock := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	m := newMeter(&out, &out, isa.EN, func() time.Time { return clock })
	m.tty, m.interval = true, 200*time.Millisecond
	m.total = 1000
	m.read.Store(500)
	for i := 0; i < 128; i++ {
		clock = clock.Add(10 * time.Millisecond)
		m.tick()
	}
	m.println("a problem")
	m.finish()
	got := out.String()
	for _, want := range []string{"\r[###############---------------]  50%  64 records,", "\r\033[Ka problem\n\r[", "\r\033[K"} {
		if !strings.Contains(got, want) {
			t.Errorf("output %q lacks %q", got, want)
		}
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("output %q: the bar must stay on one line", got)
	}
}
