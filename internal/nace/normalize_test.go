package nace

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
)

func TestNormalizeAcceptsEveryLevelInEveryReasonableForm(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		// sections
		{"C", "C"},
		{"c", "C"},
		{" u ", "U"},
		// divisions
		{"C22", "C22"},
		{"c22", "C22"},
		{"22", "C22"},
		{"C 22", "C22"},
		{"C-22", "C22"},
		{"C.22", "C22"},
		{"01", "A01"},
		{"99", "U99"},
		// groups
		{"C22.2", "C22.2"},
		{"22.2", "C22.2"},
		{"222", "C22.2"},
		{"C222", "C22.2"},
		{"22,2", "C22.2"},
		{"1.1", "A01.1"},
		{"J62.0", "J62.0"},
		// classes
		{"C22.29", "C22.29"},
		{"c 22.29", "C22.29"},
		{"c22.29", "C22.29"},
		{"22.29", "C22.29"},
		{"2229", "C22.29"},
		{"C2229", "C22.29"},
		{"C.22.29", "C22.29"},
		{"22,29", "C22.29"},
		{" 22 . 29 ", "C22.29"},
		{"\tC22.29\n", "C22.29"},
		{"Ｃ２２．２９", "C22.29"},
		{"２２．２９", "C22.29"},
		{"1.11", "A01.11"},
		{"01.11", "A01.11"},
		{"A01.11", "A01.11"},
		{"62.01", "J62.01"},
		{"U99.00", "U99.00"},
		{"9900", "U99.00"},
	}
	c := Default()
	for _, tt := range tests {
		got, err := c.Normalize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeRejectsWithAnInvalidErrorNamingTheCode(t *testing.T) {
	tests := []struct {
		in, key, mention string
	}{
		// malformed
		{"", KeyMalformed, `""`},
		{"   ", KeyMalformed, `"   "`},
		{"C22.", KeyMalformed, "C22."},
		{"C.", KeyMalformed, "C."},
		{"C22.299", KeyMalformed, "C22.299"},
		{"22299", KeyMalformed, "22299"},
		{"2", KeyMalformed, `"2"`},
		{"C2", KeyMalformed, "C2"},
		{"CC22", KeyMalformed, "CC22"},
		{"22-29", KeyMalformed, "22-29"},
		{"22.2.9", KeyMalformed, "22.2.9"},
		{".29", KeyMalformed, ".29"},
		{"C22/29", KeyMalformed, "C22/29"},
		{"plastics", KeyMalformed, "plastics"},
		{"塑料", KeyMalformed, "塑料"},
		// well formed but not in NACE, at every level
		{"V", KeyUnknown, `"V"`},
		{"Z", KeyUnknown, `"Z"`},
		{"04", KeyUnknown, "04"},
		{"C34", KeyUnknown, "C34"},
		{"00", KeyUnknown, "00"},
		{"22.3", KeyUnknown, "22.3"},
		{"C22.0", KeyUnknown, "C22.0"},
		{"C22.27", KeyUnknown, "C22.27"},
		{"2220", KeyUnknown, "2220"},
		{"J62.00", KeyUnknown, "J62.00"},
		// letter and digits disagree
		{"B22", KeySection, "section C, not B"},
		{"A22.29", KeySection, "A22.29"},
		{"d 35.1x", KeyMalformed, "35.1x"},
		{"c35.11", KeySection, "section D, not C"},
	}
	c := Default()
	for _, tt := range tests {
		got, err := c.Normalize(tt.in)
		if err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", tt.in, got)
			continue
		}
		var e *isa.Error
		if !errors.As(err, &e) {
			t.Errorf("Normalize(%q) error %T is not an *isa.Error", tt.in, err)
			continue
		}
		if e.Code != isa.CodeInvalid || e.Field != "industries" || e.Key != tt.key {
			t.Errorf("Normalize(%q) error = {%s %s %s}, want {invalid industries %s}", tt.in, e.Code, e.Field, e.Key, tt.key)
		}
		if !strings.Contains(e.Message, tt.mention) {
			t.Errorf("Normalize(%q) message %q does not mention %q", tt.in, e.Message, tt.mention)
		}
	}
}

func TestNormalizeShortensHugeInputInItsMessage(t *testing.T) {
	for _, in := range []string{strings.Repeat("2", 5000), strings.Repeat("塑", 500), strings.Repeat("C", 45)} {
		_, err := Default().Normalize(in)
		if err == nil {
			t.Fatalf("Normalize accepted %d bytes", len(in))
		}
		if msg := err.Error(); utf8.RuneCountInString(msg) > 120 || !strings.Contains(msg, "…") {
			t.Errorf("message for %d bytes of input is %d runes: %q", len(in), utf8.RuneCountInString(msg), msg)
		}
	}
}

func TestNormalizeIsTheIdentityOnEveryCanonicalCode(t *testing.T) {
	c := Default()
	for _, e := range c.All() {
		forms := []string{e.Code, strings.ToLower(e.Code)}
		if e.Level != Section {
			forms = append(forms, e.Code[1:], strings.ReplaceAll(e.Code[1:], ".", ""), e.Code[:1]+" "+e.Code[1:])
		}
		for _, f := range forms {
			if got, err := c.Normalize(f); err != nil || got != e.Code {
				t.Errorf("Normalize(%q) = %q, %v; want %s", f, got, err, e.Code)
			}
		}
	}
}

func TestMessagesExistInEveryLanguageForEveryKey(t *testing.T) {
	m := Messages()
	for _, key := range []string{KeyMalformed, KeyUnknown, KeySection} {
		for _, l := range isa.Langs {
			if strings.TrimSpace(m[key][l]) == "" {
				t.Errorf("no %s text for %s", l, key)
			}
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"C22.29", "c 22.29", "2229", "22", "1.11", "Ｃ２２．２９", "B22", "C22.", "", "塑料", "22,2", "C-22", "\x00", "\xff"} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, in string) {
		got, err := c.Normalize(in)
		if err != nil {
			var e *isa.Error
			if !errors.As(err, &e) || e.Code != isa.CodeInvalid || e.Field != Field || e.Key == "" {
				t.Fatalf("Normalize(%q) error %#v is not an invalid-industries *isa.Error", in, err)
			}
			if utf8.RuneCountInString(e.Message) > 600 {
				t.Fatalf("Normalize(%q) message is %d runes long", in, utf8.RuneCountInString(e.Message))
			}
			return
		}
		entry, ok := c.Lookup(got)
		if !ok || entry.Code != got {
			t.Fatalf("Normalize(%q) = %q, which is not a canonical code", in, got)
		}
		if again, err := c.Normalize(got); err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, %v; not idempotent", got, again, err)
		}
	})
}
