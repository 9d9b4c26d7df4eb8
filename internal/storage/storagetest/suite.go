package storagetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-alliance/isa"
)

// Run runs the conformance suite of isa.Store against the stores open
// returns; each test gets a fresh, migrated store with the member cities.
func Run(t *testing.T, open func(t *testing.T) isa.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s isa.Store)
	}{
		{"CitiesAreSeeded", testCities},
		{"UpsertOrganisationReportsOutcome", testUpsertOrganisation},
		{"OrganisationRoundTrips", testOrganisationRoundTrip},
		{"OrganisationsFilterAndPage", testOrganisations},
		{"ContactsAreKeptApart", testContacts},
		{"UpsertListingReportsOutcome", testUpsertListing},
		{"ListingRoundTrips", testListingRoundTrip},
		{"ListingsFilter", testListingFilters},
		{"ListingFiltersFollowUpdates", testFilterUpdates},
		{"ListingsPage", testListingPages},
		{"ExpireListings", testExpire},
		{"ListingChangesFollowWrites", testChanges},
		{"ListingChangesMissNothingUnderConcurrentWriters", testChangesConcurrent},
		{"UpsertListingsInBatches", testBatch},
		{"UpsertOrganisationsInBatches", testOrgBatch},
		{"InTx", testInTx},
		{"CrossedTransactionsDoNotDeadlock", testNoDeadlock},
		{"MissingIsNotFound", testNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

var ctx = context.Background()

// org returns a valid organisation; change it as the test needs.
func org(ref, city string) *isa.Organisation {
	return &isa.Organisation{
		Ref: ref, Name: "Org " + ref, Kind: isa.Company, City: city, Size: isa.Small,
		Industries: []string{"C22.29"},
	}
}

// listing returns a valid published listing of the organisation.
func listing(ref, orgRef string) *isa.Listing {
	return &isa.Listing{
		Ref: ref, Org: orgRef, Kind: isa.Offer, Lang: isa.DE, Title: "Spritzguss " + ref,
		Description: "Wir fertigen Kunststoffteile.", State: isa.Published,
		Published: "2026-01-10", Expires: "2027-01-10",
	}
}

func mustOrg(t *testing.T, s isa.Store, o *isa.Organisation, contacts []isa.ContactPerson) {
	t.Helper()
	if _, err := s.UpsertOrganisation(ctx, o, contacts); err != nil {
		t.Fatalf("UpsertOrganisation(%s): %v", o.Ref, err)
	}
}

func mustListing(t *testing.T, s isa.Store, l *isa.Listing) {
	t.Helper()
	if _, err := s.UpsertListing(ctx, l); err != nil {
		t.Fatalf("UpsertListing(%s): %v", l.Ref, err)
	}
}

func wantCode(t *testing.T, what string, err error, code isa.Code, field string) {
	t.Helper()
	if got := isa.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
	var e *isa.Error
	if field != "" && (!errors.As(err, &e) || e.Field != field) {
		t.Fatalf("%s: error %v does not name field %q", what, err, field)
	}
}

func testCities(t *testing.T, s isa.Store) {
	list, err := s.Cities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range list {
		count[c.Country]++
		if c.Names[isa.DE] == "" || c.Names[isa.ZH] == "" || c.Names[isa.EN] == "" {
			t.Errorf("city %s lacks a name in some language: %v", c.Slug, c.Names)
		}
		if len(c.Memberships) == 0 {
			t.Errorf("city %s has no membership", c.Slug)
		}
	}
	if count[isa.Germany] != 19 || count[isa.China] != 21 {
		t.Errorf("cities per country = %v, want 19 DE and 21 CN", count)
	}
	for _, slug := range []string{"hamburg", "foshan", "drei-gewinnt"} {
		c, err := s.City(ctx, slug)
		if err != nil {
			t.Fatalf("City(%s): %v", slug, err)
		}
		i := slices.IndexFunc(list, func(x isa.City) bool { return x.Slug == slug })
		if i < 0 || !reflect.DeepEqual(c, list[i]) {
			t.Errorf("City(%s) = %+v, differs from Cities' entry", slug, c)
		}
	}
}

func testUpsertOrganisation(t *testing.T, s isa.Store) {
	contacts := []isa.ContactPerson{{Name: "Jia Wu", Email: "j.wu@example.cn", Langs: []isa.Lang{isa.ZH, isa.EN}}}
	steps := []struct {
		name     string
		change   func(o *isa.Organisation)
		contacts []isa.ContactPerson
		want     isa.Outcome
	}{
		{"new ref is created", nil, contacts, isa.Created},
		{"same data is unchanged", nil, contacts, isa.Unchanged},
		{"nil contacts leave the data unchanged", nil, nil, isa.Unchanged},
		{"new name is an update", func(o *isa.Organisation) { o.Name = "Neuer Name" }, nil, isa.Updated},
		{"new industries are an update", func(o *isa.Organisation) { o.Industries = []string{"C28"} }, nil, isa.Updated},
		{"verification is an update", func(o *isa.Organisation) {
			o.Verification = isa.Verification{State: isa.Verified, By: "WFB Hamburg", At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Method: "visit"}
		}, nil, isa.Updated},
		{"changed contacts are an update", nil, []isa.ContactPerson{{Email: "info@example.cn"}}, isa.Updated},
		{"same contacts again are unchanged", nil, []isa.ContactPerson{{Email: "info@example.cn"}}, isa.Unchanged},
		{"empty contacts remove them: an update", nil, []isa.ContactPerson{}, isa.Updated},
	}
	o := org("o-1", "hamburg")
	var id int64
	for _, st := range steps {
		if st.change != nil {
			st.change(o)
		}
		got, err := s.UpsertOrganisation(ctx, o, st.contacts)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: outcome %v, want %v", st.name, got, st.want)
		}
		if o.ID == 0 || (id != 0 && o.ID != id) {
			t.Errorf("%s: ID %d, want the same non-zero id each time (first %d)", st.name, o.ID, id)
		}
		id = o.ID
	}

	bad := []struct {
		name  string
		o     *isa.Organisation
		code  isa.Code
		field string
	}{
		{"unknown city is not found", org("o-2", "atlantis"), isa.CodeNotFound, "city"},
		{"missing ref is invalid", org("", "hamburg"), isa.CodeInvalid, "ref"},
		{"unknown kind is invalid", func() *isa.Organisation { o := org("o-3", "hamburg"); o.Kind = "pirate"; return o }(), isa.CodeInvalid, "kind"},
		{"unknown size is invalid", func() *isa.Organisation { o := org("o-4", "hamburg"); o.Size = "huge"; return o }(), isa.CodeInvalid, "size"},
		{"unknown verification is invalid", func() *isa.Organisation {
			o := org("o-5", "hamburg")
			o.Verification.State = "trusted"
			return o
		}(), isa.CodeInvalid, "verification"},
	}
	for _, b := range bad {
		_, err := s.UpsertOrganisation(ctx, b.o, nil)
		wantCode(t, b.name, err, b.code, b.field)
	}
	if _, err := s.Organisation(ctx, "o-2"); !isa.IsNotFound(err) {
		t.Errorf("organisation with unknown city was stored: %v", err)
	}
}

func testOrganisationRoundTrip(t *testing.T, s isa.Store) {
	o := &isa.Organisation{
		Ref: "rt-1", Name: "Foshan Precision Moulds Co.", Names: isa.Text{isa.ZH: "佛山精密模具有限公司", isa.DE: "Foshan Präzisionsformen"},
		Kind: isa.Company, City: "foshan", Size: isa.Medium, Founded: 2004, Website: "https://example.cn",
		Industries: []string{"C28.96", "C22"}, About: isa.Text{isa.EN: "Moulds.", isa.ZH: "模具。"},
		Verification: isa.Verification{State: isa.Verified, By: "Foshan office", At: time.Date(2026, 5, 4, 3, 2, 1, 123456000, time.UTC), Method: "register extract"},
	}
	before := time.Now().Add(-time.Second)
	mustOrg(t, s, o, nil)
	got, err := s.Organisation(ctx, "rt-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.CreatedAt.Before(before) || got.UpdatedAt.Before(got.CreatedAt) {
		t.Errorf("timestamps created %v updated %v, want set at write", got.CreatedAt, got.UpdatedAt)
	}
	if got.CreatedAt.Location() != time.UTC {
		t.Errorf("timestamps in %v, want UTC", got.CreatedAt.Location())
	}
	want := *o
	want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", *got, want)
	}
	if !o.CreatedAt.Equal(got.CreatedAt) {
		t.Errorf("upsert set CreatedAt %v, stored %v", o.CreatedAt, got.CreatedAt)
	}
}

