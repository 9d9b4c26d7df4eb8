package listings

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/nace"
)

// The organisation's own description is posting too: what a member may
// change of it, checked here for the pages and the API alike. Name, kind
// and city are what the city office verified and stay as they are.

// Locale keys of organisation errors.
const (
	KeyWebsite = "posting.error.website"
	KeySize    = "posting.error.size"
	KeyFounded = "posting.error.founded"
	KeyEmail   = "posting.error.email"
	KeyPhone   = "posting.error.phone"
)

// OrgInput is what a member may change of the own organisation. Contacts
// nil keeps the contact persons; an empty list removes them.
type OrgInput struct {
	Names      isa.Text       `json:"names,omitempty"`
	Size       isa.SizeClass  `json:"size,omitempty"`
	Founded    int            `json:"founded,omitempty"`
	Website    string         `json:"website,omitempty"`
	Industries []string       `json:"industries,omitempty"`
	About      isa.Text       `json:"about,omitempty"`
	Contacts   []ContactInput `json:"contacts,omitempty"`
}

// ContactInput is a contact person as the organisation enters it.
type ContactInput struct {
	Name  string     `json:"name"`
	Role  string     `json:"role,omitempty"`
	Email string     `json:"email,omitempty"`
	Phone string     `json:"phone,omitempty"`
	Langs []isa.Lang `json:"langs,omitempty"`
}

const (
	maxAbout    = 5000
	maxName     = 200
	maxContacts = 10
)

// UpdateOrganisation changes the own organisation ref of who.
func (s *Service) UpdateOrganisation(ctx context.Context, who authz.Subject, ref string, in OrgInput) (*isa.Organisation, error) {
	var es Errors
	add := func(e *isa.Error) {
		if e != nil && es.Field(e.Field) == nil {
			es = append(es, e)
		}
	}
	names := isa.Text{}
	for l, v := range in.Names {
		if !l.Valid() {
			add(fieldErr("names", KeyLang, "names may be in de, zh or en only"))
			continue
		}
		if strings.TrimSpace(v) == "" {
			continue
		}
		t, e := text("names."+string(l), v, maxName, true)
		add(e)
		names[l] = t
	}
	about := isa.Text{}
	for l, v := range in.About {
		if !l.Valid() {
			add(fieldErr("about", KeyLang, "descriptions may be in de, zh or en only"))
			continue
		}
		if strings.TrimSpace(v) == "" {
			continue
		}
		t, e := text("about."+string(l), v, maxAbout, false)
		add(e)
		about[l] = t
	}
	if in.Size != "" && !slices.Contains(isa.SizeClasses, in.Size) {
		add(fieldErr("size", KeySize, "choose micro, small, medium or large"))
	}
	if in.Founded != 0 && (in.Founded < 1700 || in.Founded > s.now().Year()) {
		add(fieldErr("founded", KeyFounded, "not a plausible year"))
	}
	website := strings.TrimSpace(in.Website)
	if website != "" {
		u, err := url.Parse(website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(website) > 300 {
			add(fieldErr("website", KeyWebsite, "a web address starting with https://"))
		}
	}
	var industries []string
	for _, code := range in.Industries {
		n, err := nace.Default().Normalize(code)
		if err != nil {
			add(fieldErr("industries", KeyNACE, "not a NACE Rev. 2 code"))
			continue
		}
		if !slices.Contains(industries, n) {
			industries = append(industries, n)
		}
	}
	var contacts []isa.ContactPerson
	if in.Contacts != nil {
		contacts = []isa.ContactPerson{}
		if len(in.Contacts) > maxContacts {
			add(fieldErr("contacts", KeyTooMany, "at most %d contact persons", maxContacts))
		}
		for i, c := range in.Contacts {
			if strings.TrimSpace(c.Name+c.Role+c.Email+c.Phone) == "" {
				continue // an empty row of a form; errors keep the row numbers
			}
			f := fmt.Sprintf("contacts.%d", i)
			p := isa.ContactPerson{}
			var e *isa.Error
			if p.Name, e = text(f+".name", c.Name, maxName, true); e != nil {
				add(e)
			}
			if strings.TrimSpace(c.Role) != "" {
				p.Role, e = text(f+".role", c.Role, maxName, true)
				add(e)
			}
			if p.Email = strings.TrimSpace(c.Email); p.Email != "" {
				if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email || len(p.Email) > 254 {
					add(fieldErr(f+".email", KeyEmail, "not an e-mail address"))
				}
			}
			if p.Phone = strings.TrimSpace(c.Phone); p.Phone != "" && !phoneOK(p.Phone) {
				add(fieldErr(f+".phone", KeyPhone, "digits, spaces and + ( ) - / only"))
			}
			for _, l := range c.Langs {
				if l.Valid() && !slices.Contains(p.Langs, l) {
					p.Langs = append(p.Langs, l)
				}
			}
			contacts = append(contacts, p)
		}
	}
	if len(es) > 0 {
		return nil, es
	}
	var out *isa.Organisation
	err := s.store.InTx(ctx, func(tx isa.Store) error {
		if !who.SignedIn() {
			return authz.Can(who, authz.EditOrg, authz.Object{})
		}
		o, err := tx.Organisation(ctx, ref)
		if err != nil {
			return err
		}
		if err := authz.Can(who, authz.EditOrg, authz.Object{Org: o.Ref, City: o.City}); err != nil {
			return err
		}
		o.Names, o.About, o.Size, o.Founded, o.Website, o.Industries = names, about, in.Size, in.Founded, website, industries
		if _, err := tx.UpsertOrganisation(ctx, o, contacts); err != nil {
			return fmt.Errorf("listings: update organisation %s: %w", ref, err)
		}
		out = o
		return nil
	})
	return out, err
}

func phoneOK(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-/.", r):
		default:
			return false
		}
	}
	return digits >= 5
}
