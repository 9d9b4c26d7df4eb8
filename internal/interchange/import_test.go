package interchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

const today = isa.Date("2026-11-21")

// engines runs fn against a fresh store on every database engine.
func engines(t *testing.T, fn func(t *testing.T, open func(t *testing.T) isa.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, func(t *testing.T) isa.Store { return storagetest.OpenSQLite(t) }) })
	t.Run("postgres", func(t *testing.T) { fn(t, func(t *testing.T) isa.Store { return storagetest.OpenPostgres(t) }) })
}

// everyField uses every field of both record types: translations, names,
// about, lists, dates, contacts, a listing without lang and an expired one.
const everyField = `// ISA interchange test file: every field of format version 1
{"type":"organisation","ref":"t-org-1","name":"Rhein-Getriebe GmbH","names":{"en":"Rhine Gears Ltd","zh":"莱茵齿轮有限公司"},"kind":"company","city":"koeln","size":"medium","founded":1987,"website":"https://www.rhein-getriebe.example.com","email":"vertrieb@rhein-getriebe.example.com","phone":"+49 221 555 0100","industries":["C28.15","C25.62"],"about":{"de":"Stirnrad- und Kegelradgetriebe für den Maschinenbau.","en":"Spur and bevel gearboxes for machine builders.","zh":"为机械制造提供直齿和锥齿轮减速机。"}}
{"type":"organisation","ref":"t-org-2","name":"佛山市顺达电机有限公司","names":{"en":"Foshan Shunda Motor Co., Ltd."},"kind":"company","city":"佛山","size":"large","founded":2003,"website":"https://www.shunda-motor.example.cn","email":"j.wu@shunda-motor.example.cn","industries":["C27.11"],"about":{"zh":"三相异步电机制造商。"}}
{"type":"organisation","ref":"t-org-3","name":"Institut für Produktionstechnik","kind":"research","city":"Bad Homburg","industries":["M72.19"]}

{"type":"listing","ref":"t-lst-1","org":"t-org-1","kind":"offer","lang":"de","title":"Kegelradgetriebe in Kleinserie","description":"Wir fertigen Kegelradgetriebe & Stirnradgetriebe <bis 50 kNm>.\nLieferzeit 6 Wochen.","translations":{"en":{"title":"Bevel gearboxes in small batches","description":"We build bevel and spur gearboxes up to 50 kNm."},"zh":{"title":"小批量锥齿轮减速机","description":"我司生产锥齿轮及直齿轮减速机。"}},"cooperation":["supply","manufacturing"],"industries":["C28.15"],"keywords":["Getriebe","Kegelrad","gearbox"],"published":"2026-03-01","expires":"2027-02-28"}
{"type":"listing","ref":"t-lst-2","org":"t-org-2","kind":"request","title":"诚寻德国电机技术合作伙伴","description":"我司专业生产三相异步电机，诚寻德国合作伙伴进行技术许可。","cooperation":["licensing","joint_venture"],"published":"2026-06-15"}
{"type":"listing","ref":"t-lst-3","org":"t-org-1","kind":"request","lang":"en","title":"Distributor for gearboxes in Guangdong","description":"We look for a distributor.","cooperation":["distribution"],"keywords":["分销"],"published":"2025-05-01","expires":"2026-05-01"}
{"type":"listing","ref":"t-lst-4","org":"t-org-3","kind":"offer","lang":"de","title":"Prozessforschung Zerspanung","description":"Versuche und Studien.","published":"2026-11-01","expires":"2026-12-01"}
`

func importString(t *testing.T, st isa.Store, opts Options, name, content string) Summary {
	t.Helper()
	if opts.Today == "" {
		opts.Today = today
	}
	sum, err := Import(context.Background(), st, opts, Source{Name: name, R: strings.NewReader(content)})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return sum
}

// snapshot is the whole content of a store as the format sees it.
type snapshot struct {
	Orgs     []isa.Organisation
	Contacts map[string][]isa.ContactPerson
	Listings []isa.Listing
}

