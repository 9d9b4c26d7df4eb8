// Package demo holds the project's own demo data: about sixty fictitious
// organisations in all 40 member cities and a hundred offers and requests
// in German, Chinese and English that fit each other across the language
// barrier, in the ISA interchange format (JSON Lines). A fresh installation
// loads it to show what the database does; tests and screenshots use it as
// realistic, stable content. Every name and domain in it is invented
// (example.com, example.cn); it contains no personal data.
package demo

import (
	"bytes"
	"embed"
	"io"
	"io/fs"
	"regexp"
	"time"

	"github.com/isa-alliance/isa"
)

// The organisations and the listings are kept in two files for the
// authors; the organisations file comes first in every stream so that each
// listing's organisation precedes it.
//
//go:embed orgs.jsonl listings.jsonl
var files embed.FS

// Files lists the embedded files in the order they must be imported.
var Files = []string{"orgs.jsonl", "listings.jsonl"}

// FileName is a name for the combined stream, for messages and for
// choosing the reader by extension.
const FileName = "demo.jsonl"

// Today is the day the data was written for: listings were published in
// the ten months before it and expire twelve months after publication; a
// few had already expired on this day. Pass it as the import day to get
// the intended mix of live and expired listings.
const Today isa.Date = "2026-11-21"

// FS returns the embedded files (see Files for their order).
func FS() fs.FS { return files }

// JSONL returns the whole data set, organisations first, as one JSON Lines
// document. Lines starting with // are comments, as the format allows.
func JSONL() []byte {
	var b bytes.Buffer
	for _, name := range Files {
		data, err := files.ReadFile(name)
		if err != nil {
			// Both names are embedded at build time; the test reads them.
			panic("demo: embedded file missing: " + name)
		}
		b.Write(data)
		if len(data) > 0 && data[len(data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// Reader returns the data set as a stream, for interchange.Import.
func Reader() io.Reader { return bytes.NewReader(JSONL()) }

// JSONLAsOf returns the data set with its listing dates moved so that on
// day today it looks as it did on Today: the same ages, the same few
// expired listings. A demo installed a year from now would otherwise show
// nothing but expired listings. Expiry stays twelve months after
// publication. An invalid or empty day gives the data unchanged.
func JSONLAsOf(today isa.Date) []byte {
	data := JSONL()
	if _, err := isa.ParseDate(string(today)); err != nil || today == Today {
		return data
	}
	shift := int(today.Time().Sub(Today.Time()).Hours() / 24)
	return datePair.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := datePair.FindSubmatch(m)
		pub := isa.Date(sub[1]).Time().AddDate(0, 0, shift)
		exp := pub.AddDate(0, 12, 0)
		return []byte(`"published":"` + pub.Format(time.DateOnly) + `","expires":"` + exp.Format(time.DateOnly) + `"`)
	})
}

// datePair finds a listing's dates; the data always writes them together,
// published first, and a test keeps it so.
var datePair = regexp.MustCompile(`"published":"(\d{4}-\d{2}-\d{2})","expires":"\d{4}-\d{2}-\d{2}"`)
