// Package listings is the posting service: creating, editing, renewing and
// withdrawing offers and requests, with the validation and the rules of who
// may do it in one place, so that the pages and the JSON API behave alike.
// A verified organisation's listing is published at once; an unverified
// one's waits in review for its city office.
package listings

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/isa-alliance/isa"
	"github.com/isa-alliance/isa/internal/authz"
	"github.com/isa-alliance/isa/internal/nace"
)

// Validity is how long a listing stays published, from posting or renewal.
const Validity = 12 // months

// Locale keys of the messages this package returns; the edge translates
// them (i18n catalogue).
const (
	KeyRequired     = "posting.error.required"
	KeyTooLong      = "posting.error.too_long"
	KeyControl      = "posting.error.control"
	KeyKind         = "posting.error.kind"
	KeyLang         = "posting.error.lang"
	KeyCooperation  = "posting.error.cooperation"
	KeyTooMany      = "posting.error.too_many"
	KeyTranslation  = "posting.error.translation"
	KeyTransSame    = "posting.error.translation_same"
	KeyWithdrawn    = "posting.error.withdrawn"
	KeyNACE         = "posting.error.nace"
	KeyNoOrg        = "posting.error.no_org"
	KeyNotRenewable = "posting.error.not_renewable"
)

// Input is what an author writes: the fields of a listing form or API body.
type Input struct {
	Kind         isa.ListingKind              `json:"kind"`
	Lang         isa.Lang                     `json:"lang"`
	Title        string                       `json:"title"`
	Description  string                       `json:"description"`
	Translations map[isa.Lang]isa.Translation `json:"translations,omitempty"`
	Cooperation  []string                     `json:"cooperation,omitempty"`
	Industries   []string                     `json:"industries,omitempty"`
	Keywords     []string                     `json:"keywords,omitempty"`
}

// Errors is every problem of one input, one per field at most, so that a
// form can show each next to its field. It unwraps to its *isa.Error items,
// so isa.ErrorCode reports invalid.
type Errors []*isa.Error

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Field returns the error of field f, or nil.
func (es Errors) Field(f string) *isa.Error {
	for _, e := range es {
		if e.Field == f || strings.HasPrefix(e.Field, f+".") {
			return e
		}
	}
	return nil
}

// ByField returns the errors keyed by field, for templates.
func (es Errors) ByField() map[string]*isa.Error {
	m := make(map[string]*isa.Error, len(es))
	for _, e := range es {
		if _, ok := m[e.Field]; !ok {
			m[e.Field] = e
		}
	}
	return m
}

// AsErrors returns the field errors in err: all of an Errors, or the one
// *isa.Error with a field; nil otherwise.
func AsErrors(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var e *isa.Error
	if errors.As(err, &e) && e.Field != "" {
		return Errors{e}
	}
	return nil
}

func fieldErr(field, key, format string, args ...any) *isa.Error {
	return &isa.Error{Code: isa.CodeInvalid, Field: field, Key: key, Message: fmt.Sprintf(format, args...)}
}

// Normalize trims, de-duplicates and checks in, returning the clean input
// or every problem found. Text is kept as written: HTML in it is text, and
// the pages escape it when they show it.
func Normalize(in Input) (Input, error) {
	var es Errors
	add := func(e *isa.Error) {
		if es.Field(e.Field) == nil {
			es = append(es, e)
		}
	}
	out := Input{Kind: in.Kind, Lang: in.Lang}
	if in.Kind != isa.Offer && in.Kind != isa.Request {
		add(fieldErr("kind", KeyKind, "choose offer or request"))
	}
	if !in.Lang.Valid() {
		add(fieldErr("lang", KeyLang, "choose German, Chinese or English"))
	}
	var e *isa.Error
	if out.Title, e = text("title", in.Title, isa.MaxTitle, true); e != nil {
		add(e)
	}
	if out.Description, e = text("description", in.Description, isa.MaxDescription, false); e != nil {
		add(e)
	}
	for _, l := range isa.Langs {
		t, ok := in.Translations[l]
		if !ok {
			continue
		}
		f := "translations." + string(l)
		title, e1 := text(f+".title", t.Title, isa.MaxTitle, true)
		desc, e2 := text(f+".description", t.Description, isa.MaxDescription, false)
		switch {
		case title == "" && desc == "":
			continue // an empty pair on a form means "no translation"
		case l == in.Lang:
			add(fieldErr(f+".title", KeyTransSame, "a translation must be in another language than the listing"))
		case e1 != nil:
			add(e1)
		case e2 != nil:
			add(e2)
		}
		if out.Translations == nil {
			out.Translations = map[isa.Lang]isa.Translation{}
		}
		out.Translations[l] = isa.Translation{Title: title, Description: desc}
	}
	for l := range in.Translations {
		if !l.Valid() {
			add(fieldErr("translations", KeyLang, "translations may be in de, zh or en only"))
		}
	}
	for _, c := range in.Cooperation {
		c = strings.TrimSpace(c)
		if !slices.Contains(isa.CooperationTypes, c) {
			add(fieldErr("cooperation", KeyCooperation, "unknown cooperation type"))
			continue
		}
		if !slices.Contains(out.Cooperation, c) {
			out.Cooperation = append(out.Cooperation, c)
		}
	}
	const maxIndustries = 10
	for _, code := range in.Industries {
		if strings.TrimSpace(code) == "" {
			continue
		}
		n, err := nace.Default().Normalize(code)
		if err != nil {
			add(fieldErr("industries", KeyNACE, "not a NACE Rev. 2 code"))
			continue
		}
		if !slices.Contains(out.Industries, n) {
			out.Industries = append(out.Industries, n)
		}
	}
	if len(out.Industries) > maxIndustries {
		add(fieldErr("industries", KeyTooMany, "at most %d industries", maxIndustries))
	}
	for _, k := range in.Keywords {
		k, e := text("keywords", k, isa.MaxKeyword, true)
		if e != nil {
			add(e)
			continue
		}
		if k != "" && !slices.ContainsFunc(out.Keywords, func(x string) bool { return strings.EqualFold(x, k) }) {
			out.Keywords = append(out.Keywords, k)
		}
	}
	if len(out.Keywords) > isa.MaxKeywords {
		add(fieldErr("keywords", KeyTooMany, "at most %d keywords", isa.MaxKeywords))
	}
	if len(es) > 0 {
		return out, es
	}
	return out, nil
}

