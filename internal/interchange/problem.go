package interchange

import (
	"fmt"
	"strings"

	"github.com/isa-alliance/isa"
)

// Position locates a record in its file: the line of a JSON Lines file or
// the row of a CSV file as a spreadsheet numbers it (the header is row 1).
type Position struct {
	File string
	Line int // JSON Lines; 0 for CSV
	Row  int // CSV; 0 for JSON Lines
}

// Text renders the position in language l, e.g. "orgs.csv, row 12".
func (p Position) Text(l isa.Lang) string {
	var s string
	switch {
	case p.Row > 0:
		s = msg(l, "pos.row", p.Row)
	case p.Line > 0:
		s = msg(l, "pos.line", p.Line)
	}
	switch {
	case p.File == "":
		return s
	case s == "":
		return p.File
	default:
		return p.File + ", " + s
	}
}

func (p Position) String() string { return p.Text(isa.EN) }

// Severity tells a rejection from a warning.
type Severity int

const (
	// Error rejects the record (or, without a record, the whole file).
	Error Severity = iota
	// Warning reports something the import ignored or assumed; the record
	// still imports.
	Warning
)

// Problem is one finding about a record or a file: where, which field, and
// why. Its text exists in de, zh and en; Error gives the English one.
type Problem struct {
	Pos      Position
	Severity Severity
	Field    string // the field concerned, as named in the file; "" for the record
	Key      string // message key in the catalogue
	Args     []any  // message arguments
}

// Text renders the problem in language l as one line, e.g.
// `listings.jsonl, line 12: field "city": unknown member city "Berlin" (...)`.
func (p Problem) Text(l isa.Lang) string {
	var b strings.Builder
	if pos := p.Pos.Text(l); pos != "" {
		b.WriteString(pos)
		b.WriteString(msg(l, "sep"))
	}
	if p.Severity == Warning {
		b.WriteString(msg(l, "warning"))
		b.WriteString(msg(l, "sep"))
	}
	if p.Field != "" {
		b.WriteString(msg(l, "field", p.Field))
		b.WriteString(msg(l, "sep"))
	}
	b.WriteString(msg(l, p.Key, p.Args...))
	return b.String()
}

func (p Problem) Error() string { return p.Text(isa.EN) }

// AsError returns the problem as a domain error (code invalid) for callers
// such as the HTTP API that speak the project's error vocabulary.
func (p Problem) AsError() *isa.Error {
	return &isa.Error{Code: isa.CodeInvalid, Field: p.Field, Message: p.Pos.String() + ": " + msg(isa.EN, p.Key, p.Args...), Key: "interchange." + p.Key}
}

func problem(field, key string, args ...any) Problem {
	return Problem{Field: field, Key: key, Args: args}
}

func warning(field, key string, args ...any) Problem {
	return Problem{Severity: Warning, Field: field, Key: key, Args: args}
}

// quoted renders names as a list of quoted names: "a", "b".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
