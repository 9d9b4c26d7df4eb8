package search

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/textanalysis"
)

func TestEditsDoNotGrowTheIndex(t *testing.T) {
	an, err := textanalysis.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMemory(an, func() time.Time { return time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	doc := func(ref, title string) Document {
		return Document{Listing: &isa.Listing{Ref: ref, Org: "o", Kind: isa.Offer, Lang: isa.EN, Title: title,
			Description: "gearbox supplier", State: isa.Published}, Country: isa.China, City: "foshan"}
	}
	if err := m.Put(ctx, doc("keep", "spindle")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ {
		if err := m.Put(ctx, doc("edited", "version"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	if m.Len() != 2 {
		t.Fatalf("Len %d, want 2", m.Len())
	}
	if n := len(m.docs.ref); n > 1500 {
		t.Errorf("%d documents kept for 2 live listings", n)
	}
	for _, q := range []struct {
		text, want string
	}{{"spindle", "keep"}, {"version4999", "edited"}, {"gearbox", ""}} {
		res, err := m.Search(ctx, Query{Text: q.text})
		if err != nil {
			t.Fatal(err)
		}
		if q.want != "" && (len(res.Hits) != 1 || res.Hits[0].Ref != q.want) {
			t.Errorf("%q: hits %+v, want %s", q.text, res.Hits, q.want)
		}
		if q.want == "" && res.Total != 2 {
			t.Errorf("%q: total %d, want 2", q.text, res.Total)
		}
	}
	res, _ := m.Search(ctx, Query{Text: "version10"})
	if res.Total != 0 {
		t.Errorf("an old version is still found")
	}
}