// text trims s and checks that it is present, short enough and free of
// control characters (one line only when oneLine).
func text(field, s string, maxRunes int, oneLine bool) (string, *isa.Error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if s == "" {
		return "", fieldErr(field, KeyRequired, "required")
	}
	if !utf8.ValidString(s) {
		return "", fieldErr(field, KeyControl, "not valid text")
	}
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return "", &isa.Error{Code: isa.CodeInvalid, Field: field, Key: KeyTooLong,
			Message: fmt.Sprintf("at most %d characters, not %d", maxRunes, n)}
	}
	for _, r := range s {
		if unicode.IsControl(r) && (oneLine || (r != '\n' && r != '\t')) {
			return "", fieldErr(field, KeyControl, "contains control characters")
		}
	}
	return s, nil
}

// Service posts and maintains listings.
type Service struct {
	store isa.Store
	now   func() time.Time
}

// New returns the posting service on store; now nil is time.Now.
func New(store isa.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// Preview returns the listing in as it would be stored for the acting
// member's organisation, without storing it.
func (s *Service) Preview(ctx context.Context, who authz.Subject, in Input) (*isa.Listing, error) {
	org, err := s.ownOrg(ctx, s.store, who)
	if err != nil {
		return nil, err
	}
	clean, err := Normalize(in)
	if err != nil {
		return nil, err
	}
	l := &isa.Listing{Org: org.Ref}
	apply(l, clean)
	s.publish(l, org)
	return l, nil
}

// Create posts a new listing of the acting member's organisation.
func (s *Service) Create(ctx context.Context, who authz.Subject, in Input) (*isa.Listing, error) {
	clean, err := Normalize(in)
	if err != nil {
		return nil, err
	}
	ref, err := newRef()
	if err != nil {
		return nil, err
	}
	var out *isa.Listing
	err = s.store.InTx(ctx, func(tx isa.Store) error {
		org, err := s.ownOrg(ctx, tx, who)
		if err != nil {
			return err
		}
		l := &isa.Listing{Ref: ref, Org: org.Ref}
		apply(l, clean)
		s.publish(l, org)
		if _, err := tx.UpsertListing(ctx, l); err != nil {
			return fmt.Errorf("listings: create: %w", err)
		}
		out = l
		return nil
	})
	return out, err
}

// Editable returns listing ref for editing by who: Forbidden when it
// belongs to another organisation.
func (s *Service) Editable(ctx context.Context, who authz.Subject, ref string) (*isa.Listing, error) {
	l, _, err := s.own(ctx, s.store, who, ref)
	return l, err
}

// Update replaces the content of listing ref. An unverified organisation's
// listing goes back to review; a published one of a verified organisation
// stays published.
func (s *Service) Update(ctx context.Context, who authz.Subject, ref string, in Input) (*isa.Listing, error) {
	clean, err := Normalize(in)
	if err != nil {
		return nil, err
	}
	var out *isa.Listing
	err = s.store.InTx(ctx, func(tx isa.Store) error {
		l, org, err := s.own(ctx, tx, who, ref)
		if err != nil {
			return err
		}
		if l.State == isa.Withdrawn {
			return &isa.Error{Code: isa.CodeConflict, Key: KeyWithdrawn, Message: "a withdrawn listing cannot be edited"}
		}
		apply(l, clean)
		if l.State == isa.Published && org.Verification.State != isa.Verified {
			l.State = isa.InReview
		}
		if _, err := tx.UpsertListing(ctx, l); err != nil {
			return fmt.Errorf("listings: update %s: %w", ref, err)
		}
		out = l
		return nil
	})
	return out, err
}

// Renew extends a published or expired listing to 12 months from today
// (never shortening it) and publishes an expired one again.
func (s *Service) Renew(ctx context.Context, who authz.Subject, ref string) (*isa.Listing, error) {
	var out *isa.Listing
	err := s.store.InTx(ctx, func(tx isa.Store) error {
		l, org, err := s.own(ctx, tx, who, ref)
		if err != nil {
			return err
		}
		if l.State == isa.Withdrawn || l.State == isa.Draft {
			return &isa.Error{Code: isa.CodeConflict, Key: KeyNotRenewable, Message: "only a published, expired or reviewed listing can be renewed"}
		}
		today := isa.DateOf(s.now())
		exp := today.AddMonths(Validity)
		if l.Expires != "" && exp.Before(l.Expires) {
			exp = l.Expires
		}
		l.Expires = exp
		if l.State == isa.Expired {
			s.publish(l, org)
			l.Expires = exp
		}
		if _, err := tx.UpsertListing(ctx, l); err != nil {
			return fmt.Errorf("listings: renew %s: %w", ref, err)
		}
		out = l
		return nil
	})
	return out, err
}

// Withdraw takes a listing out of search and matching for good. Withdrawing
// twice is no error.
func (s *Service) Withdraw(ctx context.Context, who authz.Subject, ref string) (*isa.Listing, error) {
	var out *isa.Listing
	err := s.store.InTx(ctx, func(tx isa.Store) error {
		l, _, err := s.own(ctx, tx, who, ref)
		if err != nil {
			return err
		}
		if l.State != isa.Withdrawn {
			l.State = isa.Withdrawn
			if _, err := tx.UpsertListing(ctx, l); err != nil {
				return fmt.Errorf("listings: withdraw %s: %w", ref, err)
			}
		}
		out = l
		return nil
	})
	return out, err
}

// ownOrg returns the organisation the member acts for.
func (s *Service) ownOrg(ctx context.Context, st isa.Store, who authz.Subject) (*isa.Organisation, error) {
	if who.SignedIn() && who.Org == "" && who.Role == authz.Member {
		return nil, &isa.Error{Code: isa.CodeForbidden, Key: KeyNoOrg, Message: "your account belongs to no organisation"}
	}
	if !who.SignedIn() || who.Org == "" {
		return nil, authz.Can(who, authz.EditListing, authz.Object{})
	}
	org, err := st.Organisation(ctx, who.Org)
	if err != nil {
		return nil, fmt.Errorf("listings: organisation of the member: %w", err)
	}
	if err := authz.Can(who, authz.EditListing, authz.Object{Org: org.Ref, City: org.City}); err != nil {
		return nil, err
	}
	return org, nil
}

// own loads listing ref and its organisation and checks that who may edit it.
func (s *Service) own(ctx context.Context, st isa.Store, who authz.Subject, ref string) (*isa.Listing, *isa.Organisation, error) {
	if !who.SignedIn() {
		return nil, nil, authz.Can(who, authz.EditListing, authz.Object{})
	}
	l, err := st.Listing(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	org, err := st.Organisation(ctx, l.Org)
	if err != nil {
		return nil, nil, fmt.Errorf("listings: organisation of %s: %w", ref, err)
	}
	if err := authz.Can(who, authz.EditListing, authz.Object{Org: org.Ref, City: org.City}); err != nil {
		return nil, nil, err
	}
	return l, org, nil
}

func apply(l *isa.Listing, in Input) {
	l.Kind, l.Lang = in.Kind, in.Lang
	l.Title, l.Description = in.Title, in.Description
	l.Translations = in.Translations
	l.Cooperation, l.Industries, l.Keywords = in.Cooperation, in.Industries, in.Keywords
}

// publish sets the state of a new or expired listing: published for 12
// months when the organisation is verified, in review otherwise (the
// officer's decision publishes it).
func (s *Service) publish(l *isa.Listing, org *isa.Organisation) {
	today := isa.DateOf(s.now())
	l.Published, l.Expires = today, today.AddMonths(Validity)
	if org.Verification.State == isa.Verified {
		l.State = isa.Published
	} else {
		l.State = isa.InReview
	}
}

// newRef returns a fresh listing ref: random, so that refs tell nothing
// about how many listings exist, and short enough for URLs.
func newRef() (string, error) {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("listings: new ref: %w", err)
	}
	return "l-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])), nil
}
