package storagetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/isa-alliance/isa"
)

// testOrgBatch checks the optional isa.OrganisationBatcher against
// UpsertOrganisation's semantics; stores without it pass trivially.
func testOrgBatch(t *testing.T, s isa.Store) {
	if _, ok := s.(isa.OrganisationBatcher); !ok {
		t.Log("store does not batch organisations")
		return
	}
	anna := []isa.ContactPerson{{Name: "Anna Schmidt", Email: "a.schmidt@example.de", Langs: []isa.Lang{isa.DE}}}
	mustOrg(t, s, org("same", "hamburg"), anna)
	mustOrg(t, s, org("changed", "hamburg"), anna)
	mustOrg(t, s, org("new-contacts", "foshan"), anna)
	mustOrg(t, s, org("bystander", "foshan"), []isa.ContactPerson{{Email: "b@example.cn"}})

	changed := org("changed", "hamburg")
	changed.Name, changed.Industries = "Geändert GmbH", []string{"C28", "C28"}
	invalid := org("bad", "hamburg")
	invalid.Kind = "club"
	first := org("twice", "foshan")
	second := org("twice", "foshan")
	second.Name = "zweite Fassung"
	batch := []isa.OrgUpsert{
		{Org: org("new", "nuernberg"), Contacts: []isa.ContactPerson{
			{Name: "Li Wei", Role: "采购", Email: "li.wei@example.cn", Phone: "+86 1", Public: true},
			{Email: "info@example.cn"},
			{Email: "info@example.cn"}, // the same person twice is kept twice, as one by one
		}},
		{Org: org("same", "hamburg"), Contacts: anna},
		{Org: changed}, // nil contacts: the stored ones stay
		{Org: org("new-contacts", "foshan"), Contacts: []isa.ContactPerson{{Email: "neu@example.cn"}}},
		{Org: invalid},
		{Org: org("nowhere", "atlantis")},
		{Org: first, Contacts: []isa.ContactPerson{{Email: "first@example.cn"}}},
		{Org: second, Contacts: []isa.ContactPerson{{Email: "second@example.cn"}}},
	}
	want := []struct {
		outcome  isa.Outcome
		code     isa.Code
		field    string
		contacts []string // emails stored afterwards; nil: none expected
	}{
		{isa.Created, "", "", []string{"li.wei@example.cn", "info@example.cn", "info@example.cn"}},
		{isa.Unchanged, "", "", []string{"a.schmidt@example.de"}},
		{isa.Updated, "", "", []string{"a.schmidt@example.de"}},
		{isa.Updated, "", "", []string{"neu@example.cn"}},
		{isa.Unchanged, isa.CodeInvalid, "kind", nil},
		{isa.Unchanged, isa.CodeNotFound, "city", nil},
		{isa.Created, "", "", []string{"second@example.cn"}},
		{isa.Updated, "", "", []string{"second@example.cn"}},
	}
	var outs []isa.Outcome
	var errs []error
	err := s.InTx(ctx, func(tx isa.Store) error {
		b, ok := tx.(isa.OrganisationBatcher)
		if !ok {
			t.Fatal("the store batches organisations but its transactions do not")
		}
		var err error
		outs, errs, err = b.UpsertOrganisations(ctx, batch)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != len(batch) || len(errs) != len(batch) {
		t.Fatalf("%d outcomes and %d errors for %d organisations", len(outs), len(errs), len(batch))
	}
	for i, w := range want {
		u := batch[i]
		if outs[i] != w.outcome || isa.ErrorCode(errs[i]) != w.code {
			t.Errorf("%d %s: %v, %v; want %v, %q", i, u.Org.Ref, outs[i], errs[i], w.outcome, w.code)
		}
		var e *isa.Error
		if w.field != "" && (!errors.As(errs[i], &e) || e.Field != w.field) {
			t.Errorf("%s: error %v does not name field %q", u.Org.Ref, errs[i], w.field)
		}
		if w.code != "" {
			if _, err := s.Organisation(ctx, u.Org.Ref); !isa.IsNotFound(err) {
				t.Errorf("refused %s was stored: %v", u.Org.Ref, err)
			}
			continue
		}
		if u.Org.ID == 0 {
			t.Errorf("%s: ID not set", u.Org.Ref)
		}
		got, err := s.Contacts(ctx, u.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		var emails []string
		for _, p := range got {
			emails = append(emails, p.Email)
			if p.Public || p.OrgID != u.Org.ID {
				t.Errorf("%s: contact %+v public or of another organisation", u.Org.Ref, p)
			}
		}
		if !slices.Equal(emails, w.contacts) {
			t.Errorf("%s: contacts %v, want %v", u.Org.Ref, emails, w.contacts)
		}
		// The contacts handed in carry the ids they were stored under.
		if u.Contacts != nil && outs[i] != isa.Unchanged && i != 6 {
			for k, p := range u.Contacts {
				if k >= len(got) || p.ID != got[k].ID || p.OrgID != u.Org.ID || p.Public {
					t.Errorf("%s: contact %d given back as %+v, stored %+v", u.Org.Ref, k, p, got)
				}
			}
		}
	}
	if batch[6].Org.ID != batch[7].Org.ID {
		t.Errorf("the same ref got two ids: %d, %d", batch[6].Org.ID, batch[7].Org.ID)
	}

	// What was written reads back as written, and nothing personal
	// reaches the public record.
	for _, o := range []*isa.Organisation{batch[0].Org, changed, second} {
		got, err := s.Organisation(ctx, o.Ref)
		if err != nil {
			t.Fatal(err)
		}
		w := *o
		w.CreatedAt, w.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if !reflect.DeepEqual(*got, w) {
			t.Errorf("read back\n%+v\nwant\n%+v", *got, w)
		}
		b, _ := json.Marshal(got)
		for _, secret := range []string{"li.wei", "info@", "second@", "schmidt"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("organisation record %s contains %q", o.Ref, secret)
			}
		}
	}
	if by, err := s.Organisation(ctx, "bystander"); err != nil {
		t.Fatal(err)
	} else if got, _ := s.Contacts(ctx, by.ID); len(got) != 1 || got[0].Email != "b@example.cn" {
		t.Errorf("contacts of an organisation outside the batch changed: %+v", got)
	}

	// Run again: every stored record is unchanged now, including the
	// contacts the batch above kept.
	again := []isa.OrgUpsert{
		{Org: org("new", "nuernberg"), Contacts: batch[0].Contacts},
		{Org: changed, Contacts: anna},
		{Org: second, Contacts: batch[7].Contacts},
	}
	outs, errs, err = s.(isa.OrganisationBatcher).UpsertOrganisations(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range again {
		if outs[i] != isa.Unchanged || errs[i] != nil || u.Org.ID == 0 {
			t.Errorf("again %s: %v, %v, ID %d; want unchanged with its ID", u.Org.Ref, outs[i], errs[i], u.Org.ID)
		}
	}
}
