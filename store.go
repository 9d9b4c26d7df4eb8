package isa

import (
	"context"
	"time"
)

// Outcome says what an upsert did.
type Outcome int

const (
	Unchanged Outcome = iota
	Created
	Updated
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "created"
	case Updated:
		return "updated"
	default:
		return "unchanged"
	}
}

// Page is one page of a cursor-paginated list. Next is empty on the last page.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

// CityStore reads the member cities, which migrations seed.
type CityStore interface {
	Cities(ctx context.Context) ([]City, error)
	// City returns the city with the slug; a NotFound error if there is none.
	City(ctx context.Context, slug string) (City, error)
}

// OrgFilter selects organisations; zero fields select everything.
type OrgFilter struct {
	City    string
	Country string
	Kind    OrgKind
	After   string // cursor from Page.Next
	Limit   int    // 0 means the store's default (50); capped at 500
}

// OrganisationStore keeps organisations and, apart from them, their contact persons.
type OrganisationStore interface {
	// Organisation returns the organisation with the ref; NotFound if none.
	Organisation(ctx context.Context, ref string) (*Organisation, error)
	Organisations(ctx context.Context, f OrgFilter) (Page[Organisation], error)
	// UpsertOrganisation inserts or updates by Ref and sets o.ID. Contacts
	// replace the organisation's imported contacts when non-nil. Unchanged
	// is returned when nothing stored differs.
	UpsertOrganisation(ctx context.Context, o *Organisation, contacts []ContactPerson) (Outcome, error)
	// Contacts returns the contact persons of an organisation: personal data,
	// for accepted partners and exports only.
	Contacts(ctx context.Context, orgID int64) ([]ContactPerson, error)
}

// ListingFilter selects listings; zero fields select everything.
type ListingFilter struct {
	Kind        ListingKind
	Country     string
	City        string
	Cooperation string
	Industry    string // NACE code at any level: matches the code and everything below it
	Lang        Lang
	State       ListingState
	Org         string // organisation ref
	After       string // cursor from Page.Next
	Limit       int    // 0 means the store's default (50); capped at 500
}

// ListingStore keeps listings.
type ListingStore interface {
	// Listing returns the listing with the ref; NotFound if none.
	Listing(ctx context.Context, ref string) (*Listing, error)
	Listings(ctx context.Context, f ListingFilter) (Page[Listing], error)
	// UpsertListing inserts or updates by Ref (l.Org names the organisation
	// by ref) and sets l.ID and l.OrgID. Unchanged when nothing differs.
	UpsertListing(ctx context.Context, l *Listing) (Outcome, error)
	// ExpireListings moves published listings whose expiry day lies before
	// today to the expired state and returns how many it moved.
	ExpireListings(ctx context.Context, today Date) (int, error)
	// ListingChanges returns the refs of listings changed after the change
	// sequence number since (0: all), in order, at most limit, and the
	// sequence number to continue from. The search index follows the
	// database through it.
	ListingChanges(ctx context.Context, since int64, limit int) (refs []string, next int64, err error)
}

// Store is the whole persistence of the domain. Implementations: SQLite
// (embedded default) and PostgreSQL, in package storage.
type Store interface {
	CityStore
	OrganisationStore
	ListingStore
	// InTx runs fn in one transaction: it commits when fn returns nil and
	// rolls back otherwise. The Store passed to fn must not escape it.
	InTx(ctx context.Context, fn func(tx Store) error) error
	Close() error
}

// Clock gives the current time; tests replace it.
type Clock func() time.Time

// ListingBatcher is implemented by stores (and the transactions InTx hands
// out) that upsert many listings with a few statements: bulk imports use it
// when it is offered and fall back to UpsertListing otherwise.
type ListingBatcher interface {
	// UpsertListings does what UpsertListing does for each listing in
	// turn. outcomes[i] and errs[i] belong to ls[i]: a record the store
	// refuses (Invalid, or NotFound with field "org") leaves the others
	// alone; err reports a failure of the whole call.
	UpsertListings(ctx context.Context, ls []*Listing) (outcomes []Outcome, errs []error, err error)
}