func takeSnapshot(t *testing.T, st isa.Store) snapshot {
	t.Helper()
	ctx := context.Background()
	s := snapshot{Contacts: map[string][]isa.ContactPerson{}}
	f := isa.OrgFilter{Limit: 500}
	for {
		page, err := st.Organisations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Items {
			cs, err := st.Contacts(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i := range cs {
				cs[i].ID, cs[i].OrgID = 0, 0
			}
			s.Contacts[o.Ref] = cs
			o.ID, o.CreatedAt, o.UpdatedAt = 0, time.Time{}, time.Time{}
			s.Orgs = append(s.Orgs, o)
		}
		if page.Next == "" {
			break
		}
		f.After = page.Next
	}
	lf := isa.ListingFilter{Limit: 500}
	for {
		page, err := st.Listings(ctx, lf)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range page.Items {
			l.ID, l.OrgID, l.CreatedAt, l.UpdatedAt = 0, 0, time.Time{}, time.Time{}
			s.Listings = append(s.Listings, l)
		}
		if page.Next == "" {
			break
		}
		lf.After = page.Next
	}
	slices.SortFunc(s.Orgs, func(a, b isa.Organisation) int { return strings.Compare(a.Ref, b.Ref) })
	slices.SortFunc(s.Listings, func(a, b isa.Listing) int { return strings.Compare(a.Ref, b.Ref) })
	return s
}

func TestRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		ctx := context.Background()
		a := open(t)
		sum := importString(t, a, Options{}, "every.jsonl", everyField)
		if sum.Created != 7 || sum.Rejected != 0 || sum.Warnings != 0 || sum.ExitCode() != 0 {
			t.Fatalf("first import: %s; problems %v", sum, sum.Problems)
		}
		sum = importString(t, a, Options{}, "every.jsonl", everyField)
		if sum.Unchanged != 7 || sum.Created+sum.Updated+sum.Rejected != 0 {
			t.Errorf("second import of the same file: %s, want everything unchanged", sum)
		}
		want := takeSnapshot(t, a)
		if len(want.Orgs) != 3 || len(want.Listings) != 4 {
			t.Fatalf("store holds %d organisations and %d listings, want 3 and 4", len(want.Orgs), len(want.Listings))
		}
		if l := want.Listings[1]; l.Lang != isa.ZH || l.Expires != "2027-06-15" || l.State != isa.Published {
			t.Errorf("listing without lang and expiry: %+v", l)
		}
		if l := want.Listings[2]; l.State != isa.Expired {
			t.Errorf("listing past its expiry imported as %s, want expired", l.State)
		}
		if c := want.Contacts["t-org-1"]; len(c) != 1 || c[0].Email != "vertrieb@rhein-getriebe.example.com" || c[0].Phone != "+49 221 555 0100" {
			t.Errorf("contacts of t-org-1: %+v", c)
		}

		var jsonl bytes.Buffer
		if _, err := Export(ctx, a, &jsonl, JSONL); err != nil {
			t.Fatal(err)
		}
		b := open(t)
		if sum := importString(t, b, Options{}, "export.jsonl", jsonl.String()); sum.Created != 7 || sum.Rejected+sum.Warnings != 0 {
			t.Fatalf("import of the JSONL export: %s; problems %v", sum, sum.Problems)
		}
		if got := takeSnapshot(t, b); !reflect.DeepEqual(got, want) {
			t.Errorf("after JSONL round trip\n got %+v\nwant %+v", got, want)
		}
		var again bytes.Buffer
		if _, err := Export(ctx, b, &again, JSONL); err != nil {
			t.Fatal(err)
		}
		if again.String() != jsonl.String() {
			t.Errorf("export of the re-imported data differs:\n%s\n---\n%s", again.String(), jsonl.String())
		}

		dir := t.TempDir()
		es, err := ExportFiles(ctx, a, dir+"/", "")
		if err != nil || es.Organisations != 3 || es.Listings != 4 || len(es.Files) != 2 {
			t.Fatalf("CSV export: %+v, %v", es, err)
		}
		c := open(t)
		// The listings file is named first: the import still reads the
		// organisations first.
		sum, err = ImportFiles(ctx, c, Options{Today: today}, es.Files[1], es.Files[0])
		if err != nil || sum.Created != 7 || sum.Rejected+sum.Warnings != 0 {
			t.Fatalf("import of the CSV export: %s, %v; problems %v", sum, err, sum.Problems)
		}
		if got := takeSnapshot(t, c); !reflect.DeepEqual(got, want) {
			t.Errorf("after CSV round trip\n got %+v\nwant %+v", got, want)
		}
		if sum, _ := ImportFiles(ctx, c, Options{Today: today}, dir); sum.Unchanged != 7 {
			t.Errorf("second import of the CSV directory: %s, want everything unchanged", sum)
		}
	})
}

