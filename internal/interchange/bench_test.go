package interchange

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/storage/storagetest"
)

// nullStore accepts everything and keeps nothing: it measures the import
// without a database.
type nullStore struct{ isa.Store }

func (nullStore) Cities(context.Context) ([]isa.City, error) { return testCities, nil }
func (nullStore) Organisation(_ context.Context, ref string) (*isa.Organisation, error) {
	return &isa.Organisation{Ref: ref}, nil
}
func (nullStore) UpsertOrganisation(context.Context, *isa.Organisation, []isa.ContactPerson) (isa.Outcome, error) {
	return isa.Created, nil
}
func (nullStore) UpsertListing(context.Context, *isa.Listing) (isa.Outcome, error) {
	return isa.Created, nil
}
func (s nullStore) InTx(_ context.Context, fn func(isa.Store) error) error { return fn(s) }

// generator produces a JSON Lines file of orgs organisations and n listings
// on the fly, so that a million records never sit in memory as a file.
type generator struct {
	prefix  string
	orgs, n int
	i       int
	buf     bytes.Buffer
}

func (g *generator) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && g.i < g.orgs+g.n {
		if g.i < g.orgs {
			fmt.Fprintf(&g.buf, `{"type":"organisation","ref":"%s-org-%d","name":"Getriebebau %d GmbH","names":{"en":"Gear Works %d"},"kind":"company","city":"koeln","size":"small","founded":1990,"website":"https://gears%d.example.com","email":"info@gears%d.example.com","industries":["C28.15"],"about":{"de":"Getriebe und Zahnräder."}}`+"\n",
				g.prefix, g.i, g.i, g.i, g.i, g.i)
		} else {
			k := g.i - g.orgs
			fmt.Fprintf(&g.buf, `{"type":"listing","ref":"%s-lst-%d","org":"%s-org-%d","kind":"offer","lang":"de","title":"Kegelradgetriebe Serie %d in Kleinserie","description":"Wir fertigen Kegelradgetriebe und Stirnradgetriebe bis 50 kNm für den Maschinenbau. Lieferzeit sechs Wochen, Prüfprotokoll nach DIN 3990, Losgrößen ab 10 Stück.","translations":{"en":{"title":"Bevel gearboxes series %d","description":"We build bevel gearboxes up to 50 kNm."}},"cooperation":["supply","manufacturing"],"industries":["C28.15"],"keywords":["Getriebe","Kegelrad"],"published":"2026-03-01","expires":"2027-02-28"}`+"\n",
				g.prefix, k, g.prefix, k%max(g.orgs, 1), k, k)
		}
		g.i++
	}
	if g.buf.Len() == 0 {
		return 0, io.EOF
	}
	return g.buf.Read(p)
}

func generated(prefix string, orgs, n int) string {
	b, _ := io.ReadAll(&generator{prefix: prefix, orgs: orgs, n: n})
	return string(b)
}

// BenchmarkParseValidateJSONL measures reading and validating, no store.
func BenchmarkParseValidateJSONL(b *testing.B) {
	data := generated("b", 100, 10000)
	v := testValidator()
	b.SetBytes(int64(len(data)))
	records := 0
	for b.Loop() {
		rd, err := newJSONLReader(strings.NewReader(data), "bench.jsonl")
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, p, err := rd.next()
			if err == io.EOF {
				break
			}
			if err != nil || p != nil {
				b.Fatal(err, p)
			}
			var c check
			if rec.typ == typeOrganisation {
				_, _, c = v.organisation(rec.fields)
			} else {
				_, c = v.listing(rec.fields)
			}
			if c.failed {
				b.Fatal(c.problems)
			}
			records++
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkParseValidateCSV measures the CSV path, no store.
func BenchmarkParseValidateCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("\uFEFFref;org;kind;lang;title;description;title_en;description_en;cooperation;industries;keywords;published;expires\r\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "l%d;o1;offer;de;Kegelradgetriebe Serie %d;\"Wir fertigen Kegelradgetriebe bis 50 kNm.\r\nLieferzeit sechs Wochen.\";Bevel gearboxes;We build gearboxes.;\"supply;manufacturing\";C28.15;\"Getriebe;Kegelrad\";01.03.2026;2027-02-28\r\n", i, i)
	}
	data := sb.String()
	v := testValidator()
	b.SetBytes(int64(len(data)))
	records := 0
	for b.Loop() {
		rd, err := newCSVReader(strings.NewReader(data), "bench.csv")
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, p, err := rd.next()
			if err == io.EOF {
				break
			}
			if err != nil || p != nil {
				b.Fatal(err, p)
			}
			if _, c := v.listing(rec.fields); c.failed {
				b.Fatal(c.problems)
			}
			records++
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkImportSQLite measures the whole import into SQLite: every
// iteration imports new records (2,000 listings of 20 organisations).
func BenchmarkImportSQLite(b *testing.B) {
	st := storagetest.OpenSQLite(b)
	ctx := context.Background()
	records, iter := 0, 0
	for b.Loop() {
		iter++
		data := generated("s"+strconv.Itoa(iter), 20, 2000)
		sum, err := Import(ctx, st, Options{Today: today}, Source{Name: "bench.jsonl", R: strings.NewReader(data)})
		if err != nil || sum.Created != 2020 {
			b.Fatalf("%s, %v; problems %v", sum, err, sum.Problems)
		}
		records += sum.Records
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// TestMillionListingsInFlatMemory streams a million listings through the
// whole import (without a database) and checks that the heap stays small.
// It takes about half a minute, so it runs when ISA_BIG_IMPORT=1.
func TestMillionListingsInFlatMemory(t *testing.T) {
	if os.Getenv("ISA_BIG_IMPORT") == "" {
		t.Skip("set ISA_BIG_IMPORT=1 to import a million listings")
	}
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
		}
	}()
	start := time.Now()
	sum, err := Import(context.Background(), nullStore{}, Options{Today: today, Progress: io.Discard},
		Source{Name: "million.jsonl", R: &generator{prefix: "m", orgs: 1000, n: 1_000_000}})
	close(stop)
	<-done
	if err != nil || sum.Created != 1_001_000 {
		t.Fatalf("%s, %v", sum, err)
	}
	t.Logf("%s; peak heap in use %.1f MiB; %.0f records/s", sum, float64(peak.Load())/(1<<20), float64(sum.Records)/time.Since(start).Seconds())
	if peak.Load() > 64<<20 {
		t.Errorf("peak heap %d MiB: the import does not stream", peak.Load()>>20)
	}
}
