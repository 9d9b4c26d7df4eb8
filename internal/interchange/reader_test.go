package interchange

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// got is what a reader yielded for one record, reduced to what tests check.
type got struct {
	pos   int // line or row
	typ   string
	key   string // problem key when rejected
	title string // the title or name field, to see the text came through
}

// drain reads all records; fatal is the key of a file error, if any.
func drain(t *testing.T, rd reader) (out []got, fatal string) {
	t.Helper()
	for i := 0; i < 10000; i++ {
		rec, p, err := rd.next()
		if errors.Is(err, io.EOF) {
			return out, ""
		}
		if err != nil {
			var fe *fileError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *fileError: %v", err)
			}
			return out, fe.p.Key
		}
		if p != nil {
			out = append(out, got{pos: max(p.Pos.Line, p.Pos.Row), key: p.Key})
			continue
		}
		g := got{pos: max(rec.pos.Line, rec.pos.Row), typ: rec.typ}
		g.title, _ = rec.fields.str("title")
		if g.title == "" {
			g.title, _ = rec.fields.str("name")
		}
		out = append(out, g)
	}
	t.Fatal("reader does not end")
	return nil, ""
}

func equalGot(a, b []got) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestJSONLReader(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []got
		fatal string
	}{
		{"skips blank lines and comments and counts them as lines",
			"// organisations\n\n{\"type\":\"organisation\",\"name\":\"A\"}\n   \n{\"type\":\"listing\",\"title\":\"T\"}\n",
			[]got{{3, "organisation", "", "A"}, {5, "listing", "", "T"}}, ""},
		{"accepts CRLF line ends and a missing final newline",
			"{\"type\":\"organisation\",\"name\":\"A\"}\r\n{\"type\":\"listing\",\"title\":\"T\"}",
			[]got{{1, "organisation", "", "A"}, {2, "listing", "", "T"}}, ""},
		{"skips a UTF-8 byte order mark",
			"\uFEFF{\"type\":\"organisation\",\"name\":\"Ä\"}\n",
			[]got{{1, "organisation", "", "Ä"}}, ""},
		{"rejects malformed JSON and reads on",
			"{\"type\":\"organisation\",\"name\":\"A\",}\n{\"type\":\"listing\",\"title\":\"T\"}\n",
			[]got{{1, "", "json.syntax", ""}, {2, "listing", "", "T"}}, ""},
		{"rejects a line that is not an object",
			"[1,2]\n\"text\"\nnull\n",
			[]got{{1, "", "json.object", ""}, {2, "", "json.object", ""}, {3, "", "json.object", ""}}, ""},
		{"reports a cut-off last line as truncated",
			"{\"type\":\"organisation\",\"name\":\"A\"}\n{\"type\":\"listing\",\"title\":\"Zahnr",
			[]got{{1, "organisation", "", "A"}, {2, "", "file.truncated", ""}}, ""},
		{"reports a complete but broken last line as a syntax error",
			"{\"type\":\"organisation\" \"name\":\"A\"}",
			[]got{{1, "", "json.syntax", ""}}, ""},
		{"rejects invalid UTF-8 in a line",
			"{\"type\":\"organisation\",\"name\":\"K\xf6ln\"}\n{\"type\":\"listing\",\"title\":\"T\"}\n",
			[]got{{1, "", "enc.utf8", ""}, {2, "listing", "", "T"}}, ""},
		{"refuses UTF-16 with byte order mark",
			"\xff\xfe{\x00\"\x00", nil, "file.utf16"},
		{"refuses UTF-16 without byte order mark",
			"{\x00\"\x00t\x00", nil, "file.utf16"},
		{"yields an empty type when the field is missing",
			"{\"name\":\"A\"}\n", []got{{1, "", "", "A"}}, ""},
		{"rejects a type that is not a text",
			"{\"type\":7}\n", []got{{1, "", "want.text", ""}}, ""},
		{"reads an empty file as no records", "", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := newJSONLReader(strings.NewReader(tc.in), "f.jsonl")
			var fatal string
			var out []got
			if err != nil {
				var fe *fileError
				if !errors.As(err, &fe) {
					t.Fatal(err)
				}
				fatal = fe.p.Key
			} else {
				out, fatal = drain(t, rd)
			}
			if fatal != tc.fatal || !equalGot(out, tc.want) {
				t.Errorf("got %v, fatal %q; want %v, fatal %q", out, fatal, tc.want, tc.fatal)
			}
		})
	}
}