func TestImportDevset(t *testing.T) {
	const devset = "../../../shared/data/devset/listings.jsonl"
	if _, err := os.Stat(devset); err != nil {
		t.Skip("devset not present next to the repository")
	}
	st := storagetest.OpenSQLite(t)
	sum, err := ImportFiles(context.Background(), st, Options{Today: today}, devset)
	if err != nil || sum.Created != 204 || sum.Rejected != 0 || sum.Warnings != 0 {
		t.Fatalf("devset import: %s, %v; problems %v", sum, err, sum.Problems)
	}
}

// brokenFile mixes good records with one of each fault the format names.
const brokenFile = `{"type":"organisation","ref":"b-org-1","name":"Gut GmbH","kind":"company","city":"fulda"}
{"type":"organisation","ref":"b-org-2","name":"Berliner AG","kind":"company","city":"Berlin"}
{"type":"organisation","ref":"b-org-3","name":"Kaputt" "kind":"company"}
{"type":"firm","ref":"x"}
{"type":"listing","ref":"b-lst-1","org":"b-org-1","kind":"offer","lang":"de","title":"Gut","description":"Gut.","fax":"1"}
{"type":"listing","ref":"b-lst-2","org":"b-org-9","kind":"offer","lang":"de","title":"Waise","description":"Ohne Organisation."}
{"type":"listing","ref":"b-lst-3","org":"b-org-2","kind":"offer","lang":"de","title":"Folgefehler","description":"Organisation abgewiesen."}
{"type":"listing","ref":"b-lst-4","org":"b-org-1","kind":"offer","lang":"de","title":"Datum","description":"x","published":"2026-02-30"}
{"type":"listing","ref":"b-lst-5","org":"b-org-1","kind":"offer","lang":"de","title":"NACE","description":"x","industries":["X1"]}
{"type":"listing","ref":"b-lst-6","org":"b-org-1","kind":"request","description":"x"}
{"type":"listing","ref":"b-lst-7","org":"b-org-1","kind":"offer","lang":"de","title":"Abgeschnit`

func TestImportRejectsBadRecordsAndKeepsGoodOnes(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		st := open(t)
		var report bytes.Buffer
		sum := importString(t, st, Options{Report: &report}, "broken.jsonl", brokenFile)
		if sum.Created != 2 || sum.Rejected != 9 || sum.Warnings != 1 || sum.ExitCode() != 1 {
			t.Errorf("summary %s, exit %d; want 2 imported, 9 rejected, 1 warning, exit 1", sum, sum.ExitCode())
		}
		wantLines := []string{
			`broken.jsonl, line 2: field "city": unknown member city "Berlin" (use a slug such as "bad-homburg" or a city name in German, English or Chinese)`,
			`broken.jsonl, line 3: not valid JSON (error at character 56): each line must be one complete object {"type": ...}`,
			`broken.jsonl, line 4: field "type": unknown record type "firm": use "organisation" or "listing"`,
			`broken.jsonl, line 5: warning: unknown fields are ignored: "fax"`,
			`broken.jsonl, line 6: field "org": unknown organisation "b-org-9": it must appear earlier in the file (or an earlier file) or already be in the database`,
			`broken.jsonl, line 7: field "org": the organisation "b-org-2" was rejected (broken.jsonl, line 2); fix it first`,
			`broken.jsonl, line 8: field "published": "2026-02-30" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-21`,
			`broken.jsonl, line 9: field "industries": "X1" is not a valid NACE Rev. 2 code: This is not a NACE code. Write it like C22.29 or 22.29 (use a section, division, group or class such as "C", "C22", "C22.2" or "C22.29")`,
			`broken.jsonl, line 10: field "title": missing, but required`,
			`broken.jsonl, line 11: the file ends in the middle of this record; it seems to be cut off (truncated): check that it was copied or saved completely`,
		}
		if got := strings.Split(strings.TrimSpace(report.String()), "\n"); !reflect.DeepEqual(got, wantLines) {
			t.Errorf("report\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
		}
		if _, err := st.Listing(context.Background(), "b-lst-1"); err != nil {
			t.Errorf("the good listing was not imported: %v", err)
		}
	})
}

