package interchange

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// maxLine bounds one JSON Lines record. The longest valid listing (10,000
// characters of description plus translations, each up to three bytes a
// character and escaped) stays far below it; a longer line is a broken file,
// and reading it whole would let one line exhaust memory.
const maxLine = 4 << 20

// fileError is a fault that makes a whole file unreadable: the problem to
// report and, for I/O failures, the cause.
type fileError struct {
	p   Problem
	err error
}

func (e *fileError) Error() string { return e.p.Error() }
func (e *fileError) Unwrap() error { return e.err }

func newFileError(file, key string, err error, args ...any) *fileError {
	p := problem("", key, args...)
	p.Pos = Position{File: file}
	return &fileError{p: p, err: err}
}

// reader yields the records of one file. next returns io.EOF at the end, a
// *fileError when the file cannot be read on, and otherwise either a record
// or a Problem that rejects the record at that position.
type reader interface {
	next() (rawRecord, *Problem, error)
	// kind says which record types the file holds: typeOrganisation,
	// typeListing, or "" for both (or not known before reading).
	kind() string
}

// checkBOM looks at the first bytes: it skips a UTF-8 byte order mark and
// refuses UTF-16, which Excel writes as "Unicode text" and which would
// otherwise surface as a confusing syntax error on every line.
func checkBOM(br *bufio.Reader, file string) error {
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return newFileError(file, "file.read", err, err.Error())
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return newFileError(file, "file.utf16", nil)
	case len(head) >= 2 && (head[0] == 0 || head[1] == 0):
		// UTF-16 without a byte order mark: ASCII text with NUL bytes between.
		return newFileError(file, "file.utf16", nil)
	}
	return nil
}

// jsonlReader reads JSON Lines: one object per line, blank lines and lines
// starting with // skipped.
type jsonlReader struct {
	br   *bufio.Reader
	file string
	line int
	buf  []byte
	eof  bool
}

func newJSONLReader(r io.Reader, file string) (*jsonlReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if err := checkBOM(br, file); err != nil {
		return nil, err
	}
	return &jsonlReader{br: br, file: file}, nil
}

func (r *jsonlReader) kind() string { return "" }

// readLine returns the next line without its line end; complete is false
// when the file ended without a final newline, tooLong when the line was
// skipped for its length.
func (r *jsonlReader) readLine() (line []byte, complete, tooLong bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !tooLong {
			if len(r.buf)+len(chunk) > maxLine {
				tooLong = true
				r.buf = r.buf[:0]
			} else {
				r.buf = append(r.buf, chunk...)
			}
		}
		switch {
		case err == nil:
			return bytes.TrimRight(r.buf, "\r\n"), true, tooLong, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(r.buf) == 0 && !tooLong {
				return nil, false, false, io.EOF
			}
			return bytes.TrimRight(r.buf, "\r"), false, tooLong, nil
		default:
			return nil, false, false, err
		}
	}
}

func (r *jsonlReader) next() (rawRecord, *Problem, error) {
	for {
		if r.eof {
			return rawRecord{}, nil, io.EOF
		}
		line, complete, tooLong, err := r.readLine()
		if errors.Is(err, io.EOF) {
			r.eof = true
			return rawRecord{}, nil, io.EOF
		}
		if err != nil {
			return rawRecord{}, nil, newFileError(r.file, "file.read", err, err.Error())
		}
		r.line++
		r.eof = !complete
		pos := Position{File: r.file, Line: r.line}
		reject := func(p Problem) (rawRecord, *Problem, error) {
			p.Pos = pos
			return rawRecord{pos: pos}, &p, nil
		}
		if tooLong {
			return reject(problem("", "line.long", maxLine))
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || bytes.HasPrefix(line, []byte("//")) {
			continue
		}
		if !utf8.Valid(line) {
			return reject(problem("", "enc.utf8"))
		}
		f, err := decodeJSON(line)
		if err != nil {
			var syn *json.SyntaxError
			switch {
			case errors.Is(err, io.ErrUnexpectedEOF) && !complete:
				return reject(problem("", "file.truncated"))
			case errors.Is(err, errNotObject):
				return reject(problem("", "json.object"))
			case errors.As(err, &syn):
				// People count characters, the decoder bytes.
				off := min(int(syn.Offset), len(line))
				return reject(problem("", "json.syntax", utf8.RuneCount(line[:off])))
			default:
				// A value cut short inside a line, or a number too
				// large for any field.
				return reject(problem("", "json.syntax", utf8.RuneCount(line)))
			}
		}
		rec := rawRecord{pos: pos, fields: f}
		typ, p := f.str("type")
		if p != nil {
			return reject(*p)
		}
		rec.typ = strings.ToLower(strings.TrimSpace(typ))
		return rec, nil, nil
	}
}

// typeError is the problem for a record without a valid type.
func typeError(typ string) Problem {
	if typ == "" {
		return problem("type", "type.missing")
	}
	return problem("type", "type.unknown", typ)
}
