// Package nace is the statistical classification of economic activities in
// the European Community, NACE Rev. 2, complete with its 21 sections, 88
// divisions, 272 groups and 615 classes, each labelled in English (the
// official title), German (the WZ 2008 wording) and Simplified Chinese.
//
// Organisations and listings name their industries with NACE codes at any
// level. This package checks and normalises such codes (Normalize), walks the
// hierarchy (Ancestors, Children, Within) and finds codes by label in any of
// the three languages for a type-ahead picker (Search).
//
// Codes are written in the canonical form of the ISA interchange format: the
// section letter followed by the division digits and, for groups and classes,
// a dot and the remaining digits: C, C22, C22.2, C22.29.
//
// The data is the embedded file nace.tsv (columns code, parent, en, de, zh),
// parsed once by Default.
package nace

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"maps"
	"strings"
	"sync"

	"github.com/isa-alliance/isa"
)

// Level is the depth of a code in the classification.
type Level int

const (
	Section  Level = iota + 1 // a letter: C
	Division                  // two digits: C22
	Group                     // three digits: C22.2
	Class                     // four digits: C22.29
)

func (l Level) String() string {
	switch l {
	case Section:
		return "section"
	case Division:
		return "division"
	case Group:
		return "group"
	case Class:
		return "class"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Entry is one section, division, group or class.
type Entry struct {
	Code   string   // canonical: C, C22, C22.2, C22.29
	Parent string   // canonical code of the parent; empty for sections
	Level  Level    //
	Label  isa.Text // de, en and zh, all present
}

// Classification is NACE Rev. 2 ready for lookup and search. It is read-only
// after parsing and safe for concurrent use.
type Classification struct {
	entries  []Entry          // in file order: every parent before its children
	index    map[string]int   // canonical code -> position in entries
	children map[string][]int // parent code ("" for the root) -> positions
	sections map[string]byte  // two-digit division -> its section letter
	labels   [3]labelIndex    // folded labels by language, for Search
}

//go:embed nace.tsv
var embedded []byte

// parseEmbedded parses the embedded file once, on first use, so that
// programs that never touch NACE pay nothing at start-up.
var parseEmbedded = sync.OnceValue(func() *Classification {
	c, err := Parse(bytes.NewReader(embedded))
	if err != nil {
		panic(fmt.Sprintf("nace: embedded nace.tsv is broken: %v", err))
	}
	return c
})

// Default returns the classification embedded in the binary. It panics only
// if the embedded file is broken, which the package tests rule out.
func Default() *Classification { return parseEmbedded() }

// header is the first line of a classification file.
const header = "code\tparent\ten\tde\tzh"

// Parse reads a classification in the format of nace.tsv: a header line, then
// one tab-separated line per entry with code, parent, en, de, zh. Parents must
// come before their children, and a code's parent must be the one its digits
// imply.
func Parse(r io.Reader) (*Classification, error) {
	c := &Classification{
		index:    make(map[string]int),
		children: make(map[string][]int),
		sections: make(map[string]byte),
	}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			if text != header {
				return nil, fmt.Errorf("line 1: header is %q, want %q", text, header)
			}
			continue
		}
		if text == "" {
			continue
		}
		e, err := c.parseLine(text)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		c.add(e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading classification: %w", err)
	}
	if line == 0 {
		return nil, fmt.Errorf("empty classification file")
	}
	c.finishLabels()
	return c, nil
}

func (c *Classification) parseLine(text string) (Entry, error) {
	f := strings.Split(text, "\t")
	if len(f) != 5 {
		return Entry{}, fmt.Errorf("%d fields, want 5 (code, parent, en, de, zh)", len(f))
	}
	code, parent := f[0], f[1]
	level, want, ok := canonicalShape(code)
	if !ok {
		return Entry{}, fmt.Errorf("code %q is not in canonical form (C, C22, C22.2, C22.29)", code)
	}
	if parent != want {
		return Entry{}, fmt.Errorf("code %s has parent %q, want %q", code, parent, want)
	}
	if _, dup := c.index[code]; dup {
		return Entry{}, fmt.Errorf("code %s appears twice", code)
	}
	if parent != "" {
		if _, ok := c.index[parent]; !ok {
			return Entry{}, fmt.Errorf("code %s: parent %s not defined before it", code, parent)
		}
	}
	if level == Division {
		if s, seen := c.sections[code[1:]]; seen {
			return Entry{}, fmt.Errorf("division %s: digits already used in section %c", code, s)
		}
	}
	label := isa.Text{isa.EN: f[2], isa.DE: f[3], isa.ZH: f[4]}
	for _, l := range isa.Langs {
		if strings.TrimSpace(label[l]) == "" {
			return Entry{}, fmt.Errorf("code %s: empty %s label", code, l)
		}
	}
	return Entry{Code: code, Parent: parent, Level: level, Label: label}, nil
}

func (c *Classification) add(e Entry) {
	i := len(c.entries)
	c.entries = append(c.entries, e)
	c.index[e.Code] = i
	c.children[e.Parent] = append(c.children[e.Parent], i)
	if e.Level == Division {
		c.sections[e.Code[1:]] = e.Code[0]
	}
	c.indexLabels(i, e)
}

// canonicalShape reports the level of a code written in canonical form and
// the parent its digits imply.
func canonicalShape(code string) (Level, string, bool) {
	if code == "" || code[0] < 'A' || code[0] > 'Z' {
		return 0, "", false
	}
	rest := code[1:]
	switch {
	case rest == "":
		return Section, "", true
	case len(rest) == 2 && digits(rest):
		return Division, code[:1], true
	case len(rest) == 4 && digits(rest[:2]) && rest[2] == '.' && digits(rest[3:]):
		return Group, code[:3], true
	case len(rest) == 5 && digits(rest[:2]) && rest[2] == '.' && digits(rest[3:]):
		return Class, code[:5], true
	}
	return 0, "", false
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Len returns the number of entries at all levels.
func (c *Classification) Len() int { return len(c.entries) }

// entry returns the entry at position i with its own copy of the labels, so
// that a caller changing them cannot corrupt the shared classification.
func (c *Classification) entry(i int) Entry {
	e := c.entries[i]
	e.Label = maps.Clone(e.Label)
	return e
}

// All returns every entry in classification order (each parent before its
// children).
func (c *Classification) All() []Entry {
	out := make([]Entry, len(c.entries))
	for i := range c.entries {
		out[i] = c.entry(i)
	}
	return out
}

// Lookup returns the entry for code, in canonical form or any form
// Normalize accepts.
func (c *Classification) Lookup(code string) (Entry, bool) {
	if i, ok := c.index[code]; ok {
		return c.entry(i), true
	}
	n, err := c.Normalize(code)
	if err != nil {
		return Entry{}, false
	}
	return c.entry(c.index[n]), true
}

// canonical returns the canonical form of code, or "" if it names nothing.
func (c *Classification) canonical(code string) string {
	if _, ok := c.index[code]; ok {
		return code
	}
	n, err := c.Normalize(code)
	if err != nil {
		return ""
	}
	return n
}

// Section returns the section letter of code ("C" for C22.29), or "" if code
// names no entry.
func (c *Classification) Section(code string) string {
	n := c.canonical(code)
	if n == "" {
		return ""
	}
	return n[:1]
}

// Ancestors returns the entries above code, from its section down to its
// parent; none for a section or a code that names no entry.
func (c *Classification) Ancestors(code string) []Entry {
	n := c.canonical(code)
	if n == "" {
		return nil
	}
	var out []Entry
	for p := c.entries[c.index[n]].Parent; p != ""; p = c.entries[c.index[p]].Parent {
		out = append(out, c.entry(c.index[p]))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Children returns the entries directly below code in code order; for the
// empty code, the 21 sections. It returns none for a class or a code that
// names no entry.
func (c *Classification) Children(code string) []Entry {
	n := ""
	if strings.TrimSpace(code) != "" {
		if n = c.canonical(code); n == "" {
			return nil
		}
	}
	idx := c.children[n]
	out := make([]Entry, len(idx))
	for k, i := range idx {
		out[k] = c.entry(i)
	}
	return out
}

// Within reports whether code equals ancestor or lies below it: C22.29 is
// within C22.2, C22 and C. It is false when either names no entry.
func (c *Classification) Within(code, ancestor string) bool {
	n, a := c.canonical(code), c.canonical(ancestor)
	if n == "" || a == "" {
		return false
	}
	for ; n != ""; n = c.entries[c.index[n]].Parent {
		if n == a {
			return true
		}
	}
	return false
}
