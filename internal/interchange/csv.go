package interchange

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// csvReader reads one CSV file of organisations or listings.
//
// The record type comes from a "type" column when there is one (row by row,
// so one file may even mix both types); otherwise a header with an "org" or
// "title" column means listings and one with a "name" column means
// organisations.
//
// It reads one row ahead: only at the end of the file can it tell whether
// the last row was cut off (no final line break and fewer cells than the
// header).
type csvReader struct {
	cr      *csv.Reader
	tail    *tailReader
	file    string
	header  []string
	typ     string // record type for every row; "" when a type column decides
	row     int    // spreadsheet row of pending
	pending []string
	pendErr error
	done    bool
}

// tailReader remembers the last byte read, so that the reader can tell a
// file that ends with a line break from one that was cut off.
type tailReader struct {
	r    io.Reader
	last byte
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.last = p[n-1]
	}
	return n, err
}

// sniffDelimiter looks at the header line: German Excel writes ";" because
// "," is the decimal separator there, and Excel's "Unicode text" uses tabs.
// A comma in the header (outside quotes) always wins, since our column
// names never contain one.
func sniffDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Buffered())
	if len(head) == 0 {
		head, _ = br.Peek(4096)
	}
	if i := strings.IndexByte(string(head), '\n'); i >= 0 {
		head = head[:i]
	}
	var commas, semis, tabs int
	inQuote := false
	for _, c := range head {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == ',':
			commas++
		case c == ';':
			semis++
		case c == '\t':
			tabs++
		}
	}
	switch {
	case commas == 0 && semis > 0:
		return ';'
	case commas == 0 && tabs > 0:
		return '\t'
	}
	return ','
}

func newCSVReader(r io.Reader, file string) (*csvReader, error) {
	t := &tailReader{r: r}
	br := bufio.NewReaderSize(t, 64<<10)
	if err := checkBOM(br, file); err != nil {
		return nil, err
	}
	// Fill the buffer so that the header line can be inspected.
	_, _ = br.Peek(64 << 10)
	cr := csv.NewReader(br)
	cr.Comma = sniffDelimiter(br)
	cr.FieldsPerRecord = -1
	c := &csvReader{cr: cr, tail: t, file: file}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		c.done = true
		return c, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, newFileError(file, "csv.syntax", err, pe.Err.Error())
		}
		return nil, newFileError(file, "file.read", err, err.Error())
	}
	c.row = 1
	seen := make(map[string]bool, len(header))
	hasType := false
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		if !utf8.ValidString(h) {
			return nil, newFileError(file, "enc.utf8", nil)
		}
		if h != "" && seen[h] {
			return nil, newFileError(file, "csv.dupcol", nil, h)
		}
		seen[h] = true
		header[i] = h
		hasType = hasType || h == "type"
	}
	c.header = header
	switch {
	case hasType:
	case seen["org"] || seen["title"]:
		c.typ = typeListing
	case seen["name"]:
		c.typ = typeOrganisation
	default:
		return nil, newFileError(file, "csv.type", nil)
	}
	c.advance()
	return c, nil
}

// kind tells the record type of the file; with a type column, the first
// row's type stands for the file, which orders the files of an export that
// writes the column (and most files people make) correctly.
func (c *csvReader) kind() string {
	if c.typ != "" || c.pendErr != nil {
		return c.typ
	}
	for i, h := range c.header {
		if h == "type" && i < len(c.pending) {
			if t := strings.ToLower(strings.TrimSpace(c.pending[i])); t == typeOrganisation || t == typeListing {
				return t
			}
		}
	}
	return ""
}

// advance reads the row after the pending one.
func (c *csvReader) advance() {
	rec, err := c.cr.Read()
	c.pending, c.pendErr = rec, err
}

func (c *csvReader) next() (rawRecord, *Problem, error) {
	for {
		if c.done {
			return rawRecord{}, nil, io.EOF
		}
		rec, err := c.pending, c.pendErr
		if errors.Is(err, io.EOF) {
			c.done = true
			return rawRecord{}, nil, io.EOF
		}
		c.row++
		pos := Position{File: c.file, Row: c.row}
		reject := func(p Problem) (rawRecord, *Problem, error) {
			p.Pos = pos
			return rawRecord{pos: pos}, &p, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				c.done = true
				return rawRecord{}, nil, newFileError(c.file, "file.read", err, err.Error())
			}
			c.advance()
			switch {
			case errors.Is(pe.Err, csv.ErrQuote):
				return reject(problem("", "csv.quote"))
			case errors.Is(pe.Err, csv.ErrBareQuote):
				return reject(problem("", "csv.bare"))
			default:
				return reject(problem("", "csv.syntax", pe.Err.Error()))
			}
		}
		// The row is handed out below; keep it before reading ahead, since
		// the csv.Reader returns a fresh slice for every row.
		c.advance()
		last := errors.Is(c.pendErr, io.EOF)
		empty := true
		for _, cell := range rec {
			if strings.TrimSpace(cell) != "" {
				empty = false
				break
			}
		}
		if empty {
			// Spreadsheets leave rows of empty cells (";;;;") at the end.
			continue
		}
		if last && c.tail.last != '\n' && len(rec) < len(c.header) {
			return reject(problem("", "file.truncated"))
		}
		f := make(csvFields, len(c.header))
		var warn []Problem
		extra := false
		for i, cell := range rec {
			cell = strings.TrimSpace(cell)
			if cell == "" {
				continue
			}
			if !utf8.ValidString(cell) {
				return reject(problem("", "enc.utf8"))
			}
			if i >= len(c.header) {
				if !extra {
					warn = append(warn, warning("", "csv.extra", len(rec), len(c.header)))
					extra = true
				}
				continue
			}
			if c.header[i] == "" {
				warn = append(warn, warning("", "csv.noname", i+1))
				continue
			}
			f[c.header[i]] = cell
		}
		out := rawRecord{pos: pos, typ: c.typ, fields: f}
		if c.typ == "" {
			out.typ = strings.ToLower(f["type"])
		}
		if len(warn) > 0 {
			out.fields = csvWithWarnings{f, warn}
		}
		return out, nil, nil
	}
}

// csvWithWarnings carries warnings found while reading a row to the
// validator, which reports them with the record's other findings.
type csvWithWarnings struct {
	csvFields
	warn []Problem
}

func (f csvWithWarnings) unknown(typ string) []Problem {
	return append(f.warn, f.csvFields.unknown(typ)...)
}