func TestAtomicImportIsAllOrNothing(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		st := open(t)
		sum := importString(t, st, Options{Atomic: true}, "broken.jsonl", brokenFile)
		if !sum.RolledBack || sum.Created != 0 || sum.Rejected != 9 || sum.ExitCode() != 1 {
			t.Errorf("atomic import of a broken file: %s", sum)
		}
		if snap := takeSnapshot(t, st); len(snap.Orgs)+len(snap.Listings) != 0 {
			t.Errorf("atomic import wrote %d organisations and %d listings, want nothing", len(snap.Orgs), len(snap.Listings))
		}
		sum = importString(t, st, Options{Atomic: true}, "every.jsonl", everyField)
		if sum.RolledBack || sum.Created != 7 || sum.ExitCode() != 0 {
			t.Errorf("atomic import of a good file: %s", sum)
		}
	})
}

func TestUnreadableFiles(t *testing.T) {
	ctx := context.Background()
	st := storagetest.OpenSQLite(t)
	utf16 := Source{Name: "unicode.csv", R: strings.NewReader("\xff\xfer\x00e\x00f\x00")}
	good := Source{Name: "every.jsonl", R: strings.NewReader(everyField)}

	sum, _ := Import(ctx, st, Options{Atomic: true, Today: today}, utf16, good)
	if !sum.RolledBack || sum.ExitCode() != 2 || len(takeSnapshot(t, st).Orgs) != 0 {
		t.Errorf("atomic import with an unreadable file: %s, exit %d; want nothing written, exit 2", sum, sum.ExitCode())
	}
	want := "unicode.csv: the file is encoded as UTF-16; save the file as UTF-8 (in Excel: \"CSV UTF-8 (Comma delimited)\")"
	if len(sum.Problems) == 0 || sum.Problems[0].Error() != want {
		t.Errorf("problems %v, want first %q", sum.Problems, want)
	}

	good.R = strings.NewReader(everyField)
	utf16.R = strings.NewReader("\xff\xfe")
	sum, _ = Import(ctx, st, Options{Today: today}, utf16, good)
	if sum.Created != 7 || sum.ExitCode() != 2 || !reflect.DeepEqual(sum.Unreadable, []string{"unicode.csv"}) {
		t.Errorf("import with an unreadable file: %s, exit %d; want the good file imported, exit 2", sum, sum.ExitCode())
	}

	sum, _ = ImportFiles(ctx, st, Options{Today: today}, filepath.Join(t.TempDir(), "missing.jsonl"))
	if sum.ExitCode() != 2 || len(sum.Unreadable) != 1 {
		t.Errorf("missing file: %s, exit %d", sum, sum.ExitCode())
	}
	sum, _ = Import(ctx, st, Options{Today: today}, Source{Name: "data.xlsx", R: strings.NewReader("PK")})
	if sum.ExitCode() != 2 || len(sum.Problems) != 1 || sum.Problems[0].Key != "file.format" {
		t.Errorf("xlsx file: %s, problems %v", sum, sum.Problems)
	}
}

// refusingStore refuses one listing ref as the database would refuse a
// record the validation let through.
type refusingStore struct {
	isa.Store
	ref string
}

func (s refusingStore) UpsertListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error) {
	if l.Ref == s.ref {
		return isa.Unchanged, isa.Invalid("ref", "refused for the test")
	}
	return s.Store.UpsertListing(ctx, l)
}

func (s refusingStore) InTx(ctx context.Context, fn func(isa.Store) error) error {
	return s.Store.InTx(ctx, func(tx isa.Store) error { return fn(refusingStore{tx, s.ref}) })
}

func TestStoreRefusalCostsOnlyThatRecord(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		st := refusingStore{open(t), "t-lst-2"}
		sum := importString(t, st, Options{}, "every.jsonl", everyField)
		if sum.Created != 6 || sum.Rejected != 1 {
			t.Errorf("summary %s, want 6 imported and 1 rejected", sum)
		}
		want := `every.jsonl, line 7: the database refused the record: ref: refused for the test`
		if len(sum.Problems) != 1 || sum.Problems[0].Error() != want {
			t.Errorf("problems %v, want %q", sum.Problems, want)
		}
		if _, err := st.Listing(context.Background(), "t-lst-1"); err != nil {
			t.Errorf("a listing of the same batch was lost: %v", err)
		}
	})
}