func TestJSONLReaderSkipsOverlongLine(t *testing.T) {
	long := "{\"type\":\"listing\",\"title\":\"" + strings.Repeat("x", maxLine) + "\"}\n"
	rd, err := newJSONLReader(strings.NewReader(long+"{\"type\":\"listing\",\"title\":\"T\"}\n"), "f.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	out, fatal := drain(t, rd)
	want := []got{{1, "", "line.long", ""}, {2, "listing", "", "T"}}
	if fatal != "" || !equalGot(out, want) {
		t.Errorf("got %v, fatal %q; want %v", out, fatal, want)
	}
}

func TestCSVReader(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []got
		fatal string
	}{
		{"detects listings by the org column",
			"ref,org,kind,title\nl1,o1,offer,Zahnräder\n",
			[]got{{2, "listing", "", "Zahnräder"}}, ""},
		{"detects organisations by the name column",
			"ref,name,kind,city\no1,Müller GmbH,company,fulda\n",
			[]got{{2, "organisation", "", "Müller GmbH"}}, ""},
		{"takes the type of each row from a type column",
			"type,ref,name,org,title\norganisation,o1,A,,\nlisting,l1,,o1,T\nLISTING,l2,,o1,U\n,l3,,o1,V\n",
			[]got{{2, "organisation", "", "A"}, {3, "listing", "", "T"}, {4, "listing", "", "U"}, {5, "", "", "V"}}, ""},
		{"refuses a header that names no record type",
			"ref,kind,city\nx,company,fulda\n", nil, "csv.type"},
		{"refuses a duplicate column",
			"ref,name,Name\nx,a,b\n", nil, "csv.dupcol"},
		{"reads a BOM, CRLF and a quoted line break as Excel writes them",
			"\uFEFFref,org,title,description\r\nl1,o1,\"Title, with comma\",\"line one\r\nline two\"\r\nl2,o1,T2,D\r\n",
			[]got{{2, "listing", "", "Title, with comma"}, {3, "listing", "", "T2"}}, ""},
		{"reads semicolon-separated files as German Excel writes them",
			"ref;org;title;industries\r\nl1;o1;Getriebe, Zahnräder;\"C28;C29\"\r\n",
			[]got{{2, "listing", "", "Getriebe, Zahnräder"}}, ""},
		{"normalises header case and spaces",
			" Ref , ORG ,Title\nl1,o1,T\n",
			[]got{{2, "listing", "", "T"}}, ""},
		{"skips rows of empty cells that spreadsheets leave",
			"ref;org;title\nl1;o1;T\n;;\n ; ; \n",
			[]got{{2, "listing", "", "T"}}, ""},
		{"reports a cut-off last row as truncated",
			"ref,org,title,description\nl1,o1,T,D\nl2,o1,T",
			[]got{{2, "listing", "", "T"}, {3, "", "file.truncated", ""}}, ""},
		{"accepts a complete last row without a final line break",
			"ref,org,title\nl1,o1,T",
			[]got{{2, "listing", "", "T"}}, ""},
		{"reports a quote that is never closed",
			"ref,org,title\nl1,o1,\"T\nl2,o1,U\n",
			[]got{{2, "", "csv.quote", ""}}, ""},
		{"reports a bare quote and reads on",
			"ref,org,title\nl1,o1,a \"b\" c\nl2,o1,U\n",
			[]got{{2, "", "csv.bare", ""}, {3, "listing", "", "U"}}, ""},
		{"rejects a row with invalid UTF-8 and reads on",
			"ref,name\no1,K\xf6ln\no2,B\n",
			[]got{{2, "", "enc.utf8", ""}, {3, "organisation", "", "B"}}, ""},
		{"refuses UTF-16 as Excel's Unicode text",
			"\xff\xfer\x00e\x00f\x00", nil, "file.utf16"},
		{"reads an empty file as no records", "", nil, ""},
		{"reads a header-only file as no records", "ref,name\n", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rd, err := newCSVReader(strings.NewReader(tc.in), "f.csv")
			var fatal string
			var out []got
			if err != nil {
				var fe *fileError
				if !errors.As(err, &fe) {
					t.Fatal(err)
				}
				fatal = fe.p.Key
			} else {
				out, fatal = drain(t, rd)
			}
			if fatal != tc.fatal || !equalGot(out, tc.want) {
				t.Errorf("got %v, fatal %q; want %v, fatal %q", out, fatal, tc.want, tc.fatal)
			}
		})
	}
}

func TestCSVReaderWarnsAboutCellsOutsideNamedColumns(t *testing.T) {
	in := "ref;name;;kind\no1;A;x;company;y\n"
	rd, err := newCSVReader(strings.NewReader(in), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	rec, p, err := rd.next()
	if err != nil || p != nil {
		t.Fatalf("next: %v %v", p, err)
	}
	var got []string
	for _, w := range rec.fields.unknown(typeOrganisation) {
		got = append(got, w.Error())
	}
	want := []string{
		"warning: the cell in column 3 is ignored: the column has no name in the header",
		"warning: the row has 5 cells but the header only 4; the extra cells are ignored",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", got, want)
	}
	if k, _ := rec.fields.str("kind"); k != "company" {
		t.Errorf("kind = %q: a nameless column shifted the cells", k)
	}
}

func TestCSVReaderKeepsQuotedLineBreaksAndLists(t *testing.T) {
	in := "ref;org;description;keywords\r\nl1;o1;\"Zeile 1\r\nZeile 2\";\"Getriebe;Zahnrad\"\r\n"
	rd, err := newCSVReader(strings.NewReader(in), "f.csv")
	if err != nil {
		t.Fatal(err)
	}
	rec, p, err := rd.next()
	if err != nil || p != nil {
		t.Fatalf("next: %v %v", p, err)
	}
	if d, _ := rec.fields.str("description"); d != "Zeile 1\nZeile 2" {
		t.Errorf("description = %q, want the line break kept as \\n", d)
	}
	if k, _ := rec.fields.list("keywords"); strings.Join(k, "|") != "Getriebe|Zahnrad" {
		t.Errorf("keywords = %q, want two items", k)
	}
}

func TestSniffDelimiter(t *testing.T) {
	tests := []struct {
		header string
		want   rune
	}{
		{"ref,name,kind\n", ','},
		{"ref;name;kind\n", ';'},
		{"ref\tname\tkind\n", '\t'},
		{"\"a;b\",name\n", ','},
		{"ref,name;kind\n", ','},
		{"ref\n", ','},
	}
	for _, tc := range tests {
		br := bufio.NewReader(strings.NewReader(tc.header))
		_, _ = br.Peek(1)
		if got := sniffDelimiter(br); got != tc.want {
			t.Errorf("%q: delimiter %q, want %q", tc.header, got, tc.want)
		}
	}
}
