package interchange

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// readAndValidate runs a reader to its end and validates every record, as
// Import does without the store. It fails when positions do not increase or
// the reader does not end: a panic fails the fuzz target by itself.
func readAndValidate(t *testing.T, rd reader) {
	v := testValidator()
	last := 0
	for i := 0; ; i++ {
		if i > 1<<20 {
			t.Fatal("reader does not end")
		}
		rec, p, err := rd.next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			var fe *fileError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *fileError: %v", err)
			}
			return
		}
		pos := rec.pos
		if p != nil {
			pos = p.Pos
			_ = p.Text("zh")
		}
		n := max(pos.Line, pos.Row)
		if n <= last {
			t.Fatalf("position %d after %d", n, last)
		}
		last = n
		if p != nil {
			continue
		}
		var c check
		switch rec.typ {
		case typeOrganisation:
			_, _, c = v.organisation(rec.fields)
		case typeListing:
			_, c = v.listing(rec.fields)
		}
		for _, p := range c.problems {
			_ = p.Text("de")
		}
	}
}

func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(everyField))
	f.Add([]byte(brokenFile))
	f.Add([]byte("\uFEFF{\"type\":\"organisation\",\"ref\":\"o\",\"name\":\"n\",\"kind\":\"company\",\"city\":\"koeln\",\"founded\":1e400}\r\n"))
	f.Add([]byte("{\"type\":\"listing\",\"translations\":{\"en\":null},\"keywords\":[null,\"\"],\"published\":\"31.02.2026\"}\n// c\n\n"))
	f.Add([]byte("\xff\xfe{\x00"))
	f.Add([]byte("{\"type\":\"listing\",\"title\":\"\xe4\"}"))
	f.Add([]byte("{\"type\":\"organisation\",\"names\":{\"xx\":\"a\"},\"about\":[],\"industries\":[\"C22.\",\"c\"]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := newJSONLReader(bytes.NewReader(data), "fuzz.jsonl")
		if err != nil {
			return
		}
		readAndValidate(t, rd)
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("\uFEFFtype;ref;org;title;description;keywords\r\nlisting;l1;o1;\"a\r\nb\";d;\"x;y\"\r\n;;;;;\r\n"))
	f.Add([]byte("ref,name,kind,city,names_en,about_zh,founded\no1,A,company,佛山,A Ltd,关于,1990\no2,\"B\"\"\",research,koeln,,,x\n"))
	f.Add([]byte("ref,org,title,description,title_en,description_en,published,expires\nl1,o1,T,D,E,F,1.2.2026,2027-01-01\nl2,o1,\"open"))
	f.Add([]byte("ref\tname\nx\ty\tz\n"))
	f.Add([]byte("type,ref\nfirm,x\n,\n"))
	f.Add([]byte("ref,name\no1,K\xf6ln\n"))
	f.Add([]byte("\xff\xfer\x00"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := newCSVReader(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return
		}
		readAndValidate(t, rd)
	})
}