func TestAtomicImportRollsBackOnStoreRefusal(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		inner := open(t)
		sum := importString(t, refusingStore{inner, "t-lst-2"}, Options{Atomic: true}, "every.jsonl", everyField)
		if !sum.RolledBack || sum.Rejected != 1 || sum.ExitCode() != 1 {
			t.Errorf("summary %s", sum)
		}
		if snap := takeSnapshot(t, inner); len(snap.Orgs) != 0 {
			t.Errorf("atomic import left %d organisations", len(snap.Orgs))
		}
	})
}

func TestSmallBatchesGiveTheSameResult(t *testing.T) {
	st := storagetest.OpenSQLite(t)
	sum := importString(t, st, Options{BatchSize: 2}, "every.jsonl", everyField)
	if sum.Created != 7 {
		t.Errorf("summary %s", sum)
	}
	ref := storagetest.OpenSQLite(t)
	importString(t, ref, Options{}, "every.jsonl", everyField)
	if !reflect.DeepEqual(takeSnapshot(t, st), takeSnapshot(t, ref)) {
		t.Error("batch size changes the imported data")
	}
}

func TestUpdateAndContactRemoval(t *testing.T) {
	st := storagetest.OpenSQLite(t)
	importString(t, st, Options{}, "every.jsonl", everyField)
	changed := strings.Replace(everyField, `"email":"vertrieb@rhein-getriebe.example.com","phone":"+49 221 555 0100",`, "", 1)
	changed = strings.Replace(changed, "Lieferzeit 6 Wochen.", "Lieferzeit 4 Wochen.", 1)
	sum := importString(t, st, Options{}, "every.jsonl", changed)
	if sum.Updated != 2 || sum.Unchanged != 5 {
		t.Errorf("summary %s, want 2 updated, 5 unchanged", sum)
	}
	if c := takeSnapshot(t, st).Contacts["t-org-1"]; len(c) != 0 {
		t.Errorf("contacts %+v remain after the e-mail and phone were removed from the file", c)
	}
}

// The same two organisations and listings as a German Excel file ("CSV
// UTF-8", semicolons, CRLF, dates turned into DD.MM.YYYY, a line break in a
// cell) and a LibreOffice file (commas, every text cell quoted), and as JSON
// Lines.
const (
	excelOrgs = "\uFEFFref;name;names_en;kind;city;size;founded;website;email;industries;about_de;about_en\r\n" +
		"s-org-1;Zahnradwerk Fulda GmbH;Fulda Gear Works;company;Fulda;small;1962;www.zahnrad-fulda.example.de;info@zahnrad-fulda.example.de;C28.15;\"Zahnräder nach Zeichnung.\r\nAuch Kleinserien.\";Gears to drawing.\r\n" +
		"s-org-2;佛山市精工齿轮有限公司;;company;佛山;medium;2008;;;\"C28.15;C25.62\";;\r\n" +
		";;;;;;;;;;;\r\n"
	libreListings = "\"ref\",\"org\",\"kind\",\"lang\",\"title\",\"description\",\"title_en\",\"description_en\",\"cooperation\",\"keywords\",\"published\",\"expires\"\n" +
		"\"s-lst-1\",\"s-org-1\",\"offer\",\"de\",\"Zahnräder, Stirnräder\",\"Wir fertigen \"\"Qualität 6\"\".\",\"Gears\",\"We make gears.\",\"supply;manufacturing\",\"Zahnrad;Getriebe\",01.03.2026,28.02.2027\n" +
		"\"s-lst-2\",\"s-org-2\",\"request\",\"zh\",\"寻求德国齿轮技术\",\"我司诚寻德国合作伙伴。\",,,\"licensing\",,2026-04-01,\n"
	sameAsJSONL = `{"type":"organisation","ref":"s-org-1","name":"Zahnradwerk Fulda GmbH","names":{"en":"Fulda Gear Works"},"kind":"company","city":"fulda","size":"small","founded":1962,"website":"https://www.zahnrad-fulda.example.de","email":"info@zahnrad-fulda.example.de","industries":["C28.15"],"about":{"de":"Zahnräder nach Zeichnung.\nAuch Kleinserien.","en":"Gears to drawing."}}
{"type":"organisation","ref":"s-org-2","name":"佛山市精工齿轮有限公司","kind":"company","city":"foshan","size":"medium","founded":2008,"industries":["C28.15","C25.62"]}
{"type":"listing","ref":"s-lst-1","org":"s-org-1","kind":"offer","lang":"de","title":"Zahnräder, Stirnräder","description":"Wir fertigen \"Qualität 6\".","translations":{"en":{"title":"Gears","description":"We make gears."}},"cooperation":["supply","manufacturing"],"keywords":["Zahnrad","Getriebe"],"published":"2026-03-01","expires":"2027-02-28"}
{"type":"listing","ref":"s-lst-2","org":"s-org-2","kind":"request","lang":"zh","title":"寻求德国齿轮技术","description":"我司诚寻德国合作伙伴。","cooperation":["licensing"],"published":"2026-04-01"}
`
)

