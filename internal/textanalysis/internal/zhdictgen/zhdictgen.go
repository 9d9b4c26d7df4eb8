// Package zhdictgen builds the compact Chinese dictionary that
// internal/textanalysis embeds (zhdict.bin) from gse's simplified Chinese
// dictionary. It loads the dictionary through gse itself, so that the words
// and frequencies are exactly the ones gse's own loader keeps (its line
// parsing, lower-casing, frequency filter and first-entry-wins rule), and
// writes them sorted, front-coded and without part-of-speech tags.
//
// It is used by the generator (go generate in internal/textanalysis) and by
// the test that checks the committed file is current; the binary never
// links it, so gse's 15 MB of embedded dictionaries stay out of it.
package zhdictgen

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"math"
	"os/exec"
	"runtime/debug"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// Module is the module the dictionary comes from.
const Module = "github.com/go-ego/gse"

// Magic starts every payload; the digit is the format version.
const Magic = "ISAZH1\n"

// Entry is one dictionary word with its frequency.
type Entry struct {
	Key  string
	Freq uint32
}

// Dict is the dictionary as gse's Segmenter.Cut uses it: the words it can
// find and their frequencies, and the sum of all frequencies.
type Dict struct {
	Entries []Entry // sorted by Key, bytewise
	Total   uint64
}

// Load loads the dictionary the way the analyser used to load it at run
// time, through gse, and returns what segmentation reads of it.
func Load() (Dict, error) {
	seg := &gse.Segmenter{SkipLog: true}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return Dict{}, fmt.Errorf("zhdictgen: load gse dictionary: %w", err)
	}
	return FromSegmenter(seg)
}

// FromSegmenter returns the dictionary of a loaded gse segmenter. It fails
// where the compact form could not represent the dictionary exactly.
func FromSegmenter(seg *gse.Segmenter) (Dict, error) {
	d := seg.Dictionary()
	total := d.TotalFreq()
	if total != math.Trunc(total) || total < 0 || total >= 1<<53 {
		return Dict{}, fmt.Errorf("zhdictgen: total frequency %v is no exact integer", total)
	}
	out := Dict{Total: uint64(total), Entries: make([]Entry, 0, len(d.Tokens))}
	seen := make(map[string]bool, len(d.Tokens))
	for i := range d.Tokens {
		t := &d.Tokens[i]
		key, f := t.Text(), t.Freq()
		// The segmenter only ever looks up non-empty, valid UTF-8 text
		// without NUL bytes; a key outside that would need handling the
		// compact form does not have.
		switch {
		case key == "" || !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0:
			return Dict{}, fmt.Errorf("zhdictgen: token %d %q cannot be represented", i, key)
		case f != math.Trunc(f) || f < 1 || f > math.MaxUint32:
			return Dict{}, fmt.Errorf("zhdictgen: token %q has frequency %v, no 32-bit integer", key, f)
		case seen[key]:
			return Dict{}, fmt.Errorf("zhdictgen: token %q appears twice", key)
		}
		seen[key] = true
		out.Entries = append(out.Entries, Entry{Key: key, Freq: uint32(f)})
	}
	sort.Slice(out.Entries, func(i, j int) bool { return out.Entries[i].Key < out.Entries[j].Key })
	return out, nil
}

// Encode writes the payload: Magic, the entry count and the total as
// uvarints, then per entry the number of bytes shared with the previous key,
// the length of the rest, the rest and the frequency (uvarints but the
// bytes). Sorted keys share most of their first character, which is what
// keeps the file small.
func Encode(d Dict) []byte {
	var b bytes.Buffer
	b.WriteString(Magic)
	b.Write(binary.AppendUvarint(nil, uint64(len(d.Entries))))
	b.Write(binary.AppendUvarint(nil, d.Total))
	prev := ""
	var num []byte
	for _, e := range d.Entries {
		n := 0
		for n < len(prev) && n < len(e.Key) && prev[n] == e.Key[n] {
			n++
		}
		num = binary.AppendUvarint(num[:0], uint64(n))
		num = binary.AppendUvarint(num, uint64(len(e.Key)-n))
		b.Write(num)
		b.WriteString(e.Key[n:])
		b.Write(binary.AppendUvarint(num[:0], uint64(e.Freq)))
		prev = e.Key
	}
	return b.Bytes()
}

// Compress deflates a payload. The test that the committed file is current
// compares inflated payloads, so a change of compress/flate's output
// between Go versions does not make it fail.
func Compress(payload []byte) ([]byte, error) {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(payload); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Source returns module@version of gse, to be recorded with the payload:
// the analyser's fingerprint names it. It is read from the build
// information of the running program, or, where that has none (test
// binaries), from the go command, which reads go.mod.
func Source() (string, error) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == Module {
				v := d.Version
				if d.Replace != nil {
					v = d.Replace.Path + "@" + d.Replace.Version
				}
				return d.Path + "@" + v, nil
			}
		}
	}
	out, err := exec.Command("go", "list", "-m", "-f",
		"{{.Path}}@{{with .Replace}}{{.Path}}@{{.Version}}{{else}}{{.Version}}{{end}}", Module).Output()
	if err != nil {
		return "", fmt.Errorf("zhdictgen: version of %s: %w", Module, err)
	}
	return strings.TrimSpace(string(out)), nil
}
