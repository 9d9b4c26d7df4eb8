package nace

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/isa-alliance/isa"
)

// Field is the input field that Normalize names in its errors: NACE codes
// arrive as the industries of organisations and listings.
const Field = "industries"

// Locale keys of the errors Normalize returns, translated at the edge (see
// Messages).
const (
	KeyMalformed = "nace.malformed"
	KeyUnknown   = "nace.unknown"
	KeySection   = "nace.section"
)

// Messages returns the user-facing texts of the error keys in de, zh and en,
// for the locale catalogue. The texts do not repeat the code; the English
// message of each error does.
func Messages() map[string]isa.Text {
	return map[string]isa.Text{
		KeyMalformed: {
			isa.DE: "Das ist kein NACE-Code. Schreiben Sie ihn wie C22.29 oder 22.29.",
			isa.ZH: "这不是 NACE 代码。请按 C22.29 或 22.29 的格式填写。",
			isa.EN: "This is not a NACE code. Write it like C22.29 or 22.29.",
		},
		KeyUnknown: {
			isa.DE: "Diesen Code gibt es in der NACE Rev. 2 nicht.",
			isa.ZH: "NACE Rev. 2 中不存在此代码。",
			isa.EN: "There is no such code in NACE Rev. 2.",
		},
		KeySection: {
			isa.DE: "Buchstabe und Ziffern des NACE-Codes passen nicht zusammen: Die Abteilung gehört zu einem anderen Abschnitt.",
			isa.ZH: "NACE 代码的字母与数字不匹配：该类别属于另一个门类。",
			isa.EN: "The letter and digits of the NACE code do not match: the division belongs to another section.",
		},
	}
}

// maxInput bounds the input Normalize looks at; no way of writing a code
// comes near it, and it keeps hostile input from costing time or echoing
// back at length.
const maxInput = 40

// Normalize returns the canonical form of a NACE Rev. 2 code at any level.
// It accepts what people and spreadsheets write: any case and white space
// (c 22.29), full-width characters (Ｃ２２．２９), a decimal comma (22,29), a
// dot or hyphen after the letter (C.22.29, C-22), no letter at all (22.29,
// 22), no dot (2229, C222) and a division without its leading zero before a
// dot (1.11, as spreadsheets turn 01.11). The code must exist in the
// classification; otherwise the error is an *isa.Error (isa.CodeInvalid, field
// industries) that names the code.
func (c *Classification) Normalize(code string) (string, error) {
	s, ok := clean(code)
	if !ok {
		return "", malformed(code)
	}
	letter := ""
	if s[0] >= 'A' && s[0] <= 'Z' {
		letter, s = s[:1], s[1:]
		if len(s) > 1 && (s[0] == '.' || s[0] == '-') {
			s = s[1:]
		}
	}
	if s == "" {
		if _, ok := c.index[letter]; !ok {
			return "", unknown(code)
		}
		return letter, nil
	}
	div, rest, ok := splitDigits(s)
	if !ok {
		return "", malformed(code)
	}
	sec, ok := c.sections[div]
	if !ok {
		return "", unknown(code)
	}
	if letter != "" && letter[0] != sec {
		return "", &isa.Error{
			Code:    isa.CodeInvalid,
			Field:   Field,
			Key:     KeySection,
			Message: fmt.Sprintf("%s: division %s belongs to section %c, not %s", quote(code), div, sec, letter),
		}
	}
	n := string(sec) + div
	if rest != "" {
		n += "." + rest
	}
	if _, ok := c.index[n]; !ok {
		return "", unknown(code)
	}
	return n, nil
}

// clean removes white space, folds full-width forms to ASCII, upper-cases
// and turns a decimal comma into a dot. It refuses anything but a letter,
// digits, dots and hyphens.
func clean(code string) (string, bool) {
	if len(code) > 4*maxInput {
		return "", false
	}
	var b strings.Builder
	for _, r := range code {
		if unicode.IsSpace(r) {
			continue
		}
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII, as Chinese input methods type it
			r -= 0xFEE0
		}
		switch {
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r == ',':
			r = '.'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
		default:
			return "", false
		}
		b.WriteRune(r)
		if b.Len() > maxInput {
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// splitDigits splits the digit part of a code into its two-digit division
// and the remaining zero, one or two digits.
func splitDigits(s string) (div, rest string, ok bool) {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		div, rest = s[:i], s[i+1:]
		if len(div) == 1 {
			div = "0" + div
		}
		if len(rest) == 0 || len(rest) > 2 {
			return "", "", false
		}
	} else {
		if len(s) < 2 || len(s) > 4 {
			return "", "", false
		}
		div, rest = s[:2], s[2:]
	}
	if len(div) != 2 || !digits(div) || (rest != "" && !digits(rest)) {
		return "", "", false
	}
	return div, rest, true
}

func malformed(code string) error {
	return &isa.Error{
		Code:    isa.CodeInvalid,
		Field:   Field,
		Key:     KeyMalformed,
		Message: fmt.Sprintf("%s is not a NACE code (write it like C22.29 or 22.29)", quote(code)),
	}
}

func unknown(code string) error {
	return &isa.Error{
		Code:    isa.CodeInvalid,
		Field:   Field,
		Key:     KeyUnknown,
		Message: fmt.Sprintf("%s is not a NACE Rev. 2 code", quote(code)),
	}
}

// quote shows the offending input, shortened so that an error never carries
// a whole pasted paragraph.
func quote(code string) string {
	short := code
	if len(short) > 4*maxInput {
		short = short[:4*maxInput]
	}
	r := []rune(short)
	cut := len(short) < len(code)
	if len(r) > maxInput {
		r, cut = r[:maxInput], true
	}
	if cut {
		return fmt.Sprintf("%q…", string(r))
	}
	return fmt.Sprintf("%q", code)
}