func TestSpreadsheetCSVImportsLikeJSONL(t *testing.T) {
	ctx := context.Background()
	fromCSV := storagetest.OpenSQLite(t)
	sum, err := Import(ctx, fromCSV, Options{Today: today},
		Source{Name: "listings.csv", R: strings.NewReader(libreListings)},
		Source{Name: "orgs.csv", R: strings.NewReader(excelOrgs)})
	if err != nil || sum.Created != 4 || sum.Rejected+sum.Warnings != 0 {
		t.Fatalf("CSV import: %s, %v; problems %v", sum, err, sum.Problems)
	}
	fromJSONL := storagetest.OpenSQLite(t)
	importString(t, fromJSONL, Options{}, "same.jsonl", sameAsJSONL)
	got, want := takeSnapshot(t, fromCSV), takeSnapshot(t, fromJSONL)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CSV gives\n %+v\nJSONL gives\n %+v", got, want)
	}
}

// TestDocumentedExamplesImport keeps the examples of docs/interchange.md
// true: every JSON Lines and CSV block imports without a rejection or a
// warning, in the order the page shows them.
func TestDocumentedExamplesImport(t *testing.T) {
	doc, err := os.ReadFile("../../docs/interchange.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources []Source
	blocks := strings.Split(string(doc), "```")
	for i := 1; i < len(blocks); i += 2 {
		lang, body, _ := strings.Cut(blocks[i], "\n")
		var f Format
		switch lang {
		case "jsonl":
			f = JSONL
		case "csv":
			f = CSV
		default:
			continue
		}
		sources = append(sources, Source{Name: "example-" + strconv.Itoa(i/2) + "." + string(f), Format: f, R: strings.NewReader(body)})
	}
	if len(sources) != 9 {
		t.Fatalf("found %d examples, want 9", len(sources))
	}
	st := storagetest.OpenSQLite(t)
	for _, src := range sources {
		sum, err := Import(context.Background(), st, Options{Today: today}, src)
		if err != nil || sum.Rejected+sum.Warnings != 0 || sum.Records == 0 {
			t.Errorf("%s: %s, %v; problems %v", src.Name, sum, err, sum.Problems)
		}
	}
}

// orgRefusingStore refuses one organisation and passes listings on to the
// store's bulk upsert, which then finds that organisation missing.
type orgRefusingStore struct {
	isa.Store
	ref   string
	bulks *int
}

func (s orgRefusingStore) UpsertOrganisation(ctx context.Context, o *isa.Organisation, cs []isa.ContactPerson) (isa.Outcome, error) {
	if o.Ref == s.ref {
		return isa.Unchanged, isa.Invalid("name", "refused for the test")
	}
	return s.Store.UpsertOrganisation(ctx, o, cs)
}

func (s orgRefusingStore) ImportListings(ctx context.Context, ls []*isa.Listing) ([]isa.Outcome, []error, error) {
	*s.bulks++
	return s.Store.(listingBulkImporter).ImportListings(ctx, ls)
}

func (s orgRefusingStore) InTx(ctx context.Context, fn func(isa.Store) error) error {
	return s.Store.InTx(ctx, func(tx isa.Store) error { return fn(orgRefusingStore{tx, s.ref, s.bulks}) })
}

func TestBulkUpsertRefusesListingsOfARefusedOrganisation(t *testing.T) {
	engines(t, func(t *testing.T, open func(t *testing.T) isa.Store) {
		inner := open(t)
		if _, ok := inner.(listingBulkImporter); !ok {
			t.Skip("the store offers no bulk upsert")
		}
		bulks := 0
		sum := importString(t, orgRefusingStore{inner, "t-org-1", &bulks}, Options{}, "every.jsonl", everyField)
		// t-org-1 and its listings t-lst-1 and t-lst-3 are refused.
		if sum.Created != 4 || sum.Rejected != 3 || bulks == 0 {
			t.Errorf("summary %s after %d bulk calls; want 4 imported, 3 rejected through the bulk upsert", sum, bulks)
		}
		var lines []string
		for _, p := range sum.Problems {
			lines = append(lines, p.Error())
		}
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "every.jsonl, line 2: the database refused the record: name: refused for the test") ||
			lines[1] != `every.jsonl, line 6: field "org": the organisation "t-org-1" was rejected (every.jsonl, line 2); fix it first` {
			t.Errorf("problems:\n%s", strings.Join(lines, "\n"))
		}
	})
}