func testOrganisations(t *testing.T, s isa.Store) {
	seed := []struct {
		ref, city string
		kind      isa.OrgKind
	}{
		{"a", "hamburg", isa.Company}, {"b", "hamburg", isa.Research}, {"c", "koeln", isa.Company},
		{"d", "foshan", isa.Company}, {"e", "foshan", isa.Agency}, {"f", "weihai", isa.Company},
	}
	for _, x := range seed {
		o := org(x.ref, x.city)
		o.Kind = x.kind
		mustOrg(t, s, o, nil)
	}
	tests := []struct {
		name string
		f    isa.OrgFilter
		want []string
	}{
		{"no filter selects all", isa.OrgFilter{}, []string{"a", "b", "c", "d", "e", "f"}},
		{"city", isa.OrgFilter{City: "foshan"}, []string{"d", "e"}},
		{"country via city", isa.OrgFilter{Country: isa.Germany}, []string{"a", "b", "c"}},
		{"kind", isa.OrgFilter{Kind: isa.Company}, []string{"a", "c", "d", "f"}},
		{"country and kind", isa.OrgFilter{Country: isa.China, Kind: isa.Company}, []string{"d", "f"}},
		{"no match", isa.OrgFilter{City: "mainz"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, o := range collectOrgs(t, s, tc.f) {
				got = append(got, o.Ref)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("pages of two", func(t *testing.T) {
		var got []string
		pages := 0
		f := isa.OrgFilter{Limit: 2}
		for {
			p, err := s.Organisations(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(p.Items) > 2 {
				t.Fatalf("page of %d items, limit 2", len(p.Items))
			}
			for _, o := range p.Items {
				got = append(got, o.Ref)
			}
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		if pages != 3 || !slices.Equal(got, []string{"a", "b", "c", "d", "e", "f"}) {
			t.Errorf("%d pages with %v, want 3 pages with all six in order", pages, got)
		}
	})
	t.Run("bad cursor is invalid", func(t *testing.T) {
		_, err := s.Organisations(ctx, isa.OrgFilter{After: "not a cursor!"})
		wantCode(t, "Organisations", err, isa.CodeInvalid, "after")
	})
}

func collectOrgs(t *testing.T, s isa.Store, f isa.OrgFilter) []isa.Organisation {
	t.Helper()
	var all []isa.Organisation
	for i := 0; ; i++ {
		p, err := s.Organisations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Items...)
		if p.Next == "" || i > 100 {
			return all
		}
		f.After = p.Next
	}
}

func testContacts(t *testing.T, s isa.Store) {
	o := org("c-1", "nuernberg")
	first := []isa.ContactPerson{
		{Name: "Anna Schmidt", Role: "Vertrieb", Email: "a.schmidt@example.de", Phone: "+49 911 1", Langs: []isa.Lang{isa.DE, isa.EN}, Public: true},
		{Email: "info@example.de"},
	}
	mustOrg(t, s, o, first)
	got, err := s.Contacts(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Contacts = %+v, want 2", got)
	}
	for i, p := range got {
		w := first[i]
		if p.Name != w.Name || p.Role != w.Role || p.Email != w.Email || p.Phone != w.Phone || !slices.Equal(p.Langs, w.Langs) {
			t.Errorf("contact %d = %+v, want %+v", i, p, w)
		}
		if p.ID == 0 || p.OrgID != o.ID {
			t.Errorf("contact %d has id %d org %d, want ids set (org %d)", i, p.ID, p.OrgID, o.ID)
		}
		if p.Public {
			t.Errorf("imported contact %d is public", i)
		}
	}

	// Nothing personal leaks into the organisation's public record.
	pub, err := s.Organisation(ctx, "c-1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(pub)
	for _, secret := range []string{"schmidt", "info@", "911"} {
		if strings.Contains(strings.ToLower(string(b)), secret) {
			t.Errorf("organisation record contains %q: %s", secret, b)
		}
	}

	steps := []struct {
		name     string
		contacts []isa.ContactPerson
		want     []string // emails
	}{
		{"nil keeps the contacts", nil, []string{"a.schmidt@example.de", "info@example.de"}},
		{"a new list replaces them", []isa.ContactPerson{{Email: "neu@example.de"}}, []string{"neu@example.de"}},
		{"an empty list removes them", []isa.ContactPerson{}, nil},
	}
	for _, st := range steps {
		mustOrg(t, s, o, st.contacts)
		got, err := s.Contacts(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		var emails []string
		for _, p := range got {
			emails = append(emails, p.Email)
		}
		if !slices.Equal(emails, st.want) {
			t.Errorf("%s: contacts %v, want %v", st.name, emails, st.want)
		}
	}

	other := org("c-2", "nuernberg")
	mustOrg(t, s, other, []isa.ContactPerson{{Email: "x@example.de"}})
	if got, _ := s.Contacts(ctx, o.ID); len(got) != 0 {
		t.Errorf("contacts of another organisation showed up: %+v", got)
	}
}

func testUpsertListing(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("o-1", "hamburg"), nil)
	mustOrg(t, s, org("o-2", "koeln"), nil)
	l := listing("l-1", "o-1")
	steps := []struct {
		name   string
		change func(l *isa.Listing)
		want   isa.Outcome
	}{
		{"new ref is created", nil, isa.Created},
		{"same data is unchanged", nil, isa.Unchanged},
		{"new title is an update", func(l *isa.Listing) { l.Title = "Neuer Titel" }, isa.Updated},
		{"new state is an update", func(l *isa.Listing) { l.State = isa.Withdrawn }, isa.Updated},
		{"keywords are an update", func(l *isa.Listing) { l.Keywords = []string{"Spritzguss", "注塑"} }, isa.Updated},
		{"translation is an update", func(l *isa.Listing) {
			l.Translations = map[isa.Lang]isa.Translation{isa.ZH: {Title: "注塑", Description: "塑料件"}}
		}, isa.Updated},
		{"another organisation is an update", func(l *isa.Listing) { l.Org = "o-2" }, isa.Updated},
		{"same again is unchanged", nil, isa.Unchanged},
	}
	var id int64
	for _, st := range steps {
		if st.change != nil {
			st.change(l)
		}
		got, err := s.UpsertListing(ctx, l)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got != st.want {
			t.Errorf("%s: outcome %v, want %v", st.name, got, st.want)
		}
		if l.ID == 0 || (id != 0 && l.ID != id) || l.OrgID == 0 {
			t.Errorf("%s: ID %d OrgID %d, want both set and the ID stable (first %d)", st.name, l.ID, l.OrgID, id)
		}
		id = l.ID
	}
	stored, err := s.Listing(ctx, "l-1")
	if err != nil {
		t.Fatal(err)
	}
	if stored.Org != "o-2" || stored.Title != "Neuer Titel" || stored.State != isa.Withdrawn {
		t.Errorf("stored %+v, want the last update", stored)
	}

	bad := []struct {
		name  string
		l     *isa.Listing
		code  isa.Code
		field string
	}{
		{"unknown organisation is not found", listing("l-2", "nobody"), isa.CodeNotFound, "org"},
		{"missing ref is invalid", listing("", "o-1"), isa.CodeInvalid, "ref"},
		{"bad kind is invalid", func() *isa.Listing { l := listing("l-3", "o-1"); l.Kind = "gift"; return l }(), isa.CodeInvalid, "kind"},
		{"bad state is invalid", func() *isa.Listing { l := listing("l-4", "o-1"); l.State = ""; return l }(), isa.CodeInvalid, "state"},
		{"bad language is invalid", func() *isa.Listing { l := listing("l-5", "o-1"); l.Lang = "fr"; return l }(), isa.CodeInvalid, "lang"},
	}
	for _, b := range bad {
		_, err := s.UpsertListing(ctx, b.l)
		wantCode(t, b.name, err, b.code, b.field)
	}
	if _, err := s.Listing(ctx, "l-2"); !isa.IsNotFound(err) {
		t.Errorf("listing of unknown organisation was stored: %v", err)
	}
}

func testListingRoundTrip(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("o-1", "deyang"), nil)
	l := &isa.Listing{
		Ref: "rt-1", Org: "o-1", Kind: isa.Request, Lang: isa.ZH, Title: "寻找德国齿轮箱供应商",
		Description: "我们需要用于水电站的齿轮箱。\nZeile zwei mit Umlauten: äöüß.",
		Translations: map[isa.Lang]isa.Translation{
			isa.DE: {Title: "Getriebelieferant gesucht", Description: "Getriebe für Wasserkraftwerke."},
			isa.EN: {Title: "Gearbox supplier wanted", Description: "Gearboxes for hydropower plants."},
		},
		Cooperation: []string{"supply", "joint_venture"},
		Industries:  []string{"C28.15", "D35.11"},
		Keywords:    []string{"齿轮箱", "Getriebe", "gearbox"},
		State:       isa.Published, Published: "2026-02-01", Expires: "2027-02-01",
	}
	mustListing(t, s, l)
	got, err := s.Listing(ctx, "rt-1")
	if err != nil {
		t.Fatal(err)
	}
	want := *l
	want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", *got, want)
	}
	if got.CreatedAt.IsZero() || !l.CreatedAt.Equal(got.CreatedAt) {
		t.Errorf("CreatedAt upsert %v, stored %v: want equal and set", l.CreatedAt, got.CreatedAt)
	}

	empty := listing("rt-2", "o-1")
	mustListing(t, s, empty)
	got, err = s.Listing(ctx, "rt-2")
	if err != nil {
		t.Fatal(err)
	}
	if got.Translations != nil || got.Cooperation != nil || got.Industries != nil || got.Keywords != nil {
		t.Errorf("empty lists read back as %+v, want nil", got)
	}
}

// filterFixture stores listings that differ in one attribute each, so that
// every filter selects a known set.
func filterFixture(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("hh", "hamburg"), nil)
	mustOrg(t, s, org("fs", "foshan"), nil)
	mustOrg(t, s, org("wh", "weihai"), nil)
	type L = isa.Listing
	for _, l := range []*L{
		{Ref: "1", Org: "hh", Kind: isa.Offer, Lang: isa.DE, State: isa.Published, Industries: []string{"C22.29"}, Cooperation: []string{"supply"}},
		{Ref: "2", Org: "hh", Kind: isa.Request, Lang: isa.EN, State: isa.Published, Industries: []string{"C22.2", "M72"}, Cooperation: []string{"research"}},
		{Ref: "3", Org: "fs", Kind: isa.Offer, Lang: isa.ZH, State: isa.Published, Industries: []string{"C28.96"}, Cooperation: []string{"supply", "manufacturing"}},
		{Ref: "4", Org: "fs", Kind: isa.Request, Lang: isa.ZH, State: isa.Draft, Industries: []string{"C22"}},
		{Ref: "5", Org: "wh", Kind: isa.Offer, Lang: isa.EN, State: isa.Expired, Industries: []string{"C"}},
		{Ref: "6", Org: "wh", Kind: isa.Offer, Lang: isa.ZH, State: isa.Published, Industries: []string{"C23.1", "C20"}},
	} {
		l.Title, l.Description = "Titel "+l.Ref, "Beschreibung"
		mustListing(t, s, l)
	}
}

func testListingFilters(t *testing.T, s isa.Store) {
	filterFixture(t, s)
	tests := []struct {
		name string
		f    isa.ListingFilter
		want []string
	}{
		{"no filter selects all", isa.ListingFilter{}, []string{"1", "2", "3", "4", "5", "6"}},
		{"kind", isa.ListingFilter{Kind: isa.Request}, []string{"2", "4"}},
		{"country via the organisation's city", isa.ListingFilter{Country: isa.China}, []string{"3", "4", "5", "6"}},
		{"city", isa.ListingFilter{City: "hamburg"}, []string{"1", "2"}},
		{"cooperation", isa.ListingFilter{Cooperation: "supply"}, []string{"1", "3"}},
		{"language", isa.ListingFilter{Lang: isa.ZH}, []string{"3", "4", "6"}},
		{"state", isa.ListingFilter{State: isa.Published}, []string{"1", "2", "3", "6"}},
		{"organisation", isa.ListingFilter{Org: "fs"}, []string{"3", "4"}},
		{"industry class matches itself", isa.ListingFilter{Industry: "C22.29"}, []string{"1"}},
		{"industry group matches its classes", isa.ListingFilter{Industry: "C22.2"}, []string{"1", "2"}},
		{"industry division matches what lies below", isa.ListingFilter{Industry: "C22"}, []string{"1", "2", "4"}},
		{"industry section matches all its divisions", isa.ListingFilter{Industry: "C"}, []string{"1", "2", "3", "4", "5", "6"}},
		{"industry does not match a sibling", isa.ListingFilter{Industry: "C23"}, []string{"6"}},
		{"a code below every stored one matches nothing", isa.ListingFilter{Industry: "M72.1"}, nil},
		{"filters combine", isa.ListingFilter{Kind: isa.Offer, Country: isa.China, State: isa.Published, Industry: "C"}, []string{"3", "6"}},
		{"unknown value selects nothing", isa.ListingFilter{City: "atlantis"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := s.Listings(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range p.Items {
				got = append(got, l.Ref)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if p.Next != "" {
				t.Errorf("Next = %q on the only page", p.Next)
			}
		})
	}
}

func testListingPages(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("o", "mainz"), nil)
	var want []string
	for i := range 7 {
		l := listing(fmt.Sprintf("p-%d", i), "o")
		if i%2 == 1 {
			l.Kind = isa.Request
		}
		mustListing(t, s, l)
		want = append(want, l.Ref)
	}
	tests := []struct {
		name  string
		f     isa.ListingFilter
		pages int
		want  []string
	}{
		{"pages of three", isa.ListingFilter{Limit: 3}, 3, want},
		{"exact fit leaves no empty page", isa.ListingFilter{Limit: 7}, 1, want},
		{"default limit takes all", isa.ListingFilter{}, 1, want},
		{"pages keep the filter", isa.ListingFilter{Kind: isa.Request, Limit: 2}, 2, []string{"p-1", "p-3", "p-5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			f, pages := tc.f, 0
			for {
				p, err := s.Listings(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, l := range p.Items {
					got = append(got, l.Ref)
				}
				if p.Next == "" || pages > 20 {
					break
				}
				f.After = p.Next
			}
			if pages != tc.pages || !slices.Equal(got, tc.want) {
				t.Errorf("%d pages with %v, want %d pages with %v", pages, got, tc.pages, tc.want)
			}
		})
	}
	_, err := s.Listings(ctx, isa.ListingFilter{After: "%%%"})
	wantCode(t, "bad cursor", err, isa.CodeInvalid, "after")
}

func testExpire(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("o", "fulda"), nil)
	tests := []struct {
		ref     string
		state   isa.ListingState
		expires isa.Date
		want    isa.ListingState
	}{
		{"past", isa.Published, "2026-06-29", isa.Expired},
		{"long past", isa.Published, "2020-01-01", isa.Expired},
		{"today", isa.Published, "2026-06-30", isa.Published},
		{"future", isa.Published, "2027-01-01", isa.Published},
		{"no expiry", isa.Published, "", isa.Published},
		{"draft past", isa.Draft, "2026-01-01", isa.Draft},
		{"withdrawn past", isa.Withdrawn, "2026-01-01", isa.Withdrawn},
	}
	for _, tc := range tests {
		l := listing(tc.ref, "o")
		l.State, l.Expires = tc.state, tc.expires
		mustListing(t, s, l)
	}
	_, since, err := s.ListingChanges(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.ExpireListings(ctx, "2026-06-30")
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("ExpireListings moved %d, want 2", n)
	}
	for _, tc := range tests {
		l, err := s.Listing(ctx, tc.ref)
		if err != nil {
			t.Fatal(err)
		}
		if l.State != tc.want {
			t.Errorf("%s: state %s, want %s", tc.ref, l.State, tc.want)
		}
	}
	refs, _, err := s.ListingChanges(ctx, since, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refs, []string{"past", "long past"}) {
		t.Errorf("changes after expiry %v, want the two expired", refs)
	}
	if n, err := s.ExpireListings(ctx, "2026-06-30"); err != nil || n != 0 {
		t.Errorf("second ExpireListings = %d, %v; want 0", n, err)
	}
	_, err = s.ExpireListings(ctx, "30.06.2026")
	wantCode(t, "bad day", err, isa.CodeInvalid, "")
}

func testChanges(t *testing.T, s isa.Store) {
	refs, next, err := s.ListingChanges(ctx, 0, 10)
	if err != nil || len(refs) != 0 || next != 0 {
		t.Fatalf("empty store: changes %v next %d err %v; want none, 0", refs, next, err)
	}
	mustOrg(t, s, org("o", "chemnitz"), nil)
	for _, ref := range []string{"a", "b", "c"} {
		mustListing(t, s, listing(ref, "o"))
	}
	unchanged := listing("b", "o")
	mustListing(t, s, unchanged) // same data: not a change
	changed := listing("a", "o")
	changed.Title = "geändert"
	mustListing(t, s, changed)

	refs, next, err = s.ListingChanges(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refs, []string{"b", "c", "a"}) {
		t.Errorf("changes %v, want b c a (a moved to its latest change)", refs)
	}
	steps := []struct {
		name string
		want []string
	}{{"first page", []string{"b", "c"}}, {"second page", []string{"a"}}, {"caught up", nil}}
	since := int64(0)
	for _, st := range steps {
		refs, n, err := s.ListingChanges(ctx, since, 2)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(refs, st.want) {
			t.Errorf("%s: %v, want %v", st.name, refs, st.want)
		}
		if n < since || (len(refs) == 0 && n != since) {
			t.Errorf("%s: next %d after %d", st.name, n, since)
		}
		since = n
	}
	if since != next {
		t.Errorf("paging ended at %d, one call at %d", since, next)
	}
}

// testChangesConcurrent writes from several goroutines while a follower
// reads the feed; the follower must end up with every listing.
func testChangesConcurrent(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("o", "solingen"), nil)
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				l := listing(fmt.Sprintf("w%d-%d", w, i), "o")
				if _, err := s.UpsertListing(ctx, l); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	seen := map[string]bool{}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var since int64
	follow := func() {
		for {
			refs, next, err := s.ListingChanges(ctx, since, 7)
			if err != nil {
				t.Error(err)
				return
			}
			if next < since {
				t.Errorf("next %d went back from %d", next, since)
			}
			for _, r := range refs {
				seen[r] = true
			}
			since = next
			if len(refs) == 0 {
				return
			}
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			follow()
		}
	}
	follow()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != writers*each {
		t.Errorf("follower saw %d listings, want %d", len(seen), writers*each)
	}
}

var errRollback = errors.New("roll back")

func testInTx(t *testing.T, s isa.Store) {
	t.Run("error rolls everything back", func(t *testing.T) {
		err := s.InTx(ctx, func(tx isa.Store) error {
			mustOrg(t, tx, org("tx-o", "hamburg"), []isa.ContactPerson{{Email: "x@y"}})
			mustListing(t, tx, listing("tx-l", "tx-o"))
			if _, err := tx.Listing(ctx, "tx-l"); err != nil {
				t.Errorf("listing not visible inside its transaction: %v", err)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx returned %v, want fn's error", err)
		}
		if _, err := s.Organisation(ctx, "tx-o"); !isa.IsNotFound(err) {
			t.Errorf("organisation survived rollback: %v", err)
		}
		if _, err := s.Listing(ctx, "tx-l"); !isa.IsNotFound(err) {
			t.Errorf("listing survived rollback: %v", err)
		}
		if refs, _, _ := s.ListingChanges(ctx, 0, 10); len(refs) != 0 {
			t.Errorf("change feed reports rolled-back listings %v", refs)
		}
	})
	t.Run("nil commits, listing finds its organisation of the same transaction", func(t *testing.T) {
		err := s.InTx(ctx, func(tx isa.Store) error {
			mustOrg(t, tx, org("tx-o2", "hamburg"), nil)
			_, err := tx.UpsertListing(ctx, listing("tx-l2", "tx-o2"))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Listing(ctx, "tx-l2"); err != nil {
			t.Errorf("committed listing: %v", err)
		}
	})
	t.Run("nested InTx joins the outer transaction", func(t *testing.T) {
		err := s.InTx(ctx, func(tx isa.Store) error {
			err := tx.InTx(ctx, func(inner isa.Store) error {
				mustOrg(t, inner, org("tx-o3", "hamburg"), nil)
				return nil
			})
			if err != nil {
				return err
			}
			if _, err := tx.Organisation(ctx, "tx-o3"); err != nil {
				t.Errorf("inner write not visible to the outer transaction: %v", err)
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("InTx returned %v", err)
		}
		if _, err := s.Organisation(ctx, "tx-o3"); !isa.IsNotFound(err) {
			t.Errorf("inner write survived the outer rollback: %v", err)
		}
	})
	t.Run("rejected record does not spoil the transaction", func(t *testing.T) {
		err := s.InTx(ctx, func(tx isa.Store) error {
			if _, err := tx.UpsertListing(ctx, listing("tx-bad", "nobody")); !isa.IsNotFound(err) {
				t.Errorf("listing of unknown org: %v", err)
			}
			if _, err := tx.UpsertOrganisation(ctx, org("tx-bad", "atlantis"), nil); !isa.IsNotFound(err) {
				t.Errorf("org in unknown city: %v", err)
			}
			mustOrg(t, tx, org("tx-o4", "hamburg"), nil)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Organisation(ctx, "tx-o4"); err != nil {
			t.Errorf("record after a rejected one was lost: %v", err)
		}
	})
}

func testNotFound(t *testing.T, s isa.Store) {
	tests := []struct {
		name string
		call func() error
	}{
		{"city", func() error { _, err := s.City(ctx, "atlantis"); return err }},
		{"organisation", func() error { _, err := s.Organisation(ctx, "nobody"); return err }},
		{"listing", func() error { _, err := s.Listing(ctx, "nothing"); return err }},
	}
	for _, tc := range tests {
		wantCode(t, tc.name, tc.call(), isa.CodeNotFound, "")
	}
	if got, err := s.Contacts(ctx, 123456); err != nil || len(got) != 0 {
		t.Errorf("Contacts of unknown org = %v, %v; want none", got, err)
	}
}

// testBatch checks the optional isa.ListingBatcher against UpsertListing's
// semantics; stores without it pass trivially.
func testBatch(t *testing.T, s isa.Store) {
	if _, ok := s.(isa.ListingBatcher); !ok {
		t.Log("store does not batch")
		return
	}
	mustOrg(t, s, org("hh", "hamburg"), nil)
	mustOrg(t, s, org("fs", "foshan"), nil)
	mustListing(t, s, listing("old-same", "hh"))
	mustListing(t, s, listing("old-changed", "hh"))

	changed := listing("old-changed", "hh")
	changed.Title = "neu"
	changed.Industries = []string{"C22.29"}
	renamed := listing("twice", "fs")
	renamed.Title = "zweite Fassung"
	renamed.Cooperation = []string{"supply"}
	invalid := listing("bad", "hh")
	invalid.Kind = "gift"
	ls := []*isa.Listing{
		listing("new-1", "hh"),
		listing("old-same", "hh"),
		changed,
		listing("orphan", "nobody"),
		invalid,
		listing("twice", "fs"),
		renamed,
	}
	ls[0].Industries, ls[0].Cooperation = []string{"C28"}, []string{"research"}
	want := []struct {
		outcome isa.Outcome
		code    isa.Code
	}{
		{isa.Created, ""}, {isa.Unchanged, ""}, {isa.Updated, ""},
		{isa.Unchanged, isa.CodeNotFound}, {isa.Unchanged, isa.CodeInvalid},
		{isa.Created, ""}, {isa.Updated, ""},
	}
	_, since, err := s.ListingChanges(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var outs []isa.Outcome
	var errs []error
	err = s.InTx(ctx, func(tx isa.Store) error {
		b, ok := tx.(isa.ListingBatcher)
		if !ok {
			t.Fatal("the store batches but its transactions do not")
		}
		var err error
		outs, errs, err = b.UpsertListings(ctx, ls)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if outs[i] != w.outcome || isa.ErrorCode(errs[i]) != w.code {
			t.Errorf("%s: %v, %v; want %v, %q", ls[i].Ref, outs[i], errs[i], w.outcome, w.code)
		}
		if w.code == "" && (ls[i].ID == 0 || ls[i].OrgID == 0) {
			t.Errorf("%s: ID %d OrgID %d not set", ls[i].Ref, ls[i].ID, ls[i].OrgID)
		}
	}
	var e *isa.Error
	if !errors.As(errs[3], &e) || e.Field != "org" {
		t.Errorf("orphan: error %v does not name field org", errs[3])
	}
	for _, l := range []*isa.Listing{ls[0], changed, renamed} {
		got, err := s.Listing(ctx, l.Ref)
		if err != nil {
			t.Fatal(err)
		}
		w := *l
		w.CreatedAt, w.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if !reflect.DeepEqual(*got, w) {
			t.Errorf("read back\n%+v\nwant\n%+v", *got, w)
		}
	}
	filters := []struct {
		f    isa.ListingFilter
		want []string
	}{
		{isa.ListingFilter{Industry: "C22"}, []string{"old-changed"}},
		{isa.ListingFilter{Industry: "C28"}, []string{"new-1"}},
		{isa.ListingFilter{Cooperation: "supply"}, []string{"twice"}},
		{isa.ListingFilter{Cooperation: "research"}, []string{"new-1"}},
	}
	for _, f := range filters {
		p, err := s.Listings(ctx, f.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range p.Items {
			got = append(got, l.Ref)
		}
		if !slices.Equal(got, f.want) {
			t.Errorf("filter %+v: %v, want %v", f.f, got, f.want)
		}
	}
	refs, _, err := s.ListingChanges(ctx, since, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refs, []string{"new-1", "old-changed", "twice"}) {
		t.Errorf("changes %v, want new-1 old-changed twice", refs)
	}
	for _, ref := range []string{"orphan", "bad"} {
		if _, err := s.Listing(ctx, ref); !isa.IsNotFound(err) {
			t.Errorf("refused %s was stored: %v", ref, err)
		}
	}
}

// testFilterUpdates checks that the industry and cooperation filters follow
// a listing's changes: inside the transaction that makes them, after it,
// and when a transaction changes the same listing twice.
func testFilterUpdates(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("o", "ingolstadt"), nil)
	l := listing("x", "o")
	l.Industries, l.Cooperation = []string{"C22.29"}, []string{"supply"}
	mustListing(t, s, l)

	match := func(st isa.Store, f isa.ListingFilter) bool {
		t.Helper()
		p, err := st.Listings(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items) == 1 && p.Items[0].Ref == "x"
	}
	steps := []struct {
		name        string
		industries  []string
		cooperation []string
		twice       bool // write an intermediate version first, in the same transaction
	}{
		{"moved to another industry", []string{"C28.1"}, []string{"supply"}, false},
		{"cooperation replaced", []string{"C28.1"}, []string{"research", "licensing"}, false},
		{"changed twice in one transaction", []string{"M72"}, []string{"services"}, true},
		{"lists emptied", nil, nil, false},
	}
	all := []string{"C22", "C28", "M72"}
	allCoop := []string{"supply", "research", "licensing", "services"}
	for _, st := range steps {
		err := s.InTx(ctx, func(tx isa.Store) error {
			if st.twice {
				mid := listing("x", "o")
				mid.Industries, mid.Cooperation = []string{"C10"}, []string{"investment"}
				mustListing(t, tx, mid)
				if !match(tx, isa.ListingFilter{Industry: "C10"}) {
					t.Errorf("%s: intermediate version not found by its industry inside the transaction", st.name)
				}
			}
			l := listing("x", "o")
			l.Industries, l.Cooperation = st.industries, st.cooperation
			mustListing(t, tx, l)
			for _, code := range all {
				want := slices.ContainsFunc(st.industries, func(c string) bool { return strings.HasPrefix(c, code) })
				if got := match(tx, isa.ListingFilter{Industry: code}); got != want {
					t.Errorf("%s, inside the transaction: industry %s matches %v, want %v", st.name, code, got, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range append(all, "C10") {
			want := slices.ContainsFunc(st.industries, func(c string) bool { return strings.HasPrefix(c, code) })
			if got := match(s, isa.ListingFilter{Industry: code}); got != want {
				t.Errorf("%s: industry %s matches %v, want %v", st.name, code, got, want)
			}
		}
		for _, co := range append(allCoop, "investment") {
			want := slices.Contains(st.cooperation, co)
			if got := match(s, isa.ListingFilter{Cooperation: co}); got != want {
				t.Errorf("%s: cooperation %s matches %v, want %v", st.name, co, got, want)
			}
		}
	}
}

// testNoDeadlock runs two transactions that touch the same organisation and
// listings in opposite order, overlapping in time; both must commit.
func testNoDeadlock(t *testing.T, s isa.Store) {
	mustOrg(t, s, org("shared", "bottrop"), nil)
	mustListing(t, s, listing("shared-l", "shared"))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InTx(ctx, func(tx isa.Store) error {
				o := org("shared", "bottrop")
				o.Name = fmt.Sprintf("Name %d", i)
				l := listing("shared-l", "shared")
				l.Title = fmt.Sprintf("Titel %d", i)
				steps := []func() error{
					func() error { _, err := tx.UpsertOrganisation(ctx, o, nil); return err },
					func() error { _, err := tx.UpsertListing(ctx, l); return err },
				}
				if i == 1 {
					steps[0], steps[1] = steps[1], steps[0]
				}
				for _, step := range steps {
					if err := step(); err != nil {
						return err
					}
					time.Sleep(50 * time.Millisecond)
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", i, err)
		}
	}
}