// cancellingReader cancels the import's context once the input has been
// read up to a point, as Ctrl-C would.
type cancellingReader struct {
	r      io.Reader
	after  int
	read   int
	cancel context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p[:min(len(p), 4096)])
	c.read += n
	if c.read >= c.after {
		c.cancel()
	}
	return n, err
}

func TestInterruptedImportKeepsCommittedBatches(t *testing.T) {
	for _, atomic := range []bool{false, true} {
		t.Run(fmt.Sprintf("atomic=%v", atomic), func(t *testing.T) {
			st := storagetest.OpenSQLite(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			data := generated("c", 10, 5000)
			r := &cancellingReader{r: strings.NewReader(data), after: len(data) / 2, cancel: cancel}
			sum, err := Import(ctx, st, Options{Today: today, BatchSize: 100, Atomic: atomic}, Source{Name: "big.jsonl", R: r})
			if !errors.Is(err, context.Canceled) || sum.ExitCode() != 2 {
				t.Fatalf("summary %s, err %v; want cancelled, exit 2", sum, err)
			}
			stored := len(takeSnapshot(t, st).Listings) + len(takeSnapshot(t, st).Orgs)
			if stored != sum.Created {
				t.Errorf("%d records stored, summary says %d created", stored, sum.Created)
			}
			if atomic && stored != 0 || !atomic && (stored == 0 || stored >= 5010) {
				t.Errorf("%d records stored", stored)
			}
		})
	}
}

// failingStore fails the writes of some refs with an error that is no
// domain error, as a driver error would.
type failingStore struct {
	isa.Store
	fail func(ref string) bool
}

func (s failingStore) UpsertOrganisation(ctx context.Context, o *isa.Organisation, cs []isa.ContactPerson) (isa.Outcome, error) {
	if s.fail(o.Ref) {
		return isa.Unchanged, errors.New("driver: something unexpected")
	}
	return s.Store.UpsertOrganisation(ctx, o, cs)
}

func (s failingStore) UpsertListing(ctx context.Context, l *isa.Listing) (isa.Outcome, error) {
	if s.fail(l.Ref) {
		return isa.Unchanged, errors.New("driver: something unexpected")
	}
	return s.Store.UpsertListing(ctx, l)
}

func (s failingStore) InTx(ctx context.Context, fn func(isa.Store) error) error {
	return s.Store.InTx(ctx, func(tx isa.Store) error { return fn(failingStore{tx, s.fail}) })
}

func TestDatabaseErrorsOfOneRecordDoNotStopTheImport(t *testing.T) {
	ctx := context.Background()
	st := failingStore{storagetest.OpenSQLite(t), func(ref string) bool { return ref == "t-lst-4" }}
	sum, err := Import(ctx, st, Options{Today: today}, Source{Name: "every.jsonl", R: strings.NewReader(everyField)})
	if err != nil || sum.Created != 6 || sum.Rejected != 1 || sum.ExitCode() != 1 {
		t.Errorf("one failing record: %s, %v; want 6 imported, 1 rejected", sum, err)
	}
	if len(sum.Problems) != 1 || sum.Problems[0].Error() != "every.jsonl, line 9: the database refused the record: internal error" {
		t.Errorf("problems %v", sum.Problems)
	}

	down := failingStore{storagetest.OpenSQLite(t), func(string) bool { return true }}
	sum, err = Import(ctx, down, Options{Today: today}, Source{Name: "every.jsonl", R: strings.NewReader(everyField)})
	if err == nil || sum.ExitCode() != 2 || sum.Rejected != 0 {
		t.Errorf("every record failing: %s, %v; want the import stopped, exit 2", sum, err)
	}
}
